package dev.imagegov;

import dev.imagegov.access.Caller;
import dev.imagegov.lifecycle.MemoryImageUsage;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.report.HygieneReport;
import dev.imagegov.report.HygieneRequest;
import dev.imagegov.sharing.MemoryTenancy;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A governance for the report tests: a memory catalog, two memory blob stores ({@code fast} of
 * 10,000 bytes in chunks of 64 and {@code slow} of 100,000), a memory staging store, a usage store the test can
 * reach, a tenancy directory of a producer and two consumers, a usage port, a ticking clock from
 * 2026-01-01 and sequential image ids (so every report renders alike on every run).
 */
final class ReportWorld {
  static final Caller ADMIN = Fixtures.ADMIN;
  static final Caller PRODUCER = Fixtures.PRODUCER;
  static final Caller CONSUMER_A = Fixtures.CONSUMER_A;
  static final Caller CONSUMER_B = Fixtures.CONSUMER_B;
  static final ProjectId PRODUCER_P = ProjectId.of("producer");
  static final StoreId FAST = StoreId.of("fast");
  static final StoreId SLOW = StoreId.of("slow");

  final MemoryCatalog catalog = new MemoryCatalog();
  final MemoryBlobStore fast;
  final MemoryBlobStore slow;
  final MemoryBlobStore staging;
  final MemoryUsageStore usage = new MemoryUsageStore();
  final MemoryImageUsage inUse = new MemoryImageUsage();
  final MemoryTenancy tenancy = MemoryTenancy.builder()
      .domain(ProjectId.of("default"))
      .project(PRODUCER_P, null, ProjectId.of("default"))
      .project(ProjectId.of("consumer-a"), null, ProjectId.of("default"))
      .project(ProjectId.of("consumer-b"), null, ProjectId.of("default"))
      .build();
  final TickingClock clock = new TickingClock();
  final ImageGovernance governance;
  private final AtomicLong ids = new AtomicLong();

  ReportWorld() {
    this(GovernanceConfig.defaults());
  }

  ReportWorld(GovernanceConfig config) {
    this(config, MemoryBlobStore.builder(FAST).capacity(10_000).chunkSize(64).build(),
        MemoryBlobStore.builder(SLOW).capacity(100_000).build(),
        MemoryBlobStore.create("staging"));
  }

  /**
   * A world whose stores have the capacities given ({@code fast} in chunks of 64 still), for the
   * quota arithmetic, whose figures want stores of many MiB.
   */
  ReportWorld(GovernanceConfig config, long fastBytes, long slowBytes, long stagingBytes) {
    this(config, MemoryBlobStore.builder(FAST).capacity(fastBytes).chunkSize(64).build(),
        MemoryBlobStore.builder(SLOW).capacity(slowBytes).build(),
        MemoryBlobStore.builder(StoreId.of("staging")).capacity(stagingBytes).build());
  }

  private ReportWorld(GovernanceConfig config, MemoryBlobStore fast, MemoryBlobStore slow,
      MemoryBlobStore staging) {
    this.fast = fast;
    this.slow = slow;
    this.staging = staging;
    this.governance = ImageGovernance.builder()
        .catalog(catalog)
        .config(config)
        .clock(clock)
        .ids(() -> new UUID(0x1111_0000_0000_4000L, 0x8000_0000_0000_0000L | ids.incrementAndGet()))
        .blobStore(fast)
        .blobStore(slow)
        .stagingStore(staging)
        .usage(usage)
        .imageUsage(inUse)
        .build();
  }

  /** The default request: this world's tenancy, the producer as the only producer. */
  HygieneRequest request() {
    return HygieneRequest.of(tenancy).withProducers(Set.of(PRODUCER_P));
  }

  HygieneReport hygiene() {
    return governance.reports().hygiene(ADMIN, request());
  }

  /** A queued image of {@code owner} (created by an admin for it). */
  Image queued(String owner, String name, Visibility visibility) {
    return governance.images().create(ADMIN, NewImage.builder().name(name).owner(owner)
        .visibility(visibility).diskFormat("raw").containerFormat("bare").build());
  }

  /** An active image of {@code owner} holding {@code content}, in the default store. */
  Image active(String owner, String name, Visibility visibility, String content) {
    Image queued = queued(owner, name, visibility);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return governance.data().upload(ADMIN, queued.id(), new ByteArrayInputStream(bytes),
        OptionalLong.of(bytes.length));
  }

  /** Writes {@code bytes} bytes straight into {@code store} under {@code key}, behind governance. */
  static void writeBehind(MemoryBlobStore store, String key, int bytes) {
    try {
      store.write(BlobKey.of(key), new ByteArrayInputStream(new byte[bytes]), bytes,
          HashSpec.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An image id no image of this world has. */
  static String strayId(int n) {
    return new UUID(0x2222_0000_0000_4000L, 0x8000_0000_0000_0000L | n).toString();
  }

  Image stored(ImageId id) {
    return catalog.find(id).orElseThrow();
  }

  Instant now() {
    return clock.instant();
  }
}
