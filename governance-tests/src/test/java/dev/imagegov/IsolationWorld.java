package dev.imagegov;

import dev.imagegov.access.Caller;
import dev.imagegov.access.IsolationOracle;
import dev.imagegov.access.IsolationReport;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.sharing.MemoryTenancy;
import dev.imagegov.spi.Catalog;
import dev.imagegov.store.memory.MemoryCatalog;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The tenancy isolation verification is tested on: a producer sharing golden images with three
 * consumers (accepted, pending, rejected), an outsider, and images of every kind the rules tell
 * apart, written straight into a memory catalog (so a test can put a faulty catalog around it).
 */
final class IsolationWorld {
  static final String PRODUCER = "producer";
  static final String ACCEPTING = "consumer-a";
  static final String PENDING = "consumer-b";
  static final String REJECTING = "consumer-c";
  static final String OUTSIDER = "outsider";
  static final Caller ADMIN = Caller.admin("admin-project");

  /** Shared with the three consumers; active. */
  static final ImageId GOLDEN = id(1);
  /** The producer's private image. */
  static final ImageId SECRET = id(2);
  /** Private, with a dormant membership of the accepting consumer (it was shared once). */
  static final ImageId DORMANT = id(3);
  /** Public, owned by the producer. */
  static final ImageId PUBLIC = id(4);
  /** Community, owned by the outsider. */
  static final ImageId COMMUNITY = id(5);
  /** Public and hidden ({@code os_hidden}). */
  static final ImageId HIDDEN = id(6);
  /** Shared with the accepting consumer (accepted) and deactivated. */
  static final ImageId DEACTIVATED = id(7);
  /** Public with no owner. */
  static final ImageId UNOWNED = id(8);
  /** Shared with nobody. */
  static final ImageId UNSHARED = id(9);
  /** Private, owned by the accepting consumer. */
  static final ImageId CONSUMER_OWN = id(10);

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final MemoryCatalog memory = new MemoryCatalog();
  final MemoryTenancy tenancy;
  final ImageGovernance governance;

  IsolationWorld() {
    this(GovernanceConfig.defaults(), UnaryOperator.identity());
  }

  /** The world with {@code config}, its catalog seen through {@code wrap}. */
  IsolationWorld(GovernanceConfig config, UnaryOperator<Catalog> wrap) {
    insert(GOLDEN, PRODUCER, Visibility.SHARED, ImageStatus.ACTIVE, false, Map.of(
        ACCEPTING, MemberStatus.ACCEPTED, PENDING, MemberStatus.PENDING,
        REJECTING, MemberStatus.REJECTED));
    insert(SECRET, PRODUCER, Visibility.PRIVATE, ImageStatus.ACTIVE, false, Map.of());
    insert(DORMANT, PRODUCER, Visibility.PRIVATE, ImageStatus.ACTIVE, false,
        Map.of(ACCEPTING, MemberStatus.ACCEPTED));
    insert(PUBLIC, PRODUCER, Visibility.PUBLIC, ImageStatus.ACTIVE, false, Map.of());
    insert(COMMUNITY, OUTSIDER, Visibility.COMMUNITY, ImageStatus.ACTIVE, false, Map.of());
    insert(HIDDEN, PRODUCER, Visibility.PUBLIC, ImageStatus.ACTIVE, true, Map.of());
    insert(DEACTIVATED, PRODUCER, Visibility.SHARED, ImageStatus.DEACTIVATED, false,
        Map.of(ACCEPTING, MemberStatus.ACCEPTED));
    insert(UNOWNED, null, Visibility.PUBLIC, ImageStatus.ACTIVE, false, Map.of());
    insert(UNSHARED, PRODUCER, Visibility.SHARED, ImageStatus.QUEUED, false, Map.of());
    insert(CONSUMER_OWN, ACCEPTING, Visibility.PRIVATE, ImageStatus.ACTIVE, false, Map.of());
    MemoryTenancy.Builder directory = MemoryTenancy.builder();
    for (String p : new String[] {PRODUCER, ACCEPTING, PENDING, REJECTING, OUTSIDER}) {
      directory.project(ProjectId.of(p));
    }
    this.tenancy = directory.build();
    this.governance = ImageGovernance.builder()
        .catalog(wrap.apply(memory))
        .config(config)
        .clock(new TickingClock())
        .build();
  }

  static ImageId id(int n) {
    return ImageId.of(String.format("00000000-0000-4000-8000-%012d", n));
  }

  private void insert(ImageId id, String owner, Visibility visibility, ImageStatus status,
      boolean hidden, Map<String, MemberStatus> members) {
    Instant created = T0.plusSeconds(memory.size());
    Image.Builder b = Image.builder().id(id).name("image-" + id.value().substring(30))
        .status(status).visibility(visibility).osHidden(hidden)
        .createdAt(created).updatedAt(created);
    if (owner != null) {
      b.owner(ProjectId.of(owner));
    }
    members.forEach((project, s) -> b.putMembers(ProjectId.of(project), Member.builder()
        .imageId(id).project(ProjectId.of(project)).status(s).createdAt(created)
        .updatedAt(created).build()));
    memory.insert(b.build());
  }

  /**
   * The findings of {@code report} as {@code kind project image action} lines, each image named by
   * {@code name}, for exact assertions.
   */
  static java.util.List<String> lines(
      IsolationReport report, java.util.function.Function<ImageId, String> name) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (IsolationReport.Finding f : report.findings()) {
      out.add(f.kind().wireName() + " " + f.project() + " " + name.apply(f.image()) + " "
          + f.action().wireName());
    }
    return out;
  }

  IsolationReport verify() {
    return governance.access().verifyIsolation(ADMIN, tenancy);
  }

  IsolationReport verify(IsolationOracle oracle) {
    return governance.access().verifyIsolation(ADMIN, tenancy, oracle);
  }
}
