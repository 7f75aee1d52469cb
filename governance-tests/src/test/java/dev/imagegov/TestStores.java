package dev.imagegov;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.store.file.FileBlobStore;
import dev.imagegov.store.file.FileBlobStoreOptions;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.file.FileCatalogOptions;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real stores a test runs on, in memory or in files (without fsync) under one directory, each
 * file store in a directory of its own; {@link #close()} closes what was opened, in order (a test
 * calls it from its {@code @AfterEach}). Not thread-safe.
 */
final class TestStores implements AutoCloseable {
  /** Where a catalog or the blobs live. */
  enum Kind { MEMORY, FILE }

  private final Path dir;
  private final List<AutoCloseable> opened = new ArrayList<>();

  TestStores(Path dir) {
    this.dir = dir;
  }

  /** {@return a fresh, empty catalog of {@code kind}} */
  Catalog catalog(Kind kind) {
    if (kind == Kind.MEMORY) {
      return new MemoryCatalog();
    }
    return opened(
        FileCatalog.open(fresh("catalog"), FileCatalogOptions.builder().fsync(false).build()));
  }

  /** {@return a fresh, empty blob store {@code id} of {@code kind}, of {@code capacity} bytes} */
  BlobStore blobs(Kind kind, StoreId id, long capacity) {
    if (kind == Kind.MEMORY) {
      return MemoryBlobStore.builder(id).capacity(capacity).build();
    }
    return opened(FileBlobStore.open(id, fresh("blobs"),
        FileBlobStoreOptions.builder().fsync(false).capacity(capacity).build()));
  }

  /** {@return {@code c}, which {@link #close()} will close} */
  <T extends AutoCloseable> T opened(T c) {
    opened.add(c);
    return c;
  }

  private Path fresh(String what) {
    return dir.resolve(what + "-" + opened.size());
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
  }
}
