package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static dev.imagegov.ReportWorld.PRODUCER;
import static dev.imagegov.ReportWorld.PRODUCER_P;
import static dev.imagegov.ReportWorld.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.quota.QuotaPolicy;
import dev.imagegov.report.CapacityReport;
import dev.imagegov.report.CleanupPlan;
import dev.imagegov.report.HygieneReport;
import dev.imagegov.report.ReconciliationReport;
import dev.imagegov.report.WhatIf;
import dev.imagegov.spi.usage.UsageDelta;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Golden Markdown of every report for one sample tenancy: a producer, two consumers and an
 * unknown owner, with duplicates within and across owners, a non-producer's public image, a
 * shared image without members, a stuck upload, stray data, and usage drift. The expected
 * outputs are {@code src/test/resources/dev/imagegov/report/golden/*.md}; run with {@code
 * -Dimagegov.golden.update=true} to rewrite them after a deliberate change (then review the
 * diff).
 */
class ReportGoldenTest {
  private static final boolean UPDATE = Boolean.getBoolean("imagegov.golden.update");
  private static final String DIR = "dev/imagegov/report/golden/";

  private static final GovernanceConfig QUOTA_6KB =
      GovernanceConfig.builder().userStorageQuota("6KB").build();
  private final ReportWorld w = new ReportWorld(QUOTA_6KB);
  private Image duplicate;

  @BeforeEach
  void sampleTenancy() {
    duplicate = sample(w);
  }

  /** Fills {@code w} with the sample tenancy; returns the duplicate within consumer-a. */
  private static Image sample(ReportWorld w) {
    Image golden = w.active("producer", "golden", Visibility.PUBLIC, "golden image bytes");
    w.governance.data().copyToStores(ADMIN, golden.id(), List.of(SLOW));
    Image shared = w.active("producer", "beta", Visibility.SHARED, "beta bytes");
    w.governance.sharing().addMember(PRODUCER, shared.id(), "consumer-a");
    w.active("consumer-a", "base", Visibility.PRIVATE, "same bytes");
    Image duplicate = w.active("consumer-a", "base again", Visibility.PRIVATE, "same bytes");
    w.active("consumer-a", "lonely", Visibility.SHARED, "lonely bytes");
    w.active("consumer-b", "mine too", Visibility.PUBLIC, "golden image bytes");
    w.queued("consumer-b", "never uploaded", Visibility.PRIVATE);
    w.active("ghost", "left behind", Visibility.PRIVATE, "ghost bytes");
    ReportWorld.writeBehind(w.fast, ReportWorld.strayId(1), 123);
    ReportWorld.writeBehind(w.staging, ReportWorld.strayId(2), 45);
    w.usage.record(new UsageDelta(ProjectId.of("consumer-b"), ImmutableMap.of(), 7, 0, 1));
    w.clock.advance(Duration.ofDays(40));
    return duplicate;
  }

  private static void matchesGolden(String name, String actual) {
    if (UPDATE) {
      try {
        Path file = Path.of("src/test/resources", DIR, name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    try (InputStream in = ReportGoldenTest.class.getResourceAsStream("/" + DIR + name)) {
      assertThat(in).as("golden file %s (create it with -Dimagegov.golden.update=true)", name)
          .isNotNull();
      assertThat(actual).as("rendering of %s", name)
          .isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HygieneReport hygiene() {
    return w.governance.reports().hygiene(ADMIN, w.request());
  }

  @Test
  void everyReportRendersAsJsonWithWhatItsMarkdownShows() throws IOException {
    ObjectMapper json = new ObjectMapper();
    HygieneReport hygiene = hygiene();
    JsonNode h = json.readTree(hygiene.toJson());
    assertThat(h.get("findings")).hasSize(hygiene.findings().size());
    hygiene.counts().forEach((kind, n) ->
        assertThat(h.get("counts").get(kind.rule()).asInt()).as(kind.rule()).isEqualTo(n));
    for (int i = 0; i < hygiene.findings().size(); i++) {
      assertThat(h.get("findings").get(i).get("subject").asText())
          .isEqualTo(hygiene.findings().get(i).subject());
    }
    CapacityReport capacity = w.governance.reports().capacity(ADMIN, w.tenancy);
    JsonNode c = json.readTree(capacity.toJson());
    assertThat(c.get("stores")).hasSize(capacity.stores().size());
    assertThat(c.get("findings")).hasSize(capacity.findings().size());
    ReconciliationReport drift = w.governance.reports().reconcile(ADMIN, w.tenancy, false);
    JsonNode r = json.readTree(drift.toJson());
    assertThat(r.get("drifts")).hasSize(drift.drifts().size());
    assertThat(r.get("reservations")).hasSize(drift.reservations().size());
    assertThat(r.get("projects").asInt()).isEqualTo(drift.projects());
    CleanupPlan plan = w.governance.reports().plan(ADMIN, hygiene);
    JsonNode p = json.readTree(plan.toJson());
    assertThat(p.get("actions")).hasSize(plan.actions().size());
    assertThat(p.get("skipped")).hasSize(plan.skipped().size());
  }

  @Test
  void hygieneReport() {
    matchesGolden("hygiene.md", hygiene().toMarkdown());
  }

  @Test
  void cleanupPlan() {
    CleanupPlan plan = w.governance.reports().plan(ADMIN, hygiene());
    matchesGolden("cleanup-plan.md", plan.toMarkdown());
  }

  @Test
  void capacityReport() {
    matchesGolden("capacity.md", w.governance.reports().capacity(ADMIN, w.tenancy).toMarkdown());
  }

  @Test
  void reconciliationReport() {
    matchesGolden("reconciliation.md",
        w.governance.reports().reconcile(ADMIN, w.tenancy, false).toMarkdown());
  }

  /** On stores of 10 GiB ({@code fast}), 30 GiB ({@code slow}) and 4 GiB (staging). */
  @Test
  void quotaRecommendation() {
    long gib = 1L << 30;
    ReportWorld large = new ReportWorld(QUOTA_6KB, 10 * gib, 30 * gib, 4 * gib);
    sample(large);
    matchesGolden("quota-recommendation.md", large.governance.quotas()
        .recommend(ADMIN, large.tenancy, List.of(), QuotaPolicy.defaults()
            .withWeight(PRODUCER_P, 2).withCopies(2).withMembers(32))
        .toMarkdown());
  }

  @Test
  void whatIfCopy() {
    matchesGolden("what-if-copy.md", w.governance.reports()
        .whatIf(ADMIN, w.tenancy, new WhatIf.CopyImage(duplicate.id(), SLOW)).toMarkdown());
  }

  @Test
  void whatIfDeleteDuplicates() {
    matchesGolden("what-if-delete-duplicates.md", w.governance.reports()
        .whatIf(ADMIN, w.tenancy, new WhatIf.DeleteDuplicates(hygiene())).toMarkdown());
  }
}
