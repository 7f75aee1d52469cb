package dev.imagegov;

import dev.imagegov.access.Caller;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.image.Images;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.sharing.Sharing;
import dev.imagegov.store.memory.MemoryCatalog;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Shared set-up for the core tests: a governance on the memory catalog and the usual callers. */
final class Fixtures {
  static final Caller PRODUCER = Caller.member("producer");
  static final Caller PRODUCER_READER = Caller.reader("producer");
  static final Caller CONSUMER_A = Caller.member("consumer-a");
  static final Caller CONSUMER_B = Caller.member("consumer-b");
  static final Caller CONSUMER_C = Caller.member("consumer-c");
  static final Caller OUTSIDER = Caller.member("outsider");
  static final Caller ADMIN = Caller.admin("admin-project");

  final List<GovernanceEvent> events = new CopyOnWriteArrayList<>();
  final ImageGovernance governance;

  Fixtures() {
    this(GovernanceConfig.defaults());
  }

  Fixtures(GovernanceConfig config) {
    this.governance =
        ImageGovernance.builder()
            .catalog(new MemoryCatalog())
            .config(config)
            .clock(new TickingClock())
            .listener(events::add)
            .build();
  }

  Images images() {
    return governance.images();
  }

  Sharing sharing() {
    return governance.sharing();
  }

  /** An image created by {@code caller} with a name and visibility. */
  Image create(Caller caller, String name, Visibility visibility) {
    return images()
        .create(caller, NewImage.builder().name(name).visibility(visibility).build());
  }

  /** An image created by an admin for {@code owner} ("" for an unowned image). */
  Image createFor(String owner, String name, Visibility visibility) {
    return images()
        .create(ADMIN, NewImage.builder().name(name).visibility(visibility).owner(owner).build());
  }

  /** The names listed for {@code caller} with {@code query}, in order. */
  List<String> listNames(Caller caller, String query) {
    return images().list(caller, ListRequest.parse(query)).images().stream()
        .map(i -> i.name().orElse(""))
        .collect(Collectors.toList());
  }

  /** The ids listed for {@code caller} with {@code query}, in order. */
  List<ImageId> listIds(Caller caller, String query) {
    return images().list(caller, ListRequest.parse(query)).images().stream()
        .map(Image::id)
        .collect(Collectors.toList());
  }
}
