package dev.imagegov;

import dev.imagegov.access.Caller;
import dev.imagegov.data.Data;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/** A governance on the memory catalog with two memory blob stores, {@code fast} (default) and {@code cheap}. */
final class DataFixtures {
  static final StoreId FAST = StoreId.of("fast");
  static final StoreId CHEAP = StoreId.of("cheap");

  final MemoryCatalog catalog = new MemoryCatalog();
  final MemoryBlobStore fast;
  final MemoryBlobStore cheap;
  final List<GovernanceEvent> events = new CopyOnWriteArrayList<>();
  final ImageGovernance governance;

  DataFixtures() {
    this(GovernanceConfig.defaults());
  }

  DataFixtures(GovernanceConfig config) {
    this(config, Long.MAX_VALUE);
  }

  DataFixtures(GovernanceConfig config, long fastCapacity) {
    fast = MemoryBlobStore.builder(FAST).capacity(fastCapacity).chunkSize(64 * 1024).build();
    cheap = MemoryBlobStore.builder(CHEAP).build();
    governance =
        ImageGovernance.builder()
            .catalog(catalog)
            .config(config)
            .clock(new TickingClock())
            .listener(events::add)
            .blobStore(fast)
            .blobStore(cheap)
            .build();
  }

  Data data() {
    return governance.data();
  }

  /** A queued raw/bare image of {@code caller}'s project. */
  Image queued(Caller caller, Visibility visibility) {
    return governance
        .images()
        .create(
            caller,
            NewImage.builder().diskFormat("raw").containerFormat("bare").visibility(visibility).build());
  }

  Image queued(Caller caller) {
    return queued(caller, Visibility.SHARED);
  }

  /** A queued image of {@code caller} with {@code text} uploaded. */
  Image active(Caller caller, String text) {
    Image image = queued(caller);
    return upload(caller, image.id(), text);
  }

  Image upload(Caller caller, ImageId id, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return data().upload(caller, id, new ByteArrayInputStream(bytes), OptionalLong.of(bytes.length));
  }

  Image stored(ImageId id) {
    return catalog.find(id).orElseThrow();
  }

  long storedBytes(String project) {
    return governance.quotas().usage(Fixtures.ADMIN, dev.imagegov.model.ProjectId.of(project)).storedBytes();
  }

  /** Bytes held by both stores. */
  long blobBytes() {
    return fast.capacity().used() + cheap.capacity().used();
  }
}
