package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.access.Caller;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;
import dev.imagegov.spi.usage.UsageStore;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Usage lives behind the usage port: a committed upload or create settles its reservation in one
 * step (never counted committed and reserved at once), and governances sharing one usage store
 * hold one quota together. The store is observed through the port's own API after every call
 * core makes on it, so a transient double count is seen deterministically, without timing.
 */
class UsagePortTest {
  private static final ProjectId PROJECT = ProjectId.of("producer");

  /**
   * A usage store that, after every call that changes it, reads the project's usage through the
   * port and keeps the largest figure of each kind; optionally runs {@code afterCommit} once,
   * right after the first committed change of stored bytes.
   */
  static final class ObservingUsageStore implements UsageStore {
    final MemoryUsageStore delegate = new MemoryUsageStore();
    final AtomicLong maxStored = new AtomicLong();
    final AtomicLong maxImages = new AtomicLong();
    @Nullable Runnable afterCommit;

    void observe() {
      UsageSnapshot s = delegate.snapshot(PROJECT);
      maxStored.accumulateAndGet(s.usage(UsageKind.STORED_BYTES), Math::max);
      maxImages.accumulateAndGet(s.usage(UsageKind.IMAGES), Math::max);
    }

    void committed(UsageDelta delta) {
      observe();
      Runnable hook = afterCommit;
      if (hook != null && delta.amount(UsageKind.STORED_BYTES) > 0) {
        afterCommit = null;
        hook.run();
      }
    }

    @Override
    public Reservation open(ProjectId project) {
      Reservation r = delegate.open(project);
      return new Reservation() {
        @Override
        public ProjectId project() {
          return r.project();
        }

        @Override
        public boolean tryGrow(UsageKind kind, long amount, long limit) {
          boolean grown = r.tryGrow(kind, amount, limit);
          observe();
          return grown;
        }

        @Override
        public long held(UsageKind kind) {
          return r.held(kind);
        }

        @Override
        public void settle(UsageDelta delta) {
          r.settle(delta);
          committed(delta);
        }

        @Override
        public void close() {
          r.close();
          observe();
        }
      };
    }

    @Override
    public void record(UsageDelta delta) {
      delegate.record(delta);
      committed(delta);
    }

    @Override
    public UsageSnapshot snapshot(ProjectId project) {
      return delegate.snapshot(project);
    }
  }

  private static ImageGovernance governance(Catalog catalog, UsageStore usage, String quota) {
    return ImageGovernance.builder()
        .catalog(catalog)
        .usage(usage)
        .config(GovernanceConfig.builder().userStorageQuota(quota).build())
        .clock(new TickingClock())
        .blobStore(MemoryBlobStore.builder(DataFixtures.FAST).build())
        .build();
  }

  private static Image queued(ImageGovernance g, Caller caller) {
    return g.images()
        .create(caller, NewImage.builder().diskFormat("raw").containerFormat("bare").build());
  }

  private static Image upload(ImageGovernance g, Image image, int bytes) {
    return g.data()
        .upload(PRODUCER, image.id(), new ByteArrayInputStream(new byte[bytes]),
            OptionalLong.of(bytes));
  }

  @Test
  void anUploadIsNeverCountedCommittedAndReservedAtOnce() {
    ObservingUsageStore usage = new ObservingUsageStore();
    ImageGovernance g = governance(new MemoryCatalog(), usage, "100B");
    Image image = queued(g, PRODUCER);

    upload(g, image, 100);

    assertThat(usage.maxStored.get())
        .as("stored bytes (committed plus reserved) seen after every call on the usage store")
        .isEqualTo(100);
    assertThat(g.quotas().usage(ADMIN, PROJECT).storedBytes()).isEqualTo(100);
  }

  @Test
  void aCreateIsNeverCountedCommittedAndReservedAtOnce() {
    ObservingUsageStore usage = new ObservingUsageStore();
    ImageGovernance g = governance(new MemoryCatalog(), usage, "100B");

    queued(g, PRODUCER);

    assertThat(usage.maxImages.get())
        .as("images (committed plus reserved) seen after every call on the usage store")
        .isEqualTo(1);
  }

  @Test
  void anUploadThatFitsIsNotRefusedWhileAnotherIsFinishing() {
    ObservingUsageStore usage = new ObservingUsageStore();
    ImageGovernance g = governance(new MemoryCatalog(), usage, "100B");
    Image first = queued(g, PRODUCER);
    Image second = queued(g, PRODUCER);
    Image[] secondResult = new Image[1];
    // Right after the first upload's bytes are committed, before its call returns.
    usage.afterCommit = () -> secondResult[0] = upload(g, second, 40);

    upload(g, first, 60);

    assertThat(secondResult[0].status())
        .as("60 committed + 40 fits the limit of 100 while the first upload finishes")
        .isEqualTo(dev.imagegov.model.ImageStatus.ACTIVE);
    assertThat(g.quotas().usage(ADMIN, PROJECT).storedBytes()).isEqualTo(100);
  }

  @Test
  void governancesSharingOneUsageStoreHoldOneQuota() {
    MemoryCatalog catalog = new MemoryCatalog();
    MemoryUsageStore usage = new MemoryUsageStore();
    ImageGovernance nodeA = governance(catalog, usage, "100B");
    ImageGovernance nodeB = governance(catalog, usage, "100B");

    upload(nodeA, queued(nodeA, PRODUCER), 60);
    Image refused = queued(nodeB, PRODUCER);
    Expect.fails(RuleCode.STORAGE_QUOTA_EXCEEDED, () -> upload(nodeB, refused, 50));
    upload(nodeB, refused, 40);

    assertThat(nodeA.quotas().usage(ADMIN, PROJECT).storedBytes())
        .as("each node reports the usage both made")
        .isEqualTo(100);
    assertThat(nodeB.quotas().usage(ADMIN, PROJECT).imageCount()).isEqualTo(2);
  }

  @Test
  void theDefaultUsageStoreStartsFromTheCatalog() {
    MemoryCatalog catalog = new MemoryCatalog();
    ImageGovernance first = governance(catalog, new MemoryUsageStore(), "100B");
    upload(first, queued(first, PRODUCER), 70);

    ImageGovernance rebuilt =
        ImageGovernance.builder()
            .catalog(catalog)
            .config(GovernanceConfig.builder().userStorageQuota("100B").build())
            .blobStore(MemoryBlobStore.builder(DataFixtures.FAST).build())
            .build();

    assertThat(rebuilt.quotas().usage(ADMIN, PROJECT).storedBytes())
        .as("the default memory usage store counts what the catalog holds")
        .isEqualTo(70);
    assertThat(rebuilt.quotas().usage(ADMIN, PROJECT).imageCount()).isEqualTo(1);
  }

  /**
   * The port's joint writes refuse a null usage commit before they write the catalog: bad input
   * changes nothing, not even the catalog half of a write.
   */
  @Test
  void aNullUsageCommitIsRefusedBeforeTheCatalogIsWritten() {
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().delayedDelete(true)
        .scrubTime(java.time.Duration.ofHours(1)).build());
    Catalog catalog = f.catalog;
    Image image = f.active(PRODUCER, "kept");
    f.governance.images().delete(PRODUCER, image.id());
    Image live = f.stored(f.active(PRODUCER, "live").id());
    UsageStore store = new MemoryUsageStore();

    assertThatThrownBy(() -> store.undelete(catalog, image.id(), Instant.EPOCH, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(catalog.find(image.id())).as("undelete: still pending delete").isEmpty();
    assertThat(catalog.pendingDeletes()).containsExactly(image.id());
    assertThatThrownBy(() -> store.delete(catalog, live.id(), live.version(),
        dev.imagegov.model.ImageStatus.DELETED, Instant.EPOCH, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.compareAndSet(catalog, live.version(),
        live.toBuilder().name("renamed").build(), null))
        .isInstanceOf(NullPointerException.class);
    assertThat(catalog.find(live.id())).as("delete, compareAndSet: the image as it was")
        .contains(live);
    Image fresh = live.toBuilder().id(dev.imagegov.testkit.gen.Ids.imageId(77)).version(1).build();
    assertThatThrownBy(() -> store.insert(catalog, fresh, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(catalog.isKnown(fresh.id())).as("insert: nothing stored").isFalse();
    assertThat(store.snapshot(PROJECT).usage(UsageKind.IMAGES)).isZero();
  }
}
