/**
 * Internal to imagegov, not API: the machinery every use case shares. Public only so that the
 * concern packages ({@code image}, {@code sharing}, {@code data}, {@code quota}, {@code access})
 * and the root builder can use one implementation; anything here may change or disappear in any
 * release without notice.
 *
 * <p>Start with {@link dev.imagegov.internal.Engine}, the kernel: the use cases reach the catalog,
 * the policy, the usage store and the listeners only through its named operations, and get
 * their own collaborators (configuration, {@link dev.imagegov.internal.Stores}, {@link
 * dev.imagegov.internal.ImportServices}) through their constructors.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Glance's by-id visibility predicate ({@link
 *       dev.imagegov.internal.Engine#visibleBecause}) and its Forbidden-becomes-NotFound
 *       enforcement of a rule ({@link dev.imagegov.internal.Engine#enforce}).
 *   <li>The hard mutate check: only an admin or the owner changes an image ({@link
 *       dev.imagegov.internal.Engine#checkMutable}).
 *   <li>The kernel's one compare-and-set loop ({@link dev.imagegov.internal.Engine#commit}, and
 *       {@link dev.imagegov.internal.Engine#remove} for deletions): a use case hands it a change
 *       (checks plus replacement, re-run on every lost race) and the events it causes; the kernel
 *       answers a vanished image with Glance's 404, records usage in the usage store itself (or
 *       settles it from a reservation), and publishes the events after commit with contained
 *       listener failures ({@link dev.imagegov.internal.Engine#publish}). A compensating commit
 *       of failed work ({@link dev.imagegov.internal.Engine#compensate}) is retried, and kept
 *       for {@code scrub} ({@link dev.imagegov.internal.Engine#retryCompensations}) if the
 *       catalog keeps refusing it.
 *   <li>The caller's view of an image ({@link dev.imagegov.internal.Engine#viewFor}): properties
 *       it may not read, other projects' memberships, and locations unless {@code
 *       show_multiple_locations} / {@code show_image_direct_url} and {@code get_image_location}
 *       allow them, removed.
 *   <li>The wiring of the data paths ({@link dev.imagegov.internal.Stores}, {@link
 *       dev.imagegov.internal.ImportServices}) and the default in-heap staging store ({@link
 *       dev.imagegov.internal.StagingArea}); the import task registry is the data package's own.
 * </ul>
 */
@NullMarked
package dev.imagegov.internal;

import org.jspecify.annotations.NullMarked;
