/**
 * Image data: {@link dev.imagegov.data.Data} (the group {@link
 * dev.imagegov.ImageGovernance#data()} returns: upload, download, copy to stores, delete from a
 * store, scrub) and {@link dev.imagegov.data.Imports} (the group {@link
 * dev.imagegov.ImageGovernance#imports()} returns: Glance's interoperable import with discovery,
 * staging, the {@code glance-direct}, {@code web-download} and {@code copy-image} methods, and
 * tasks), with their values: the requested {@link dev.imagegov.data.ByteRange} and the resolved
 * {@link dev.imagegov.data.ContentRange}, the {@link dev.imagegov.data.ImageDownload} result (with
 * Glance's "no data" answer made explicit), {@link dev.imagegov.data.DataCorruptionException} for
 * a verified download whose bytes do not match the recorded hashes, and the {@link
 * dev.imagegov.data.ScrubReport}.
 *
 * <p>Start with {@link dev.imagegov.data.Data#upload} and {@link dev.imagegov.data.Data#download};
 * for imports, {@link dev.imagegov.data.Imports#stage} and {@link
 * dev.imagegov.data.Imports#importImage} (their values are in {@code dev.imagegov.data.imports}).
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Writing data, on one write saga ({@code WriteSaga}: reserve, write the blob, commit
 *       through the kernel, settle; one rollback path) shared by upload, staging, the import
 *       methods and copies: only a queued image with both formats set is saved (staged, for
 *       {@code glance-direct}); the declared size must match; {@code image_size_cap}; the
 *       store's reserve; storage, staging and upload-count quotas reserved ahead of the bytes
 *       ({@code MeteredInput}); a failed write leaves catalog, stores and usage as they were, and
 *       its refusal is worded once for upload and staging ({@code Data.translateWrite}).
 *   <li>Checks before data becomes active ({@code DataChecks}): the declared signature, and
 *       format inspection of {@code bare} images with {@code require_image_format_match}.
 *   <li>Reading data: {@code download_image} through {@link dev.imagegov.access.Access}, ranges,
 *       and {@code verify_downloads} ({@code CheckedDownload}).
 *   <li>Stores: copies ({@code copy_image}, {@code image_location_quota}, all or nothing, run as
 *       a {@code copy-image} import under the import lock);
 *       deleting from a store (active only, never the only location); scrub (admin only, after
 *       {@code scrub_time}).
 *   <li>Import: enabled methods, the status each method needs, the import lock and Glance's
 *       staleness rule, target stores, the {@code web-download} URI guard, {@code
 *       all_stores_must_succeed}, and the {@code os_glance_*} bookkeeping properties.
 * </ul>
 */
@NullMarked
package dev.imagegov.data;

import org.jspecify.annotations.NullMarked;
