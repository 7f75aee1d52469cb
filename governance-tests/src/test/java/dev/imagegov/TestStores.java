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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real stores a test runs on, in memory or in files (without fsync), each file store in a
 * directory of its own under a temporary directory. Registered with {@code @RegisterExtension}, it
 * closes what a test opened, in order, after each test, and deletes the files. Not thread-safe.
 */
final class TestStores implements AfterEachCallback {
  /** Where a catalog or the blobs live. */
  enum Kind { MEMORY, FILE }

  private final List<AutoCloseable> opened = new ArrayList<>();
  private Path dir;

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

  /** {@return {@code c}, which is closed after the test} */
  <T extends AutoCloseable> T opened(T c) {
    opened.add(c);
    return c;
  }

  private Path fresh(String what) {
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("imagegov-test-stores");
      }
      return dir.resolve(what + "-" + opened.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
    opened.clear();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      dir = null;
    }
  }
}
