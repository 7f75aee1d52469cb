/**
 * Values of the data use cases ({@link dev.imagegov.Data}): the requested {@link
 * dev.imagegov.data.ByteRange} and the resolved {@link dev.imagegov.data.ContentRange}, the
 * {@link dev.imagegov.data.ImageDownload} result (with Glance's "no data" answer made explicit),
 * {@link dev.imagegov.data.DataCorruptionException} for a verified download whose bytes do not
 * match the recorded hashes, and the {@link dev.imagegov.data.ScrubReport}.
 */
@NullMarked
package dev.imagegov.data;

import org.jspecify.annotations.NullMarked;
