package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.TestStores.Kind;
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
import dev.imagegov.testkit.gen.DiskImages;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;
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

  private final List<GovernanceEvent> events = new CopyOnWriteArrayList<>();
  @RegisterExtension final TestStores stores = new TestStores();
  private Catalog catalog;
  private BlobStore blobs;

  private ImageGovernance governance(Kind kind, GovernanceConfig config) {
    catalog = stores.catalog(kind);
    blobs = stores.blobs(kind, STORE, Long.MAX_VALUE);
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
    for (Kind kind : Kind.values()) {
      events.clear();
      ImageGovernance g = governance(kind, refusal.config());
      Image queued = g.images().create(PRODUCER, NewImage.builder()
          .diskFormat(refusal.diskFormat).containerFormat("bare").build());
      Image before = catalog.find(queued.id()).orElseThrow();
      events.clear();

      Expect.fails(refusal.code, () -> g.data().upload(
          PRODUCER, queued.id(), new ByteArrayInputStream(refusal.data), OptionalLong.empty()));

      Image after = catalog.find(queued.id()).orElseThrow();
      assertThat(after.version()).as("%s: claim and release", kind)
          .isEqualTo(before.version() + 2);
      assertThat(after.toBuilder().version(before.version()).build())
          .as("%s: the image but for its version", kind).isEqualTo(before);
      assertThat(events).as("%s: events of a refused upload", kind).isEmpty();
      assertThat(blobs.capacity().used()).as("%s: bytes left in the store", kind).isZero();
      UsageReport usage = g.quotas().usage(ADMIN, ProjectId.of("producer"));
      assertThat(usage.storedBytes()).as("%s: stored bytes", kind).isZero();
      assertThat(usage.uploadsInProgress()).as("%s: uploads in progress", kind).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aSavedUploadPublishesBothStatusChangesWithItsData(Kind kind) {
    ImageGovernance g = governance(kind, GovernanceConfig.defaults());
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
