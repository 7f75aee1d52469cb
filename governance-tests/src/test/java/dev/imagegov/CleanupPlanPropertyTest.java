package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.lifecycle.ImageUse;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.report.CleanupAction;
import dev.imagegov.report.CleanupPlan;
import dev.imagegov.report.CleanupReport;
import dev.imagegov.report.CleanupStep;
import dev.imagegov.report.Finding;
import dev.imagegov.report.FindingKind;
import dev.imagegov.report.HygieneReport;
import dev.imagegov.spi.blob.BlobKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Cleanup plans as properties over catalogs drawn from a seed (a fixed QuickTheories seed, each
 * failure naming its example's seed): applying a plan removes exactly the findings it acts on
 * (every finding of a deleted image, the stale finding of a deactivated one, the stray data it
 * deletes) and no other, never touches a protected or in-use image, and leaves usage reconciled;
 * a dry run writes nothing and agrees with the real run.
 */
class CleanupPlanPropertyTest {
  static final long SEED = 20_261_207_17L;
  private static final String[] OWNERS = {"producer", "consumer-a", "consumer-b", "ghost"};
  private static final String[] CONTENTS = {"alpha", "beta", "gamma", "delta", "alpha"};
  /** Clock advances well away from every period's edge (1, 30 and 90 days). */
  private static final int[] DAYS = {0, 2, 45, 120};

  /** A catalog drawn from {@code seed}, with the images no cleanup may touch. */
  private static final class Example {
    final ReportWorld w = new ReportWorld();
    final Set<ImageId> untouchable = new HashSet<>();

    Example(long seed) {
      Random r = new Random(seed);
      int n = 1 + r.nextInt(9);
      for (int i = 0; i < n; i++) {
        String owner = OWNERS[r.nextInt(OWNERS.length)];
        Visibility v = r.nextInt(4) == 0 ? Visibility.SHARED : Visibility.PRIVATE;
        if (r.nextInt(5) == 0) {
          w.queued(owner, "q" + i, v);
          continue;
        }
        Image image = w.active(owner, "i" + i, v, CONTENTS[r.nextInt(CONTENTS.length)]);
        if (r.nextInt(5) == 0) {
          w.governance.images().patch(ADMIN, image.id(), JsonPatchParser.V2_1,
              "[{\"op\":\"replace\",\"path\":\"/protected\",\"value\":true}]");
          untouchable.add(image.id());
        }
        if (r.nextInt(5) == 0) {
          w.inUse.start(image.id(), new ImageUse(ProjectId.of(owner), "vm" + i, w.now()));
          untouchable.add(image.id());
        }
        if (r.nextInt(8) == 0) {
          w.fast.delete(BlobKey.of(image.id()));
        }
      }
      for (int i = r.nextInt(3); i > 0; i--) {
        ReportWorld.writeBehind(w.fast, ReportWorld.strayId(i), 1 + r.nextInt(20));
      }
      for (int i = r.nextInt(3); i > 0; i--) {
        ReportWorld.writeBehind(w.staging, ReportWorld.strayId(100 + i), 1 + r.nextInt(20));
      }
      w.clock.advance(Duration.ofDays(DAYS[r.nextInt(DAYS.length)]));
    }
  }

  /** The findings applying {@code applied} must remove from {@code before}. */
  private static List<Finding> expectedAfter(HygieneReport before, List<CleanupAction> applied) {
    Set<ImageId> deleted = new HashSet<>();
    Set<Finding> removed = new HashSet<>();
    for (CleanupAction a : applied) {
      removed.add(a.finding());
      if (a.step() == CleanupStep.DELETE_IMAGE) {
        deleted.add(a.finding().image().orElseThrow());
      }
    }
    List<Finding> out = new ArrayList<>();
    for (Finding f : before.findings()) {
      if (!removed.contains(f) && (f.image().isEmpty() || !deleted.contains(f.image().get())
          || f.kind() == FindingKind.UNREFERENCED_BLOB)) {
        out.add(f);
      }
    }
    return out;
  }

  @Test
  void applyingAPlanRemovesExactlyItsFindingsAndLeavesUsageReconciled() {
    qt().withFixedSeed(SEED).withExamples(50).forAll(longs().all()).checkAssert(seed -> {
      Example e = new Example(seed);
      String as = "seed " + seed;
      HygieneReport before = e.w.hygiene();
      CleanupPlan plan = e.w.governance.reports().plan(ADMIN, before);
      assertThat(plan.actions()).as(as + ": no action on a protected or in-use image")
          .noneMatch(a -> a.finding().image().filter(e.untouchable::contains).isPresent()
              && a.step() != CleanupStep.DELETE_BLOB);

      CleanupReport report = e.w.governance.reports().apply(ADMIN, plan, false);

      assertThat(report.refused()).as(as).isEmpty();
      assertThat(report.applied()).as(as).isEqualTo(plan.actions());
      HygieneReport after = e.w.hygiene();
      assertThat(after.findings()).as(as + ": the findings left")
          .isEqualTo(expectedAfter(before, report.applied()));
      for (ImageId id : e.untouchable) {
        assertThat(e.w.catalog.find(id)).as(as + ": %s untouched", id).isPresent();
      }
      assertThat(e.w.governance.reports().reconcile(ADMIN, e.w.tenancy, false).drifts())
          .as(as + ": usage reconciled").isEmpty();
      assertThat(e.w.governance.reports().plan(ADMIN, after).actions())
          .as(as + ": re-planning").isEmpty();
    });
  }

  @Test
  void aDryRunWritesNothingAndAgreesWithTheRealRun() {
    qt().withFixedSeed(SEED + 1).withExamples(30).forAll(longs().all()).checkAssert(seed -> {
      Example e = new Example(seed);
      HygieneReport before = e.w.hygiene();
      CleanupPlan plan = e.w.governance.reports().plan(ADMIN, before);
      List<BlobKey> fast = e.w.fast.keys();
      List<BlobKey> staged = e.w.staging.keys();
      List<Image> images = new ArrayList<>();
      e.w.catalog.forEach(images::add);

      CleanupReport dry = e.w.governance.reports().apply(ADMIN, plan, true);

      List<Image> unchanged = new ArrayList<>();
      e.w.catalog.forEach(unchanged::add);
      assertThat(unchanged).as("seed %d: catalog", seed).containsExactlyInAnyOrderElementsOf(images);
      assertThat(e.w.fast.keys()).as("seed %d", seed).containsExactlyInAnyOrderElementsOf(fast);
      assertThat(e.w.staging.keys()).as("seed %d", seed)
          .containsExactlyInAnyOrderElementsOf(staged);
      CleanupReport real = e.w.governance.reports().apply(ADMIN, plan, false);
      assertThat(real.applied()).as("seed %d", seed).isEqualTo(dry.applied());
      assertThat(real.refused()).as("seed %d", seed).isEqualTo(dry.refused());
    });
  }
}
