package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static dev.imagegov.ReportWorld.FAST;
import static dev.imagegov.ReportWorld.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.exposure.ExposureGuardrail;
import dev.imagegov.lifecycle.ImageUse;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.report.Finding;
import dev.imagegov.report.FindingKind;
import dev.imagegov.report.HygieneReport;
import dev.imagegov.report.HygieneRequest;
import dev.imagegov.spi.blob.BlobKey;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One example per hygiene finding kind, and the report's refusals. */
class HygieneRulesTest {
  private final ReportWorld w = new ReportWorld();

  private static List<String> subjects(HygieneReport report, FindingKind kind) {
    return report.findings(kind).stream().map(Finding::subject).toList();
  }

  @Test
  void anImageWhoseOwnerTheDirectoryDoesNotKnowIsOrphaned() {
    Image ghost = w.active("ghost", "left behind", Visibility.PRIVATE, "ghost data");
    w.active("consumer-a", "kept", Visibility.PRIVATE, "own data");

    List<Finding> found = w.hygiene().findings(FindingKind.ORPHANED);

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.image()).contains(ghost.id());
      assertThat(f.owner()).contains(ProjectId.of("ghost"));
      assertThat(f.evidence()).contains("ghost is unknown to the tenancy directory");
    });
  }

  @Test
  void aLaterCopyOfTheSameContentInOneOwnerIsADuplicateWithTheBytesItFrees() {
    Image first = w.active("consumer-a", "one", Visibility.PRIVATE, "same bytes");
    Image second = w.active("consumer-a", "two", Visibility.PRIVATE, "same bytes");
    w.governance.data().copyToStores(ADMIN, second.id(), List.of(ReportWorld.SLOW));

    HygieneReport report = w.hygiene();

    assertThat(report.findings(FindingKind.DUPLICATE_IN_OWNER)).singleElement().satisfies(f -> {
      assertThat(f.image()).contains(second.id());
      assertThat(f.evidence()).contains(first.id().value());
      assertThat(f.bytes()).isEqualTo(Map.of(FAST, 10L, ReportWorld.SLOW, 10L));
    });
    assertThat(report.duplicateBytes()).isEqualTo(Map.of(FAST, 10L, ReportWorld.SLOW, 10L));
  }

  @Test
  void aProtectedOrInUseCopyIsKeptBeforeAnOlderOne() {
    Image older = w.active("consumer-a", "older", Visibility.PRIVATE, "same bytes");
    Image used = w.active("consumer-a", "used", Visibility.PRIVATE, "same bytes");
    w.inUse.start(used.id(), new ImageUse(ProjectId.of("consumer-a"), "vm-1", w.now()));

    assertThat(subjects(w.hygiene(), FindingKind.DUPLICATE_IN_OWNER))
        .containsExactly(older.id().value());
  }

  @Test
  void theSameContentKeptByTwoOwnersIsADuplicateAcrossOwners() {
    Image producers = w.active("producer", "golden", Visibility.PRIVATE, "same bytes");
    Image consumers = w.active("consumer-b", "its copy", Visibility.PRIVATE, "same bytes");

    HygieneReport report = w.hygiene();

    assertThat(report.findings(FindingKind.DUPLICATE_ACROSS_OWNERS)).singleElement()
        .satisfies(f -> {
          assertThat(f.image()).contains(consumers.id());
          assertThat(f.evidence()).contains(producers.id().value()).contains("of producer");
        });
    assertThat(report.findings(FindingKind.DUPLICATE_IN_OWNER)).isEmpty();
  }

  @Test
  void anActiveImageUnusedForTheStalePeriodWithNoAcceptedMemberIsStale() {
    Image idle = w.active("consumer-a", "idle", Visibility.PRIVATE, "idle");
    Image used = w.active("consumer-a", "used", Visibility.PRIVATE, "used");
    Image lastUsedLately = w.active("consumer-a", "lately", Visibility.PRIVATE, "lately");
    Image shared = w.active("consumer-a", "shared", Visibility.SHARED, "shared");
    w.governance.sharing().addMember(ADMIN, shared.id(), "consumer-b");
    w.governance.sharing().updateMemberStatus(ADMIN, shared.id(), ProjectId.of("consumer-b"),
        MemberStatus.ACCEPTED);
    w.inUse.start(used.id(), new ImageUse(ProjectId.of("consumer-a"), "vm-1", w.now()));
    w.clock.advance(Duration.ofDays(91));
    Instant lately = w.now().minus(Duration.ofDays(10));

    HygieneReport report = w.governance.reports().hygiene(ADMIN, w.request()
        .withLastUse(id -> id.equals(lastUsedLately.id()) ? Optional.of(lately)
            : Optional.empty()));

    assertThat(report.findings(FindingKind.STALE)).singleElement().satisfies(f -> {
      assertThat(f.image()).contains(idle.id());
      assertThat(f.evidence()).contains("no use known since its creation");
    });
  }

  @Test
  void aLastUseOlderThanTheStalePeriodIsTheEvidence() {
    Image idle = w.active("consumer-a", "idle", Visibility.PRIVATE, "idle");
    Instant used = Instant.parse("2026-01-02T00:00:00Z");
    w.clock.advance(Duration.ofDays(200));

    List<Finding> found = w.governance.reports().hygiene(ADMIN, w.request()
        .withLastUse(id -> Optional.of(used))).findings(FindingKind.STALE);

    assertThat(found).singleElement()
        .satisfies(f -> assertThat(f.evidence()).isEqualTo("not in use; last used at " + used));
    assertThat(found.get(0).image()).contains(idle.id());
  }

  @Test
  void theLastUseTheCatalogRecordedCountsWithoutALastUseSeam() throws IOException {
    Image idle = w.active("consumer-a", "idle", Visibility.PRIVATE, "idle");
    Image downloaded = w.active("consumer-a", "downloaded", Visibility.PRIVATE, "downloaded");
    w.clock.advance(Duration.ofDays(85));
    try (java.io.InputStream in =
        w.governance.data().download(Fixtures.CONSUMER_A, downloaded.id()).stream()) {
      in.readAllBytes();
    }
    w.clock.advance(Duration.ofDays(6));

    List<Finding> found = w.hygiene().findings(FindingKind.STALE);

    assertThat(found).singleElement().satisfies(f -> assertThat(f.image()).contains(idle.id()));
  }

  @Test
  void aRecordedLastUseOlderThanTheStalePeriodIsTheEvidenceAndALaterReportedOneWins()
      throws IOException {
    Image image = w.active("consumer-a", "idle", Visibility.PRIVATE, "idle");
    try (java.io.InputStream in =
        w.governance.data().download(Fixtures.CONSUMER_A, image.id()).stream()) {
      in.readAllBytes();
    }
    Instant recorded = dev.imagegov.lifecycle.LifecycleInfo.of(w.catalog.find(image.id())
        .orElseThrow()).lastUsed().orElseThrow();
    w.clock.advance(Duration.ofDays(200));

    assertThat(w.hygiene().findings(FindingKind.STALE)).singleElement()
        .satisfies(f -> assertThat(f.evidence()).isEqualTo("not in use; last used at " + recorded));
    Instant later = w.now().minus(Duration.ofDays(1));
    assertThat(w.governance.reports().hygiene(ADMIN, w.request()
        .withLastUse(id -> Optional.of(later))).findings(FindingKind.STALE))
        .as("a later use the seam reports wins over the recorded one")
        .isEmpty();
    Instant earlier = recorded.minus(Duration.ofDays(1));
    assertThat(w.governance.reports().hygiene(ADMIN, w.request()
        .withLastUse(id -> Optional.of(earlier))).findings(FindingKind.STALE)).singleElement()
        .satisfies(f -> assertThat(f.evidence()).isEqualTo("not in use; last used at " + recorded));
  }

  @Test
  void aMembershipPendingLongerThanThePeriodIsReported() {
    Image shared = w.active("producer", "shared", Visibility.SHARED, "shared");
    w.governance.sharing().addMember(PRODUCER, shared.id(), "consumer-a");
    w.clock.advance(Duration.ofDays(31));
    w.governance.sharing().addMember(PRODUCER, shared.id(), "consumer-b");

    assertThat(w.hygiene().findings(FindingKind.MEMBER_PENDING)).singleElement()
        .satisfies(f -> assertThat(f.evidence()).startsWith("member consumer-a pending since"));
  }

  @Test
  void aSharedImageWithNoMemberIsReported() {
    Image lonely = w.active("producer", "lonely", Visibility.SHARED, "lonely");
    Image withMember = w.active("producer", "with member", Visibility.SHARED, "member");
    w.governance.sharing().addMember(PRODUCER, withMember.id(), "consumer-a");

    assertThat(subjects(w.hygiene(), FindingKind.SHARED_WITHOUT_MEMBERS))
        .containsExactly(lonely.id().value());
  }

  @Test
  void aPublicOrCommunityImageOfANonProducerIsReported() {
    w.active("producer", "golden", Visibility.PUBLIC, "golden");
    Image pub = w.active("consumer-a", "oops", Visibility.PUBLIC, "oops");
    Image community = w.active("consumer-b", "shared widely", Visibility.COMMUNITY, "widely");

    assertThat(subjects(w.hygiene(), FindingKind.PUBLIC_NOT_PRODUCER))
        .containsExactlyInAnyOrder(pub.id().value(), community.id().value());
  }

  @Test
  void theProducersDefaultToTheExposureGuardrailsList() {
    ReportWorld guarded = new ReportWorld(GovernanceConfig.builder()
        .exposure(ExposureGuardrail.producersOnly(List.of(ReportWorld.PRODUCER_P))).build());
    guarded.active("producer", "golden", Visibility.PUBLIC, "golden");
    Image pub = guarded.active("consumer-a", "oops", Visibility.PUBLIC, "oops");

    HygieneReport report = guarded.governance.reports().hygiene(ADMIN,
        HygieneRequest.of(guarded.tenancy));

    assertThat(subjects(report, FindingKind.PUBLIC_NOT_PRODUCER))
        .containsExactly(pub.id().value());
    assertThat(subjects(guarded.governance.reports().hygiene(ADMIN,
        HygieneRequest.of(guarded.tenancy).withProducers(Set.of())),
        FindingKind.PUBLIC_NOT_PRODUCER)).as("an explicit list replaces the guardrail's")
        .hasSize(2);
  }

  @Test
  void anImageLeftInATransientStatusLongerThanThePeriodIsStuck() {
    Image queued = w.queued("consumer-a", "never uploaded", Visibility.PRIVATE);
    w.clock.advance(Duration.ofDays(2));
    Image fresh = w.queued("consumer-a", "just created", Visibility.PRIVATE);

    List<Finding> found = w.hygiene().findings(FindingKind.STUCK);

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.image()).contains(queued.id());
      assertThat(f.evidence()).startsWith("queued since");
    });
    assertThat(subjects(w.hygiene(), FindingKind.STUCK)).doesNotContain(fresh.id().value());
  }

  @Test
  void everyTransientStatusTheIssueNamesIsStuckAfterThePeriod() {
    Map<ImageId, ImageStatus> left = new LinkedHashMap<>();
    for (ImageStatus status : List.of(ImageStatus.QUEUED, ImageStatus.SAVING,
        ImageStatus.IMPORTING, ImageStatus.UPLOADING, ImageStatus.KILLED)) {
      Image queued = w.queued("consumer-a", status.wireName(), Visibility.PRIVATE);
      if (status != ImageStatus.QUEUED) {
        // Put behind governance: the statuses a crashed upload or import leaves.
        w.catalog.compareAndSet(queued.version(), queued.toBuilder().status(status).build());
      }
      left.put(queued.id(), status);
    }
    w.active("consumer-a", "done", Visibility.PRIVATE, "done");
    w.clock.advance(Duration.ofDays(2));

    List<Finding> found = w.hygiene().findings(FindingKind.STUCK);

    assertThat(found).extracting(f -> f.image().orElseThrow())
        .containsExactlyInAnyOrderElementsOf(left.keySet());
    for (Finding f : found) {
      assertThat(f.evidence()).startsWith(left.get(f.image().orElseThrow()).wireName() + " since");
    }
  }

  @Test
  void dataOfAPendingDeleteImageAwaitsTheScrubber() {
    ReportWorld delayed = new ReportWorld(GovernanceConfig.builder().delayedDelete(true).build());
    Image gone = delayed.active("consumer-a", "gone", Visibility.PRIVATE, "gone soon");
    delayed.governance.images().delete(ADMIN, gone.id());

    assertThat(delayed.hygiene().findings(FindingKind.AWAITING_SCRUB)).singleElement()
        .satisfies(f -> {
          assertThat(f.subject()).isEqualTo(gone.id().value());
          assertThat(f.store()).contains(FAST);
          assertThat(f.evidence()).startsWith("pending_delete since");
        });
    assertThat(delayed.hygiene().findings(FindingKind.UNREFERENCED_BLOB)).isEmpty();
  }

  @Test
  void stagedDataNoImportingImageOwnsIsALeftover() {
    Image staged = w.queued("consumer-a", "staged", Visibility.PRIVATE);
    w.governance.imports().stage(ADMIN, staged.id(),
        new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}), java.util.OptionalLong.of(3));
    ReportWorld.writeBehind(w.staging, ReportWorld.strayId(1), 5);

    List<Finding> found = w.hygiene().findings(FindingKind.STAGING_LEFTOVER);

    assertThat(found).singleElement().satisfies(f -> {
      assertThat(f.subject()).isEqualTo(ReportWorld.strayId(1));
      assertThat(f.bytes()).isEqualTo(Map.of(StoreId.of("staging"), 5L));
    });
  }

  @Test
  void aBlobNoLocationReferencesIsUnreferenced() {
    w.active("consumer-a", "fine", Visibility.PRIVATE, "fine");
    ReportWorld.writeBehind(w.fast, ReportWorld.strayId(7), 42);
    ReportWorld.writeBehind(w.slow, "not-an-image-id", 3);

    HygieneReport report = w.hygiene();

    assertThat(report.findings(FindingKind.UNREFERENCED_BLOB))
        .extracting(Finding::subject, Finding::store, Finding::evidence)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ReportWorld.strayId(7), Optional.of(FAST),
                "no image has this id"),
            org.assertj.core.groups.Tuple.tuple("not-an-image-id",
                Optional.of(ReportWorld.SLOW), "no image can have this key"));
  }

  @Test
  void aLocationWhoseBlobIsGoneIsMissing() throws IOException {
    Image broken = w.active("consumer-a", "broken", Visibility.PRIVATE, "broken");
    w.fast.delete(BlobKey.of(broken.id()));

    assertThat(w.hygiene().findings(FindingKind.MISSING_BLOB)).singleElement().satisfies(f -> {
      assertThat(f.image()).contains(broken.id());
      assertThat(f.store()).contains(FAST);
      assertThat(f.evidence()).contains("holds no blob for it");
    });
  }

  @Test
  void aReportOfOneOwnerHasOnlyItsImagesAndNoStrayData() {
    Image mine = w.active("ghost", "mine", Visibility.PRIVATE, "mine");
    w.active("other-ghost", "theirs", Visibility.PRIVATE, "theirs");
    ReportWorld.writeBehind(w.fast, ReportWorld.strayId(3), 4);

    HygieneReport report = w.governance.reports().hygiene(ADMIN,
        w.request().withOwner(ProjectId.of("ghost")));

    assertThat(report.findings()).extracting(Finding::subject)
        .containsExactly(mine.id().value());
    assertThat(report.owner()).contains(ProjectId.of("ghost"));
  }

  @Test
  void aCallerWhoIsNotAnAdminIsRefusedBeforeAnythingIsRead() {
    w.active("consumer-a", "private", Visibility.PRIVATE, "private");

    assertThatThrownBy(() -> w.governance.reports().hygiene(PRODUCER, w.request()))
        .isInstanceOfSatisfying(GovernanceException.class, e -> {
          assertThat(e.code()).isEqualTo(RuleCode.REPORTS_ADMIN_ONLY);
          assertThat(e.getMessage()).isEqualTo("Only an admin may report on the catalog's hygiene.");
        });
    assertThatThrownBy(() -> w.governance.reports().capacity(PRODUCER, w.tenancy))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.REPORTS_ADMIN_ONLY));
    assertThatThrownBy(() -> w.governance.reports().reconcile(PRODUCER, w.tenancy, true))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.REPORTS_ADMIN_ONLY));
  }

  @Test
  void aNegativePeriodIsRefusedNamingIt() {
    assertThatThrownBy(() -> w.request().withStalePeriod(Duration.ofDays(-1)))
        .isInstanceOfSatisfying(GovernanceException.class, e -> {
          assertThat(e.code()).isEqualTo(RuleCode.INVALID_REPORT_VALUE);
          assertThat(e.getMessage()).contains("stale period").contains("PT-24H");
        });
  }

  @Test
  void aHealthyCatalogHasNoFinding() {
    w.active("producer", "golden", Visibility.PUBLIC, "golden");
    Image shared = w.active("producer", "shared", Visibility.SHARED, "shared");
    w.governance.sharing().addMember(PRODUCER, shared.id(), "consumer-a");

    assertThat(w.hygiene().findings()).isEmpty();
    assertThat(w.hygiene().toMarkdown()).contains("No findings.");
  }
}
