/**
 * Durable, crash-safe stores on a local file system: {@link
 * dev.imagegov.store.file.FileCatalog}, a {@link dev.imagegov.spi.Catalog} that keeps the
 * in-memory catalog as its working state and makes every change durable in a checksummed
 * write-ahead journal, compacted by snapshots; and {@link dev.imagegov.store.file.FileBlobStore},
 * a {@link dev.imagegov.spi.blob.BlobStore} of plain files published by atomic rename, with hash
 * records it can verify its blobs against. The on-disk formats are described in the module's
 * README.
 *
 * <p>The generated {@code Immutable*} types of this package carry no classpath annotation (in
 * particular not {@code org.immutables.value.Generated}, absent from an application's class path):
 * {@code allowedClasspathAnnotations} names only {@link Override}, which is never placed on a type.
 */
@NullMarked
@ValueStyle
package dev.imagegov.store.file;

import dev.imagegov.model.ValueStyle;
import org.jspecify.annotations.NullMarked;
