package dev.imagegov;

import dev.imagegov.access.Caller;
import dev.imagegov.data.Imports;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.UsageReport;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A governance on the memory catalog with three memory blob stores ({@code fast}, the default,
 * {@code cheap} and {@code slow}) and a memory staging store, for the import and data-check rules.
 */
final class ImportFixtures {
  static final StoreId FAST = StoreId.of("fast");
  static final StoreId CHEAP = StoreId.of("cheap");
  static final StoreId SLOW = StoreId.of("slow");

  final MemoryCatalog catalog = new MemoryCatalog();
  final MemoryBlobStore fast = MemoryBlobStore.builder(FAST).chunkSize(4096).build();
  final MemoryBlobStore cheap = MemoryBlobStore.builder(CHEAP).chunkSize(4096).build();
  final MemoryBlobStore slow;
  final MemoryBlobStore staging =
      MemoryBlobStore.builder(StoreId.of("staging")).chunkSize(4096).build();
  final List<GovernanceEvent> events = new CopyOnWriteArrayList<>();
  final TickingClock clock = new TickingClock();
  final ImageGovernance governance;

  ImportFixtures() {
    this(GovernanceConfig.defaults());
  }

  ImportFixtures(GovernanceConfig config) {
    this(config, b -> {}, Long.MAX_VALUE);
  }

  /**
   * With {@code slowCapacity} bytes in the {@code slow} store (a small one makes its writes fail)
   * and {@code customize} applied to the builder (certificates, fetcher, executor).
   */
  ImportFixtures(
      GovernanceConfig config, Consumer<ImageGovernance.Builder> customize, long slowCapacity) {
    slow = MemoryBlobStore.builder(SLOW).capacity(slowCapacity).chunkSize(4096).build();
    ImageGovernance.Builder b =
        ImageGovernance.builder()
            .catalog(catalog)
            .config(config)
            .clock(clock)
            .listener(events::add)
            .blobStore(fast)
            .blobStore(cheap)
            .blobStore(slow)
            .stagingStore(staging);
    customize.accept(b);
    governance = b.build();
  }

  Imports imports() {
    return governance.imports();
  }

  /** A queued image of {@code caller}'s project with the given formats. */
  Image queued(Caller caller, String diskFormat, String containerFormat) {
    return governance.images().create(
        caller,
        NewImage.builder().diskFormat(diskFormat).containerFormat(containerFormat).build());
  }

  Image queued(Caller caller) {
    return queued(caller, "raw", "bare");
  }

  Image upload(Caller caller, ImageId id, byte[] data) {
    return governance.data().upload(
        caller, id, new ByteArrayInputStream(data), OptionalLong.of(data.length));
  }

  Image stage(Caller caller, ImageId id, byte[] data) {
    return imports().stage(
        caller, id, new ByteArrayInputStream(data), OptionalLong.of(data.length));
  }

  Image stored(ImageId id) {
    return catalog.find(id).orElseThrow();
  }

  UsageReport usage(Caller caller) {
    return governance.quotas().usage(Fixtures.ADMIN, caller.project().orElseThrow());
  }

  UsageReport usage(ProjectId project) {
    return governance.quotas().usage(Fixtures.ADMIN, project);
  }

  /** Bytes held by the three final stores. */
  long storedBlobBytes() {
    return fast.capacity().used() + cheap.capacity().used() + slow.capacity().used();
  }

  boolean isStaged(ImageId id) {
    return staging.exists(BlobKey.of(id));
  }

  /** Nothing of the image anywhere: no blob in any store or staging, no usage for its owner. */
  boolean leftNothing(ImageId id, Caller owner) {
    BlobKey key = BlobKey.of(id);
    UsageReport usage = usage(owner);
    return !fast.exists(key) && !cheap.exists(key) && !slow.exists(key) && !staging.exists(key)
        && usage.storedBytes() == 0 && usage.stagedBytes() == 0
        && usage.uploadsInProgress() == 0;
  }
}
