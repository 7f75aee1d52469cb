package dev.imagegov;

import dev.imagegov.access.Caller;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.LifecycleChanged;
import dev.imagegov.lifecycle.ImageUsage;
import dev.imagegov.lifecycle.Lifecycle;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A governance for the lifecycle tests: a catalog, one memory blob store, a usage port, events. */
final class LifecycleWorld {
  static final Caller PRODUCER = Fixtures.PRODUCER;
  static final Caller CONSUMER = Fixtures.CONSUMER_A;
  static final Caller OTHER_CONSUMER = Fixtures.CONSUMER_B;
  static final Caller OUTSIDER = Fixtures.OUTSIDER;
  static final Caller ADMIN = Fixtures.ADMIN;

  final Catalog catalog;
  final List<GovernanceEvent> events = new CopyOnWriteArrayList<>();
  final TickingClock clock = new TickingClock();
  final ImageGovernance governance;

  LifecycleWorld() {
    this(new MemoryCatalog(), ImageUsage.none(), GovernanceConfig.defaults());
  }

  LifecycleWorld(ImageUsage usage) {
    this(new MemoryCatalog(), usage, GovernanceConfig.defaults());
  }

  LifecycleWorld(Catalog catalog, ImageUsage usage, GovernanceConfig config) {
    this.catalog = catalog;
    this.governance = ImageGovernance.builder()
        .catalog(catalog)
        .config(config)
        .clock(clock)
        .listener(events::add)
        .blobStore(MemoryBlobStore.create("fast"))
        .imageUsage(usage)
        .build();
  }

  Lifecycle lifecycle() {
    return governance.lifecycle();
  }

  /**
   * An active (uploaded) image of {@code owner}'s project, named {@code name}; a public one is
   * created by an admin ({@code publicize_image}), for that project.
   */
  Image active(Caller owner, String name, Visibility visibility) {
    boolean admin = visibility == Visibility.PUBLIC;
    Caller creator = admin ? ADMIN : owner;
    NewImage.Builder image = NewImage.builder()
        .name(name).visibility(visibility).diskFormat("raw").containerFormat("bare");
    if (admin) {
      image.owner(owner.project().orElseThrow().value());
    }
    Image queued = governance.images().create(creator, image.build());
    byte[] bytes = ("data of " + name).getBytes(StandardCharsets.UTF_8);
    return governance.data().upload(creator, queued.id(), new ByteArrayInputStream(bytes),
        OptionalLong.of(bytes.length));
  }

  /** An active image of {@code owner} in {@code family}, without an explicit version. */
  Image version(Caller owner, String family, String name, Visibility visibility) {
    Image image = active(owner, name, visibility);
    return lifecycle().join(owner, image.id(), family, null);
  }

  /** The stored image (no caller's view). */
  Image stored(ImageId id) {
    return catalog.find(id).orElseThrow();
  }

  /** The lifecycle events so far, as "id from->to cause". */
  List<String> lifecycleEvents() {
    return events.stream()
        .filter(e -> e instanceof LifecycleChanged)
        .map(e -> (LifecycleChanged) e)
        .map(e -> e.imageId() + " " + e.from().wireName() + "->" + e.to().wireName() + " "
            + e.cause())
        .collect(Collectors.toList());
  }
}
