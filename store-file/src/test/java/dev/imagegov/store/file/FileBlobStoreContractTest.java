package dev.imagegov.store.file;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.testkit.contract.BlobStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/**
 * FileBlobStore keeps every guarantee of the BlobStore port: the testkit's contract suite, each
 * store in a fresh directory, with fsync off for speed (durability is proven by {@link
 * FileBlobStoreCrashTest} with fsync on). File-specific behaviour (layout, recovery,
 * verification, locking) is in {@link FileBlobStoreTest}.
 */
class FileBlobStoreContractTest extends BlobStoreContract {
  private static final int CHUNK = 64 * 1024;

  private final List<FileBlobStore> opened = new ArrayList<>();
  private final List<Path> directories = new ArrayList<>();

  private synchronized FileBlobStore open(FileBlobStoreOptions options) {
    try {
      Path dir = Files.createTempDirectory("imagegov-blob-contract");
      directories.add(dir);
      FileBlobStore store = FileBlobStore.open(StoreId.of("file"), dir, options);
      opened.add(store);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected BlobStore newStore() {
    return open(FileBlobStoreOptions.builder().fsync(false).chunkSize(CHUNK).build());
  }

  @Override
  protected Optional<BlobStore> newStoreWithCapacity(long totalBytes) {
    return Optional.of(
        open(
            FileBlobStoreOptions.builder()
                .fsync(false)
                .chunkSize(CHUNK)
                .capacity(totalBytes)
                .build()));
  }

  @Override
  protected int chunkSize() {
    return CHUNK;
  }

  @AfterEach
  synchronized void closeAndDelete() throws IOException {
    opened.forEach(FileBlobStore::close);
    opened.clear();
    for (Path dir : directories) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    directories.clear();
  }
}
