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
 *   <li>Glance's attribute and value rules, in one table ({@code
 *       dev.imagegov.image.internal.Attributes}): for each
 *       attribute, what create and patch answer when a caller names it (its own field, read-only
 *       403, reserved 403, the location API, or a custom property), its kind of value and rule
 *       (lengths, no 4-byte characters, {@code min_*} signs and range, configured formats,
 *       caller-chosen ids), the statuses in which patch may change it (formats only while queued
 *       or importing), with Glance's messages; the per-image tag, property and member quotas.
 *       Create asks it for every field; {@code dev.imagegov.patch}'s parser and applier ask it
 *       for every path and operation; {@code Attributes.check} is the value step a check
 *       pipeline runs.
 *   <li>Create ({@code Images.create}): {@code add_image} and the owner rule, the visibility
 *       rules of the target value ({@code publicize_image}, {@code communitize_image}), create
 *       protections, {@code image_count_total}, 409 for an id that exists or existed.
 *   <li>Get and list: the by-id predicate then {@code get_image}; {@code get_images}; the
 *       marker's visibility; filters on properties the caller may not read match nothing.
 *   <li>Delete: {@code delete_image}, ownership, {@code protected}, {@code delayed_delete}.
 *   <li>Status and visibility: deactivate and reactivate only from active or deactivated;
 *       visibility changes never touch members.
 *   <li>Updates ({@code Updates}): each operation's policy (location rules, owner changes by
 *       admins only, the visibility rules, {@code modify_image}) then the pure applier of {@code
 *       dev.imagegov.patch}, then the hard mutate check, under one compare-and-set, one commit
 *       and its events; tag operations.
 * </ul>
 *
 * <p>The table lives in the non-API sub-package {@code dev.imagegov.image.internal} so that
 * {@code dev.imagegov.patch} and the check pipelines of {@code dev.imagegov.access} ask the same
 * table without it being part of the API.
 */
@NullMarked
package dev.imagegov.image;

import org.jspecify.annotations.NullMarked;
