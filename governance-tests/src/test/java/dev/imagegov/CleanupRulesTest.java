package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static dev.imagegov.ReportWorld.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.lifecycle.ImageUse;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.report.CleanupAction;
import dev.imagegov.report.CleanupPlan;
import dev.imagegov.report.CleanupReport;
import dev.imagegov.report.CleanupStep;
import dev.imagegov.report.FindingKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Examples of cleanup plans: what each actionable kind does, and what is left alone. */
class CleanupRulesTest {
  private final ReportWorld w = new ReportWorld();

  @Test
  void aDuplicateIsDeletedAndAStaleImageDeactivated() {
    Image keep = w.active("consumer-a", "keep", Visibility.PRIVATE, "same");
    Image dup = w.active("consumer-a", "dup", Visibility.PRIVATE, "same");
    w.clock.advance(Duration.ofDays(100));

    CleanupPlan plan = w.governance.reports().plan(ADMIN, w.hygiene());

    assertThat(plan.actions()).extracting(CleanupAction::step, a -> a.finding().subject())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CleanupStep.DELETE_IMAGE, dup.id().value()),
            org.assertj.core.groups.Tuple.tuple(CleanupStep.DEACTIVATE_IMAGE, keep.id().value()));
    assertThat(plan.freedBytes()).isEqualTo(Map.of(ReportWorld.FAST, 4L));
    w.governance.reports().apply(ADMIN, plan, false);
    assertThat(w.catalog.find(dup.id())).isEmpty();
    assertThat(w.stored(keep.id()).status()).isEqualTo(ImageStatus.DEACTIVATED);
  }

  @Test
  void protectedAndInUseImagesAreLeftAloneWithTheReason() {
    Image guarded = w.active("consumer-a", "guarded", Visibility.PRIVATE, "guarded");
    w.governance.images().patch(ADMIN, guarded.id(), JsonPatchParser.V2_1,
        "[{\"op\":\"replace\",\"path\":\"/protected\",\"value\":true}]");
    Image used = w.active("consumer-a", "used", Visibility.PRIVATE, "used");
    w.clock.advance(Duration.ofDays(100));
    w.inUse.start(used.id(), new ImageUse(ProjectId.of("consumer-a"), "vm", w.now()));
    w.queued("consumer-a", "stuck", Visibility.PRIVATE);
    Image stuckProtected = w.queued("consumer-b", "stuck too", Visibility.PRIVATE);
    w.governance.images().patch(ADMIN, stuckProtected.id(), JsonPatchParser.V2_1,
        "[{\"op\":\"replace\",\"path\":\"/protected\",\"value\":true}]");
    w.clock.advance(Duration.ofDays(2));

    CleanupPlan plan = w.governance.reports().plan(ADMIN, w.hygiene());

    assertThat(plan.skipped()).extracting(s -> s.finding().subject(), s -> s.reason())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(guarded.id().value(),
                "image " + guarded.id() + " is protected: no cleanup acts on it"),
            org.assertj.core.groups.Tuple.tuple(stuckProtected.id().value(),
                "image " + stuckProtected.id() + " is protected: no cleanup acts on it"));
    assertThat(plan.actions()).extracting(a -> a.finding().kind())
        .containsExactly(FindingKind.STUCK);
  }

  @Test
  void anImageThatChangedSinceThePlanIsRefusedAndTheRestApplied() {
    Image stale = w.active("consumer-a", "stale", Visibility.PRIVATE, "stale");
    w.queued("consumer-a", "stuck", Visibility.PRIVATE);
    w.clock.advance(Duration.ofDays(100));
    CleanupPlan plan = w.governance.reports().plan(ADMIN, w.hygiene());
    w.governance.images().addTag(ADMIN, stale.id(), "touched");

    CleanupReport report = w.governance.reports().apply(ADMIN, plan, false);

    assertThat(report.refused()).singleElement().satisfies(s -> {
      assertThat(s.finding().subject()).isEqualTo(stale.id().value());
      assertThat(s.reason()).isEqualTo("image " + stale.id() + " changed since the plan.");
    });
    assertThat(report.applied()).extracting(a -> a.finding().kind())
        .containsExactly(FindingKind.STUCK);
    assertThat(w.stored(stale.id()).status()).isEqualTo(ImageStatus.ACTIVE);
  }

  @Test
  void anImageUsedAfterThePlanIsRefusedAtApply() {
    Image dup = w.active("consumer-a", "a", Visibility.PRIVATE, "same");
    Image second = w.active("consumer-a", "b", Visibility.PRIVATE, "same");
    CleanupPlan plan = w.governance.reports().plan(ADMIN, w.hygiene(),
        EnumSet.of(FindingKind.DUPLICATE_IN_OWNER));
    w.inUse.start(second.id(), new ImageUse(ProjectId.of("consumer-a"), "vm", w.now()));

    CleanupReport report = w.governance.reports().apply(ADMIN, plan, false);

    assertThat(report.refused()).extracting(s -> s.reason())
        .containsExactly("image " + second.id() + " is in use: no cleanup acts on it.");
    assertThat(w.catalog.find(second.id())).isPresent();
    assertThat(w.catalog.find(dup.id())).isPresent();
  }

  @Test
  void strayDataThatAnImageClaimedSinceThePlanIsNotDeleted() {
    String key = ReportWorld.strayId(9);
    ReportWorld.writeBehind(w.staging, key, 3);
    CleanupPlan plan = w.governance.reports().plan(ADMIN, w.hygiene());
    assertThat(plan.actions()).extracting(CleanupAction::step)
        .containsExactly(CleanupStep.DELETE_STAGED);
    w.staging.delete(dev.imagegov.spi.blob.BlobKey.of(key));

    CleanupReport report = w.governance.reports().apply(ADMIN, plan, true);

    assertThat(report.refused()).extracting(s -> s.reason())
        .containsExactly("staged data " + key + " is no longer a leftover.");
  }

  @Test
  void onlyAnAdminPlansOrAppliesACleanup() {
    CleanupPlan plan = new CleanupPlan(w.now(), List.of(), List.of());
    assertThatThrownBy(() -> w.governance.reports().apply(PRODUCER, plan, true))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.REPORTS_ADMIN_ONLY));
    assertThatThrownBy(() -> w.governance.reports().plan(PRODUCER, w.hygiene()))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.REPORTS_ADMIN_ONLY));
  }
}
