/**
 * Glance's wire forms as library API, for an HTTP front end on imagegov (and the tests that check
 * one): {@link dev.imagegov.wire.GlanceWire} writes images, members and list pages as Glance's
 * JSON (with {@code self}/{@code file}/{@code schema} links given a base URL, and {@code
 * first}/{@code next} on a page) and reads a {@code POST /v2/images} body into a {@link
 * dev.imagegov.NewImage}; {@link dev.imagegov.wire.GlanceErrors} is Glance's error body for a
 * {@link dev.imagegov.error.GovernanceException}; {@link dev.imagegov.wire.PathIds} takes the ids
 * of a path as text.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Glance's image, member, member list and image list representations ({@code
 *       glance/api/v2/images.py} and {@code image_members.py} {@code ResponseSerializer}): field
 *       names, {@code null} for absent values, times to the second, custom properties flattened,
 *       links; {@code locations}, {@code direct_url} and {@code stores} only as the caller's view
 *       carries locations.
 *   <li>The reading of a create body ({@code RequestDeserializer.create}): a bounded JSON object
 *       ({@link dev.imagegov.wire.BodyLimits}), its names screened by the attribute table of
 *       {@code dev.imagegov.image}, the image schema, then each value's rule from the same table.
 *   <li>webob's JSON error body for Glance's {@code HTTPException}s ({@code message}, {@code
 *       code}, {@code title}).
 *   <li>A malformed image id in a path is an image not found (404), as Glance answers it.
 * </ul>
 */
@NullMarked
package dev.imagegov.wire;

import org.jspecify.annotations.NullMarked;
