package dev.imagegov;

import static dev.imagegov.LifecycleWorld.ADMIN;
import static dev.imagegov.LifecycleWorld.CONSUMER;
import static dev.imagegov.LifecycleWorld.OTHER_CONSUMER;
import static dev.imagegov.LifecycleWorld.OUTSIDER;
import static dev.imagegov.LifecycleWorld.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Policy;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.lifecycle.Family;
import dev.imagegov.lifecycle.ImageUsage;
import dev.imagegov.lifecycle.ImageUse;
import dev.imagegov.lifecycle.LifecycleInfo;
import dev.imagegov.lifecycle.LifecycleState;
import dev.imagegov.lifecycle.MemoryImageUsage;
import dev.imagegov.lifecycle.Schedule;
import dev.imagegov.lifecycle.Transition;
import dev.imagegov.lifecycle.Use;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.protection.RuleFormat;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.memory.MemoryCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The golden-image lifecycle ({@code dev.imagegov.lifecycle}), one example per rule, each named
 * after the rule it asserts, on the memory catalog.
 */
class LifecycleRulesTest {
  private static final Family GOLDEN = Family.of("producer", "golden");

  private final MemoryImageUsage usage = new MemoryImageUsage();
  private final LifecycleWorld w = new LifecycleWorld(usage);

  // ------------------------------------------------------------------ the namespace

  @Test
  void lifecyclePropertiesCannotBeSetOnCreate() {
    long before = w.catalog.size();
    Expect.fails(RuleCode.RESERVED_ATTRIBUTE, () -> w.governance.images().create(PRODUCER,
        NewImage.builder().putProperties("imagegov_lifecycle_state", "active").build()));
    assertThat(w.catalog.size()).isEqualTo(before);
  }

  @Test
  void patchOfLifecyclePropertyIsForbiddenAndChangesNothing() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v1.id());
    Image stored = w.stored(v1.id());
    for (String body : List.of(
        "[{\"op\":\"replace\",\"path\":\"/imagegov_lifecycle_state\",\"value\":\"active\"}]",
        "[{\"op\":\"remove\",\"path\":\"/imagegov_lifecycle_family\"}]",
        "[{\"op\":\"add\",\"path\":\"/imagegov_lifecycle_exclude_from_latest\",\"value\":\"x\"}]",
        "[{\"op\":\"replace\",\"path\":\"/name\",\"value\":\"n\"},"
            + "{\"op\":\"remove\",\"path\":\"/imagegov_lifecycle_state\"}]")) {
      GovernanceException e = catchThrowableOfType(
          () -> w.governance.images().patch(ADMIN, v1.id(), JsonPatchParser.V2_1, body),
          GovernanceException.class);
      assertThat(e).as(body).isNotNull();
      assertThat(e.httpStatus()).as(body).isEqualTo(403);
      assertThat(w.stored(v1.id())).as(body).isEqualTo(stored);
    }
  }

  @Test
  void propertyProtectionsCannotOpenTheLifecycleNamespace() {
    PropertyProtections everything = PropertyProtections.parse(
        "[.*]\ncreate = @\nread = @\nupdate = @\ndelete = @\n", RuleFormat.ROLES,
        Policy.secureDefaults(), "everything.conf");
    LifecycleWorld open = new LifecycleWorld(new MemoryCatalog(), ImageUsage.none(),
        GovernanceConfig.builder().propertyProtections(everything).build());
    Image v1 = open.version(PRODUCER, "golden", "v1", Visibility.PRIVATE);
    Image stored = open.stored(v1.id());
    Expect.fails(RuleCode.RESERVED_ATTRIBUTE, () -> open.governance.images().patch(PRODUCER,
        v1.id(), JsonPatchParser.V2_1,
        "[{\"op\":\"replace\",\"path\":\"/imagegov_lifecycle_family\",\"value\":\"x\"}]"));
    assertThat(open.stored(v1.id())).isEqualTo(stored);
  }

  @Test
  void lifecyclePropertiesAreOrdinaryPropertiesForPlainClients() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image seen = w.lifecycle().deprecate(PRODUCER, v1.id());
    Image asConsumer = w.governance.images().get(CONSUMER, v1.id());
    assertThat(asConsumer.properties())
        .containsEntry("imagegov_lifecycle_family", "golden")
        .containsEntry("imagegov_lifecycle_state", "deprecated");
    assertThat(seen.properties()).containsEntry("imagegov_lifecycle_state", "deprecated");
  }

  // ------------------------------------------------------------ families and versions

  @Test
  void familiesAreOwnerScoped() {
    Image mine = w.version(PRODUCER, "golden", "mine", Visibility.PUBLIC);
    Image theirs = w.version(OUTSIDER, "golden", "theirs", Visibility.PUBLIC);
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(mine.id());
    assertThat(w.lifecycle().latest(CONSUMER, Family.of("outsider", "golden")).id())
        .isEqualTo(theirs.id());
    assertThat(w.lifecycle().versions(CONSUMER, GOLDEN)).extracting(Image::id)
        .containsExactly(mine.id());
  }

  @Test
  void onlyTheOwnerOrAnAdminPutsAnImageInAFamily() {
    Image image = w.active(PRODUCER, "v1", Visibility.PUBLIC);
    Expect.fails(RuleCode.POLICY_DENIED,
        () -> w.lifecycle().join(OUTSIDER, image.id(), "golden", null));
    assertThat(LifecycleInfo.of(w.stored(image.id())).family()).isEmpty();
    assertThat(LifecycleInfo.of(w.lifecycle().join(ADMIN, image.id(), "golden", "1")).family())
        .contains(GOLDEN);
  }

  @Test
  void versionsAreOrderedByCreationTimeByDefault() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    assertThat(w.lifecycle().versions(PRODUCER, GOLDEN)).extracting(Image::id)
        .containsExactly(v1.id(), v2.id());
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(v2.id());
  }

  @Test
  void explicitVersionsOrderNumericallyOverCreationTime() {
    Image ten = w.active(PRODUCER, "a", Visibility.PUBLIC);
    Image nine = w.active(PRODUCER, "b", Visibility.PUBLIC);
    w.lifecycle().join(PRODUCER, ten.id(), "golden", "1.10");
    w.lifecycle().join(PRODUCER, nine.id(), "golden", "1.9");
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(ten.id());
  }

  @Test
  void malformedFamilyNameIsRefusedAndChangesNothing() {
    Image image = w.active(PRODUCER, "v1", Visibility.PUBLIC);
    Image stored = w.stored(image.id());
    Expect.fails(RuleCode.INVALID_LIFECYCLE_VALUE,
        () -> w.lifecycle().join(PRODUCER, image.id(), "", null));
    Expect.fails(RuleCode.INVALID_LIFECYCLE_VALUE,
        () -> w.lifecycle().join(PRODUCER, image.id(), "golden", "x".repeat(256)));
    assertThat(w.stored(image.id())).isEqualTo(stored);
  }

  // ------------------------------------------------------------------ states

  @Test
  void onlyTheOwnerOrAnAdminMovesAVersion() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Expect.fails(RuleCode.POLICY_DENIED, () -> w.lifecycle().deprecate(CONSUMER, v1.id()));
    Image hidden = w.version(PRODUCER, "golden", "hidden", Visibility.PRIVATE);
    Expect.notFound(() -> w.lifecycle().deprecate(CONSUMER, hidden.id()));
    assertThat(LifecycleInfo.of(w.stored(v1.id())).state()).isEqualTo(LifecycleState.ACTIVE);
    assertThat(LifecycleInfo.of(w.lifecycle().deprecate(ADMIN, v1.id())).state())
        .isEqualTo(LifecycleState.DEPRECATED);
  }

  @Test
  void aStepOutOfOrderIsAConflictAndChangesNothing() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image stored = w.stored(v1.id());
    Expect.fails(RuleCode.INVALID_LIFECYCLE_TRANSITION,
        () -> w.lifecycle().obsolete(PRODUCER, v1.id()));
    Expect.fails(RuleCode.INVALID_LIFECYCLE_TRANSITION,
        () -> w.lifecycle().delete(PRODUCER, v1.id()));
    assertThat(w.stored(v1.id())).isEqualTo(stored);
  }

  @Test
  void aMoveToTheCurrentStateIsANoOp() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v1.id());
    Image stored = w.stored(v1.id());
    w.lifecycle().deprecate(PRODUCER, v1.id());
    assertThat(w.stored(v1.id())).isEqualTo(stored);
    assertThat(w.lifecycleEvents()).hasSize(1);
  }

  @Test
  void aDeprecationCanBeWithdrawn() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v1.id(), v2.id());
    LifecycleInfo info = LifecycleInfo.of(w.lifecycle().reinstate(PRODUCER, v1.id()));
    assertThat(info.state()).isEqualTo(LifecycleState.ACTIVE);
    assertThat(info.replacement()).isEmpty();
  }

  @Test
  void replacementMustBeVisibleToEveryoneTheDeprecatedImageIsVisibleTo() {
    Image pub = w.version(PRODUCER, "golden", "public", Visibility.PUBLIC);
    Image priv = w.version(PRODUCER, "golden", "private", Visibility.PRIVATE);
    Expect.fails(RuleCode.INVALID_REPLACEMENT,
        () -> w.lifecycle().deprecate(PRODUCER, pub.id(), priv.id()));
    assertThat(LifecycleInfo.of(w.stored(pub.id())).state()).isEqualTo(LifecycleState.ACTIVE);

    Image shared = w.version(PRODUCER, "golden", "shared", Visibility.SHARED);
    w.governance.sharing().addMember(PRODUCER, shared.id(), ProjectId.of("consumer-a"));
    w.governance.sharing().addMember(PRODUCER, shared.id(), ProjectId.of("consumer-b"));
    Image narrower = w.version(PRODUCER, "golden", "narrower", Visibility.SHARED);
    w.governance.sharing().addMember(PRODUCER, narrower.id(), ProjectId.of("consumer-a"));
    Expect.fails(RuleCode.INVALID_REPLACEMENT,
        () -> w.lifecycle().deprecate(PRODUCER, shared.id(), narrower.id()));
    w.governance.sharing().addMember(PRODUCER, narrower.id(), ProjectId.of("consumer-b"));
    assertThat(LifecycleInfo.of(w.lifecycle().deprecate(PRODUCER, shared.id(), narrower.id()))
        .replacement()).contains(narrower.id());
    assertThat(LifecycleInfo.of(w.lifecycle().deprecate(PRODUCER, priv.id(), pub.id()))
        .replacement()).contains(pub.id());
  }

  @Test
  void replacementMustBeActive() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v2.id());
    Expect.fails(RuleCode.INVALID_REPLACEMENT,
        () -> w.lifecycle().deprecate(PRODUCER, v1.id(), v2.id()));
    Expect.fails(RuleCode.INVALID_REPLACEMENT,
        () -> w.lifecycle().deprecate(PRODUCER, v1.id(), v1.id()));
  }

  @Test
  void deprecatedIsListedFlaggedAndSkippedByLatest() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v2.id(), v1.id());
    List<Image> listed = w.governance.images().list(CONSUMER, ListRequest.empty()).images();
    assertThat(listed).extracting(Image::id).contains(v1.id(), v2.id());
    assertThat(listed.stream().filter(i -> i.id().equals(v2.id())).findFirst().orElseThrow()
        .properties()).containsEntry("imagegov_lifecycle_state", "deprecated");
    assertThat(w.governance.access().authorizeDownload(CONSUMER, v2.id()).id())
        .isEqualTo(v2.id());
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(v1.id());
  }

  @Test
  void obsoleteIsHiddenFromListsUnlessAskedFor() {
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    Image v1 = obsoleteVersionReplacedBy(v2);
    assertThat(w.governance.images().list(CONSUMER, ListRequest.empty()).images())
        .extracting(Image::id).containsExactly(v2.id());
    assertThat(w.governance.images()
        .list(CONSUMER, ListRequest.parse("imagegov_lifecycle_state=obsolete")).images())
        .extracting(Image::id).containsExactly(v1.id());
    assertThat(w.governance.images().get(CONSUMER, v1.id()).id()).isEqualTo(v1.id());
  }

  @Test
  void obsoleteIsRefusedForANewLaunchExceptToAdmins() {
    Image v1 = obsoleteVersion();
    Expect.fails(RuleCode.LIFECYCLE_FORBIDS,
        () -> w.governance.access().authorizeDownload(CONSUMER, v1.id()));
    Expect.fails(RuleCode.LIFECYCLE_FORBIDS,
        () -> w.governance.data().download(CONSUMER, v1.id()));
    assertThat(w.governance.access().authorizeDownload(ADMIN, v1.id()).id()).isEqualTo(v1.id());
  }

  @Test
  void obsoleteIsServedToAnInstanceTheUsagePortReports() throws Exception {
    Image v1 = obsoleteVersion();
    Expect.fails(RuleCode.LIFECYCLE_FORBIDS, () -> w.governance.access()
        .authorizeDownload(CONSUMER, v1.id(), Use.EXISTING_INSTANCE));
    usage.start(v1.id(), new ImageUse(ProjectId.of("consumer-a"), "vm-1", Instant.EPOCH));
    assertThat(w.governance.access().authorizeDownload(CONSUMER, v1.id(), Use.EXISTING_INSTANCE)
        .id()).isEqualTo(v1.id());
    try (var download = w.governance.data().download(CONSUMER, v1.id(), Use.EXISTING_INSTANCE)) {
      assertThat(new String(download.stream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("data of v1");
    }
    Expect.fails(RuleCode.LIFECYCLE_FORBIDS, () -> w.governance.access()
        .authorizeDownload(OTHER_CONSUMER, v1.id(), Use.EXISTING_INSTANCE));
  }

  @Test
  void withThePortThatKnowsNothingAnExistingInstanceIsBelieved() {
    LifecycleWorld plain = new LifecycleWorld();
    Image v1 = plain.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    plain.lifecycle().deprecate(PRODUCER, v1.id());
    plain.lifecycle().obsolete(PRODUCER, v1.id());
    assertThat(plain.governance.access()
        .authorizeDownload(CONSUMER, v1.id(), Use.EXISTING_INSTANCE).id()).isEqualTo(v1.id());
    Expect.fails(RuleCode.LIFECYCLE_FORBIDS,
        () -> plain.governance.access().authorizeDownload(CONSUMER, v1.id(), Use.NEW_LAUNCH));
  }

  @Test
  void deletionIsGlancesAndRefusesAnInUseImageUnlessAdmin() {
    Image v1 = obsoleteVersion();
    usage.start(v1.id(), new ImageUse(ProjectId.of("consumer-a"), "vm-1", Instant.EPOCH));
    Expect.fails(RuleCode.IMAGE_IN_USE, () -> w.lifecycle().delete(PRODUCER, v1.id()));
    assertThat(w.catalog.find(v1.id())).isPresent();
    w.lifecycle().delete(ADMIN, v1.id());
    assertThat(w.catalog.find(v1.id())).isEmpty();
    assertThat(w.catalog.tombstone(v1.id())).isPresent();
  }

  @Test
  void glancesDeleteRefusesAnInUseImageUnlessAdminAndExplainAgrees() {
    Image plain = w.active(PRODUCER, "plain", Visibility.PRIVATE);
    usage.start(plain.id(), new ImageUse(ProjectId.of("producer"), "vm-9", Instant.EPOCH));
    Expect.fails(RuleCode.IMAGE_IN_USE, () -> w.governance.images().delete(PRODUCER, plain.id()));
    AccessExplanation e = w.governance.access().explain(PRODUCER, plain.id(), Action.DELETE);
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.errorCode()).contains(RuleCode.IMAGE_IN_USE);
    assertThat(w.catalog.find(plain.id())).isPresent();
    w.governance.images().delete(ADMIN, plain.id());
    assertThat(w.catalog.find(plain.id())).isEmpty();
  }

  @Test
  void deletionOfAProtectedImageIsRefused() {
    Image v1 = obsoleteVersion();
    w.governance.images().patch(PRODUCER, v1.id(), JsonPatchParser.V2_1,
        "[{\"op\":\"replace\",\"path\":\"/protected\",\"value\":true}]");
    Expect.fails(RuleCode.IMAGE_PROTECTED, () -> w.lifecycle().delete(ADMIN, v1.id()));
    assertThat(w.catalog.find(v1.id())).isPresent();
  }

  /** A new public version of golden, deprecated with {@code replacement}, then obsolete. */
  private Image obsoleteVersionReplacedBy(Image replacement) {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v1.id(), replacement.id());
    return w.lifecycle().obsolete(PRODUCER, v1.id());
  }

  private Image obsoleteVersion() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v1.id());
    return w.lifecycle().obsolete(PRODUCER, v1.id());
  }

  // ---------------------------------------------------------------------- schedules

  @Test
  void scheduleDatesMustNotGoBackwards() {
    Instant t = Instant.parse("2026-06-01T00:00:00Z");
    Expect.fails(RuleCode.INVALID_LIFECYCLE_VALUE,
        () -> Schedule.none().deprecateAt(t).obsoleteAt(t.minusSeconds(1)));
  }

  @Test
  void advanceAppliesEveryDueStepOnce() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    Instant t = Instant.parse("2026-06-01T00:00:00Z");
    w.lifecycle().schedule(PRODUCER, v1.id(), Schedule.none()
        .deprecateAt(t).obsoleteAt(t.plusSeconds(10)).deleteAt(t.plusSeconds(20)));
    w.lifecycle().schedule(PRODUCER, v2.id(), Schedule.none().deprecateAt(t.plusSeconds(30)));

    assertThat(w.lifecycle().advance(t.minusSeconds(1))).isEmpty();
    assertThat(w.lifecycle().advance(t.plusSeconds(10))).extracting(Transition::to)
        .containsExactly(LifecycleState.DEPRECATED, LifecycleState.OBSOLETE);
    assertThat(w.lifecycle().advance(t.plusSeconds(10))).isEmpty();
    assertThat(w.lifecycle().advance(t.plusSeconds(30)))
        .extracting(tr -> tr.image() + " " + tr.to())
        .containsExactlyInAnyOrder(v1.id() + " DELETED", v2.id() + " DEPRECATED");
    assertThat(w.catalog.find(v1.id())).isEmpty();
    assertThat(w.lifecycleEvents()).contains(v1.id() + " obsolete->deleted schedule");
  }

  @Test
  void advanceLeavesAnInUseDeletionForLater() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Instant t = Instant.parse("2026-06-01T00:00:00Z");
    w.lifecycle().schedule(PRODUCER, v1.id(),
        Schedule.none().deprecateAt(t).obsoleteAt(t).deleteAt(t));
    usage.start(v1.id(), new ImageUse(ProjectId.of("consumer-a"), "vm-1", Instant.EPOCH));
    w.lifecycle().advance(t);
    assertThat(LifecycleInfo.of(w.stored(v1.id())).state()).isEqualTo(LifecycleState.OBSOLETE);
    usage.stop(v1.id(), "vm-1");
    assertThat(w.lifecycle().advance(t)).extracting(Transition::to)
        .containsExactly(LifecycleState.DELETED);
  }

  @Test
  void advanceIsSafeFromSeveralThreads() throws Exception {
    Instant t = Instant.parse("2026-06-01T00:00:00Z");
    List<ImageId> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Image v = w.version(PRODUCER, "golden", "v" + i, Visibility.PUBLIC);
      w.lifecycle().schedule(PRODUCER, v.id(), Schedule.none().deprecateAt(t).obsoleteAt(t));
      ids.add(v.id());
    }
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<List<Transition>>> runs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Callable<List<Transition>> run = () -> {
          start.await();
          return w.lifecycle().advance(t);
        };
        runs.add(pool.submit(run));
      }
      start.countDown();
      List<Transition> all = new ArrayList<>();
      for (Future<List<Transition>> f : runs) {
        all.addAll(f.get());
      }
      assertThat(all).hasSize(2 * ids.size());
      assertThat(all.stream().map(tr -> tr.image() + " " + tr.to()).distinct().count())
          .isEqualTo(2L * ids.size());
    } finally {
      pool.shutdown();
    }
    for (ImageId id : ids) {
      assertThat(LifecycleInfo.of(w.stored(id)).state()).isEqualTo(LifecycleState.OBSOLETE);
    }
    assertThat(w.lifecycleEvents()).hasSize(2 * ids.size());
  }

  // ------------------------------------------------------------------------- latest

  @Test
  void latestCountsASharedVersionOnlyOnceTheMembershipIsAccepted() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.SHARED);
    w.governance.sharing().addMember(PRODUCER, v2.id(), ProjectId.of("consumer-a"));
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(v1.id());
    w.governance.sharing().updateMemberStatus(CONSUMER, v2.id(), ProjectId.of("consumer-a"),
        MemberStatus.ACCEPTED);
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(v2.id());
    assertThat(w.lifecycle().latest(OTHER_CONSUMER, GOLDEN).id()).isEqualTo(v1.id());
  }

  @Test
  void latestAskedByIdCountsASharedVersionOfAnyMemberStatus() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.SHARED);
    w.governance.sharing().addMember(PRODUCER, v2.id(), ProjectId.of("consumer-a"));
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id())
        .as("by family: a pending membership does not count").isEqualTo(v1.id());
    assertThat(w.lifecycle().latest(CONSUMER, v1.id()).id())
        .as("by id: pending counts").isEqualTo(v2.id());
    w.governance.sharing().updateMemberStatus(CONSUMER, v2.id(), ProjectId.of("consumer-a"),
        MemberStatus.REJECTED);
    assertThat(w.lifecycle().latest(CONSUMER, v1.id()).id())
        .as("by id: rejected counts").isEqualTo(v2.id());
    assertThat(w.lifecycle().latest(OTHER_CONSUMER, v1.id()).id())
        .as("not a member at all: not counted").isEqualTo(v1.id());
  }

  @Test
  void latestAskedByIdOfAnInvisibleImageIsNotFound() {
    Image hidden = w.version(PRODUCER, "golden", "v1", Visibility.PRIVATE);
    Expect.notFound(() -> w.lifecycle().latest(CONSUMER, hidden.id()));
    Expect.notFound(() -> w.lifecycle().latest(CONSUMER, ImageId.of(new java.util.UUID(7, 7))));
    Image loose = w.active(PRODUCER, "loose", Visibility.PUBLIC);
    Expect.fails(RuleCode.NO_USABLE_VERSION, () -> w.lifecycle().latest(CONSUMER, loose.id()));
  }

  @Test
  void latestAskedByIdStillSkipsDeprecatedVersions() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v2.id());
    assertThat(w.lifecycle().latest(CONSUMER, v2.id()).id()).isEqualTo(v1.id());
  }

  @Test
  void latestSkipsVersionsExcludedFromLatest() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    w.lifecycle().excludeFromLatest(PRODUCER, v2.id(), true);
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(v1.id());
    w.lifecycle().excludeFromLatest(PRODUCER, v2.id(), false);
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(v2.id());
  }

  @Test
  void latestSkipsVersionsThatAreNotActive() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    w.governance.images().deactivate(PRODUCER, v2.id());
    assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(v1.id());
  }

  @Test
  void latestAnswersTheSameNotFoundForAnInvisibleAndAMissingFamily() {
    w.version(PRODUCER, "golden", "v1", Visibility.PRIVATE);
    GovernanceException invisible = catchThrowableOfType(
        () -> w.lifecycle().latest(CONSUMER, GOLDEN), GovernanceException.class);
    GovernanceException missing = catchThrowableOfType(
        () -> w.lifecycle().latest(CONSUMER, Family.of("producer", "nothing")),
        GovernanceException.class);
    assertThat(invisible.code()).isEqualTo(RuleCode.NO_USABLE_VERSION);
    assertThat(invisible.httpStatus()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo(invisible.code());
    assertThat(missing.getMessage().replace("nothing", "golden"))
        .isEqualTo(invisible.getMessage());
  }

  // ------------------------------------------------------------------ events, explain

  @Test
  void everyTransitionEmitsALifecycleEventAfterCommit() {
    Image v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
    w.lifecycle().deprecate(PRODUCER, v1.id());
    w.lifecycle().obsolete(PRODUCER, v1.id());
    w.lifecycle().delete(PRODUCER, v1.id());
    assertThat(w.lifecycleEvents()).containsExactly(
        v1.id() + " active->deprecated operation",
        v1.id() + " deprecated->obsolete operation",
        v1.id() + " obsolete->deleted operation");
  }

  @Test
  void explainReportsTheLifecycleStateAndWhyANewLaunchIsRefused() {
    Image v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
    Image v1 = obsoleteVersionReplacedBy(v2);
    AccessExplanation e = w.governance.access().explain(CONSUMER, v1.id(), Action.DOWNLOAD);
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.errorCode()).contains(RuleCode.LIFECYCLE_FORBIDS);
    assertThat(e.refusal().orElseThrow()).contains("obsolete").contains(v2.id().value());
    GovernanceException operation = catchThrowableOfType(
        () -> w.governance.access().authorizeDownload(CONSUMER, v1.id()),
        GovernanceException.class);
    assertThat(e.refusal()).contains(operation.getMessage());

    AccessExplanation existing = w.governance.access().explain(ADMIN, v1.id(), Action.DOWNLOAD,
        ActionArgs.use(Use.EXISTING_INSTANCE));
    assertThat(existing.status()).isEqualTo(200);
    assertThat(existing.steps().get(existing.steps().size() - 1).detail())
        .contains("lifecycle state obsolete").contains("replacement " + v2.id());
  }

  @Test
  void lifecycleInfoOfAnUnmanagedImageIsActive() {
    Image plain = w.active(PRODUCER, "plain", Visibility.PRIVATE);
    LifecycleInfo info = w.lifecycle().info(PRODUCER, plain.id());
    assertThat(info.state()).isEqualTo(LifecycleState.ACTIVE);
    assertThat(info.family()).isEmpty();
    Expect.notFound(() -> w.lifecycle().info(OUTSIDER, plain.id()));
  }
}
