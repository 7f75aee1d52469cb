/**
 * A durable, crash-safe {@link dev.imagegov.spi.Catalog} on a local file system: {@link
 * dev.imagegov.store.file.FileCatalog} keeps the in-memory catalog as its working state and makes
 * every change durable in a checksummed write-ahead journal, compacted by snapshots. The on-disk
 * format is described in the module's README.
 */
@NullMarked
package dev.imagegov.store.file;

import org.jspecify.annotations.NullMarked;
