/**
 * The in-memory store: {@link dev.imagegov.store.memory.MemoryCatalog}, an indexed, thread-safe
 * {@link dev.imagegov.spi.Catalog} that answers list queries by walking sorted index ranges
 * (default order, configured sort fields, names and other equality ranges, tags, configured
 * custom properties, for every caller's visibility) instead of scanning the catalog; and {@link
 * dev.imagegov.store.memory.MemoryBlobStore}, a {@link dev.imagegov.spi.blob.BlobStore} holding
 * image data in bounded heap chunks.
 */
@NullMarked
package dev.imagegov.store.memory;

import org.jspecify.annotations.NullMarked;
