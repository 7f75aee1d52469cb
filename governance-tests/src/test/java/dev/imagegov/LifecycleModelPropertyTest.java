package dev.imagegov;

import dev.imagegov.model.StoreId;
import dev.imagegov.store.file.FileBlobStore;
import dev.imagegov.store.file.FileBlobStoreOptions;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.file.FileCatalogOptions;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.model.LifecycleModelCheck;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle agrees with the testkit's reference model (families, deprecation states,
 * exclusion, {@code latest} by family and by id, recorded last use) on sequences from fixed seeds;
 * on the file store, also across restarts of the catalog and the blob store.
 */
class LifecycleModelPropertyTest {
  @TempDir Path dir;

  private static ImageGovernance governance() {
    return ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .blobStore(MemoryBlobStore.create("fast"))
        .clock(new TickingClock())
        .build();
  }

  @Test
  void theLifecycleAgreesWithTheReferenceModel() {
    LifecycleModelCheck.against(LifecycleModelPropertyTest::governance).withExamples(300).run();
  }

  @Test
  void theLifecycleAgreesWithTheReferenceModelOnAnotherSeed() {
    LifecycleModelCheck.against(LifecycleModelPropertyTest::governance).withSeed(20261207L)
        .withExamples(40).run();
  }

  @Test
  void theFileStoreKeepsAllOfTheLifecycleAcrossRestarts() {
    AtomicInteger sequences = new AtomicInteger();
    LifecycleModelCheck.acrossRestarts(
            () -> new FileGovernance(dir.resolve("s" + sequences.incrementAndGet())))
        .withExamples(60).run();
  }

  /**
   * A governance over a file catalog and a file blob store in one directory; a restart closes
   * both and opens them again on it, with the same clock (so time goes on) and configuration.
   */
  private static final class FileGovernance implements LifecycleModelCheck.Restartable {
    /** A snapshot every few records, so reopening reads a snapshot and a journal tail. */
    private static final FileCatalogOptions CATALOG =
        FileCatalogOptions.builder().fsync(false).snapshotInterval(5).build();
    private static final FileBlobStoreOptions BLOBS =
        FileBlobStoreOptions.builder().fsync(false).build();

    private final Path dir;
    private final Clock clock = new TickingClock();
    private FileCatalog catalog;
    private FileBlobStore blobs;
    private ImageGovernance governance;

    FileGovernance(Path dir) {
      this.dir = dir;
      open();
    }

    private void open() {
      catalog = FileCatalog.open(dir.resolve("catalog"), CATALOG);
      blobs = FileBlobStore.open(StoreId.of("fast"), dir.resolve("blobs"), BLOBS);
      governance = ImageGovernance.builder().catalog(catalog).blobStore(blobs).clock(clock)
          .build();
    }

    @Override
    public ImageGovernance governance() {
      return governance;
    }

    @Override
    public ImageGovernance restart() {
      close();
      open();
      return governance;
    }

    @Override
    public void close() {
      governance.close();
      blobs.close();
      catalog.close();
    }
  }
}
