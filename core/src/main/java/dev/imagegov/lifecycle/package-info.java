/**
 * The golden-image lifecycle: families and versions, the states {@code active → deprecated →
 * obsolete → deleted} with replacements and enforced schedules, a safe {@code latest}, retention
 * plans, and the {@link dev.imagegov.lifecycle.ImageUsage} port the embedding application
 * implements.
 *
 * <p>Start with {@link dev.imagegov.lifecycle.Lifecycle}, the group {@code
 * ImageGovernance.lifecycle()} returns: {@code join} puts an image in a {@link
 * dev.imagegov.lifecycle.Family} (owner-scoped), {@code deprecate}, {@code obsolete} and {@code
 * delete} move it through its {@link dev.imagegov.lifecycle.LifecycleState}s, {@code schedule}
 * plans the moves ({@link dev.imagegov.lifecycle.Schedule}) that {@code advance(now)} applies,
 * {@code latest} resolves a family, and {@code plan}/{@code apply} turn a {@link
 * dev.imagegov.lifecycle.RetentionPolicy} into a {@link dev.imagegov.lifecycle.LifecyclePlan}
 * and perform it. {@link dev.imagegov.lifecycle.LifecycleInfo} reads an image's lifecycle.
 *
 * <h2>Where the lifecycle is stored</h2>
 *
 * <p>In the image's properties, in the namespace {@code imagegov_lifecycle_}: {@code family},
 * {@code version}, {@code state}, {@code since}, {@code replacement}, {@code deprecate_at},
 * {@code obsolete_at}, {@code delete_at}, {@code exclude_from_latest}. Plain Glance clients read
 * them as ordinary properties (so a deprecated image is flagged in every view); the attribute
 * table ({@code dev.imagegov.image.Attributes}) answers every name in the namespace as reserved
 * on create and on patch (403, nothing changed), before property protections are asked, so only
 * this package writes them.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>The state machine and who moves it: only the image's owner or an admin (the {@code
 *       MODIFY} check pipeline); a move to the current state is a no-op, so every move and
 *       {@code advance} is idempotent; each is one compare-and-set through the kernel.
 *   <li>A replacement is active and visible to everyone the replaced image is visible to.
 *   <li>Deprecated: listed, flagged, skipped by {@code latest}. Obsolete: hidden from lists
 *       unless the list filters on {@code imagegov_lifecycle_state}; refused for a new launch
 *       except to admins, still served to an existing instance ({@link
 *       dev.imagegov.lifecycle.LifecycleRules#useRefusal}, a step of the download pipeline, so
 *       {@code explain} reports it). Deleted: Glance's deletion; an in-use image only by an
 *       admin.
 *   <li>Version order: explicit versions when both have one, else creation time, then id.
 *   <li>{@code latest}: the newest version the caller may download now, active in both status
 *       and lifecycle state, not excluded, an accepted membership for a shared image.
 *   <li>A plan never touches a protected or in-use version; {@code apply} performs exactly the
 *       plan; the dry run is the same function writing nothing.
 * </ul>
 */
@NullMarked
package dev.imagegov.lifecycle;

import org.jspecify.annotations.NullMarked;
