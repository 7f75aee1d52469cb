/**
 * A blob store on S3-compatible object storage (AWS S3, Ceph RGW, MinIO, S3Proxy): {@link
 * dev.imagegov.store.s3.S3BlobStore}, a {@link dev.imagegov.spi.blob.BlobStore} on the AWS SDK
 * for Java 2, configured by {@link dev.imagegov.store.s3.S3BlobStoreOptions}. Blobs are written
 * by multipart upload with bounded memory (or by one conditional {@code PUT} when they fit in one
 * part), become visible only when the upload completes, and are read by (ranged) {@code GET}s
 * bound to the version they opened. Its configuration and guarantees are described in the
 * module's README.
 *
 * <p>The generated {@code Immutable*} types of this package carry no classpath annotation (see
 * {@link dev.imagegov.model.ValueStyle}).
 */
@NullMarked
@ValueStyle
package dev.imagegov.store.s3;

import dev.imagegov.model.ValueStyle;
import org.jspecify.annotations.NullMarked;
