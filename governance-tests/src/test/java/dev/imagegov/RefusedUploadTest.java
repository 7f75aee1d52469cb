package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.StatusChanged;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.UsageReport;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.store.file.FileBlobStore;
import dev.imagegov.store.file.FileBlobStoreOptions;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.file.FileCatalogOptions;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.gen.DiskImages;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A refused upload changes nothing: refused mid-stream (over the storage quota, over {@code
 * image_size_cap}, data not in its {@code disk_format}), on the memory and on the file stores,
 * the image is stored exactly as it was but for its version (two higher: the upload's claim and
 * its release), no event is published, no blob is left and no usage is recorded.
 */
class RefusedUploadTest {
  private static final StoreId STORE = StoreId.of("local");
  private static final byte[] FORTY = new byte[40];

  /** Where the catalog and the blobs live. */
  enum Stores { MEMORY, FILE }

  /** A refusal that can only happen once the data streams. */
  enum Refusal {
    STORAGE_QUOTA(RuleCode.STORAGE_QUOTA_EXCEEDED, "raw", FORTY),
    SIZE_CAP(RuleCode.IMAGE_TOO_LARGE, "raw", FORTY),
    INSPECTION(RuleCode.IMAGE_FORMAT_MISMATCH, "raw", DiskImages.qcow2(1L << 30));

    final ErrorCode code;
    final String diskFormat;
    final byte[] data;

    Refusal(ErrorCode code, String diskFormat, byte[] data) {
      this.code = code;
      this.diskFormat = diskFormat;
      this.data = data;
    }

    GovernanceConfig config() {
      GovernanceConfig.Builder b = GovernanceConfig.builder();
      if (this == STORAGE_QUOTA) {
        b.userStorageQuota("10B");
      } else if (this == SIZE_CAP) {
        b.imageSizeCap(10);
      }
      return b.build();
    }
  }

  @TempDir Path dir;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<GovernanceEvent> events = new CopyOnWriteArrayList<>();
  private Catalog catalog;
  private BlobStore blobs;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : opened) {
      c.close();
    }
  }

  private ImageGovernance governance(Stores stores, GovernanceConfig config) {
    if (stores == Stores.MEMORY) {
      catalog = new MemoryCatalog();
      blobs = MemoryBlobStore.builder(STORE).build();
    } else {
      FileCatalog c = FileCatalog.open(
          dir.resolve(stores.name()).resolve("catalog"), FileCatalogOptions.builder().fsync(false).build());
      FileBlobStore b = FileBlobStore.open(
          STORE, dir.resolve(stores.name()).resolve("blobs"), FileBlobStoreOptions.builder().fsync(false).build());
      opened.add(c);
      opened.add(b);
      catalog = c;
      blobs = b;
    }
    return ImageGovernance.builder()
        .catalog(catalog)
        .blobStore(blobs)
        .config(config)
        .clock(new TickingClock())
        .listener(events::add)
        .build();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @EnumSource(Refusal.class)
  void aRefusedUploadLeavesTheImageAsItWasButForItsVersionAndPublishesNothing(Refusal refusal) {
    for (Stores stores : Stores.values()) {
      events.clear();
      ImageGovernance g = governance(stores, refusal.config());
      Image queued = g.images().create(PRODUCER, NewImage.builder()
          .diskFormat(refusal.diskFormat).containerFormat("bare").build());
      Image before = catalog.find(queued.id()).orElseThrow();
      events.clear();

      Expect.fails(refusal.code, () -> g.data().upload(
          PRODUCER, queued.id(), new ByteArrayInputStream(refusal.data), OptionalLong.empty()));

      Image after = catalog.find(queued.id()).orElseThrow();
      assertThat(after.version()).as("%s: claim and release", stores)
          .isEqualTo(before.version() + 2);
      assertThat(after.toBuilder().version(before.version()).build())
          .as("%s: the image but for its version", stores).isEqualTo(before);
      assertThat(events).as("%s: events of a refused upload", stores).isEmpty();
      assertThat(blobs.capacity().used()).as("%s: bytes left in the store", stores).isZero();
      UsageReport usage = g.quotas().usage(ADMIN, ProjectId.of("producer"));
      assertThat(usage.storedBytes()).as("%s: stored bytes", stores).isZero();
      assertThat(usage.uploadsInProgress()).as("%s: uploads in progress", stores).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Stores.class)
  void aSavedUploadPublishesBothStatusChangesWithItsData(Stores stores) {
    ImageGovernance g = governance(stores, GovernanceConfig.defaults());
    Image queued = g.images().create(PRODUCER, NewImage.builder()
        .diskFormat("raw").containerFormat("bare").build());
    events.clear();
    g.data().upload(PRODUCER, queued.id(), new ByteArrayInputStream(FORTY), OptionalLong.empty());
    assertThat(events).filteredOn(e -> e instanceof StatusChanged)
        .map(e -> ((StatusChanged) e).from() + "->" + ((StatusChanged) e).to())
        .containsExactly(ImageStatus.QUEUED + "->" + ImageStatus.SAVING,
            ImageStatus.SAVING + "->" + ImageStatus.ACTIVE);
  }
}
