/**
 * Image use cases: {@link dev.imagegov.image.Images}, the group {@link
 * dev.imagegov.ImageGovernance#images()} returns.
 *
 * <p>Start with {@link dev.imagegov.image.Images#create}, {@link dev.imagegov.image.Images#get}
 * and {@link dev.imagegov.image.Images#list}; changes go through {@link
 * dev.imagegov.image.Images#update} (typed operations) or {@link dev.imagegov.image.Images#patch}
 * (a JSON-patch document).
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Glance's value rules for image attributes ({@code Validation}): reserved ({@code
 *       os_glance*}, {@code location}, {@code owner}, …), read-only and base attribute names;
 *       lengths; no 4-byte characters; {@code min_disk}/{@code min_ram} ranges; configured
 *       formats; caller-chosen ids; the per-image tag and property quotas.
 *   <li>Create ({@code Images.create}): {@code add_image} and the owner rule, the visibility
 *       rules of the target value ({@code publicize_image}, {@code communitize_image}), create
 *       protections, {@code image_count_total}, 409 for an id that exists or existed.
 *   <li>Get and list: the by-id predicate then {@code get_image}; {@code get_images}; the
 *       marker's visibility; filters on properties the caller may not read match nothing.
 *   <li>Delete: {@code delete_image}, ownership, {@code protected}, {@code delayed_delete}.
 *   <li>Status and visibility: deactivate and reactivate only from active or deactivated;
 *       visibility changes never touch members.
 *   <li>Updates ({@code Updates}): the patch applier of {@code dev.imagegov.patch} run under one
 *       compare-and-set, one commit and its events; tag operations.
 * </ul>
 *
 * <p>{@code Validation} is public only so that {@code dev.imagegov.sharing} can apply its
 * member-id and quota rules; it is not API.
 */
@NullMarked
package dev.imagegov.image;

import org.jspecify.annotations.NullMarked;
