/**
 * The in-memory store: {@link dev.imagegov.store.memory.MemoryCatalog}, an indexed, thread-safe
 * {@link dev.imagegov.spi.Catalog} that answers list queries in the default order by walking
 * sorted indexes instead of scanning the catalog.
 */
@NullMarked
package dev.imagegov.store.memory;

import org.jspecify.annotations.NullMarked;
