/**
 * The in-memory store: {@link dev.imagegov.store.memory.MemoryCatalog}, an indexed, thread-safe
 * {@link dev.imagegov.spi.Catalog} that answers list queries in the default order by walking
 * sorted indexes instead of scanning the catalog; and {@link
 * dev.imagegov.store.memory.MemoryBlobStore}, a {@link dev.imagegov.spi.blob.BlobStore} holding
 * image data in bounded heap chunks.
 */
@NullMarked
package dev.imagegov.store.memory;

import org.jspecify.annotations.NullMarked;
