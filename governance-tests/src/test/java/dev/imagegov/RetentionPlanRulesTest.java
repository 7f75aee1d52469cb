package dev.imagegov;

import static dev.imagegov.LifecycleWorld.ADMIN;
import static dev.imagegov.LifecycleWorld.OUTSIDER;
import static dev.imagegov.LifecycleWorld.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.lifecycle.Family;
import dev.imagegov.lifecycle.ImageUse;
import dev.imagegov.lifecycle.LifecycleInfo;
import dev.imagegov.lifecycle.LifecyclePlan;
import dev.imagegov.lifecycle.LifecycleReport;
import dev.imagegov.lifecycle.LifecycleState;
import dev.imagegov.lifecycle.MemoryImageUsage;
import dev.imagegov.lifecycle.RetentionPolicy;
import dev.imagegov.lifecycle.Skip;
import dev.imagegov.lifecycle.Transition;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Retention policies, plans and their application, one example per rule. */
class RetentionPlanRulesTest {
  private static final Family GOLDEN = Family.of("producer", "golden");
  private static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

  private final MemoryImageUsage usage = new MemoryImageUsage();
  private final LifecycleWorld w = new LifecycleWorld(usage);

  private List<Image> versions(int n) {
    return java.util.stream.IntStream.rangeClosed(1, n)
        .mapToObj(i -> w.version(PRODUCER, "golden", "v" + i, Visibility.PUBLIC))
        .toList();
  }

  @Test
  void keepNewestDeprecatesTheOlderActiveVersions() {
    List<Image> v = versions(4);
    LifecyclePlan plan = w.lifecycle().plan(PRODUCER, GOLDEN, RetentionPolicy.keepNewest(2), NOW);
    assertThat(plan.transitions()).extracting(Transition::image)
        .containsExactly(v.get(1).id(), v.get(0).id());
    assertThat(plan.transitions()).allSatisfy(t -> {
      assertThat(t.from()).isEqualTo(LifecycleState.ACTIVE);
      assertThat(t.to()).isEqualTo(LifecycleState.DEPRECATED);
      assertThat(t.rule()).isEqualTo(RetentionPolicy.KEEP_NEWEST);
    });
  }

  @Test
  void obsoleteAfterAndDeleteAfterChainWithinOnePlan() {
    List<Image> v = versions(2);
    RetentionPolicy policy = RetentionPolicy.keepNewest(1)
        .obsoleteAfter(Duration.ZERO).deleteAfter(Duration.ZERO);
    LifecyclePlan plan = w.lifecycle().plan(PRODUCER, GOLDEN, policy, NOW);
    assertThat(plan.transitions()).extracting(Transition::to).containsExactly(
        LifecycleState.DEPRECATED, LifecycleState.OBSOLETE, LifecycleState.DELETED);
    LifecycleReport report = w.lifecycle().apply(PRODUCER, plan, false);
    assertThat(report.applied()).isEqualTo(plan.transitions());
    assertThat(w.catalog.find(v.get(0).id())).isEmpty();
  }

  @Test
  void aPlanNeverTouchesAProtectedOrInUseVersion() {
    List<Image> v = versions(3);
    w.governance.images().patch(PRODUCER, v.get(0).id(), JsonPatchParser.V2_1,
        "[{\"op\":\"replace\",\"path\":\"/protected\",\"value\":true}]");
    usage.start(v.get(1).id(), new ImageUse(ProjectId.of("consumer-a"), "vm", Instant.EPOCH));
    LifecyclePlan plan = w.lifecycle().plan(PRODUCER, GOLDEN, RetentionPolicy.keepNewest(1), NOW);
    assertThat(plan.transitions()).isEmpty();
    assertThat(plan.skipped()).extracting(Skip::image, Skip::reason).containsExactly(
        org.assertj.core.groups.Tuple.tuple(v.get(1).id(), "in use"),
        org.assertj.core.groups.Tuple.tuple(v.get(0).id(), "protected"));
  }

  @Test
  void applyPerformsExactlyThePlanAndReplanningFindsNothing() {
    List<Image> v = versions(3);
    RetentionPolicy policy = RetentionPolicy.keepNewest(1).obsoleteAfter(Duration.ofDays(1));
    LifecyclePlan plan = w.lifecycle().plan(PRODUCER, GOLDEN, policy, NOW);
    Image newest = w.stored(v.get(2).id());
    LifecycleReport report = w.lifecycle().apply(PRODUCER, plan, false);
    assertThat(report.applied()).isEqualTo(plan.transitions());
    assertThat(report.refused()).isEmpty();
    assertThat(w.stored(v.get(2).id())).isEqualTo(newest);
    assertThat(LifecycleInfo.of(w.stored(v.get(0).id())).since()).contains(NOW);
    assertThat(w.lifecycle().plan(PRODUCER, GOLDEN, policy, NOW).transitions()).isEmpty();
    assertThat(w.lifecycle().plan(PRODUCER, GOLDEN, policy, NOW.plus(Duration.ofDays(1)))
        .transitions()).extracting(Transition::to)
        .containsOnly(LifecycleState.OBSOLETE).hasSize(2);
  }

  @Test
  void aDryRunChecksEverythingAndWritesNothing() {
    List<Image> v = versions(3);
    LifecyclePlan plan = w.lifecycle().plan(PRODUCER, GOLDEN, RetentionPolicy.keepNewest(1), NOW);
    List<Image> before = v.stream().map(i -> w.stored(i.id())).toList();
    int events = w.events.size();
    LifecycleReport dry = w.lifecycle().apply(PRODUCER, plan, true);
    assertThat(dry.dryRun()).isTrue();
    assertThat(dry.applied()).isEqualTo(plan.transitions());
    assertThat(v.stream().map(i -> w.stored(i.id())).toList()).isEqualTo(before);
    assertThat(w.events).hasSize(events);
    LifecycleReport real = w.lifecycle().apply(PRODUCER, plan, false);
    assertThat(real.applied()).isEqualTo(dry.applied());
  }

  @Test
  void aTransitionWhoseImageMovedSinceThePlanIsRefusedAndTheOthersApplied() {
    List<Image> v = versions(3);
    LifecyclePlan plan = w.lifecycle().plan(PRODUCER, GOLDEN, RetentionPolicy.keepNewest(1), NOW);
    w.lifecycle().deprecate(PRODUCER, v.get(0).id());
    w.lifecycle().obsolete(PRODUCER, v.get(0).id());
    LifecycleReport report = w.lifecycle().apply(PRODUCER, plan, false);
    assertThat(report.applied()).extracting(Transition::image).containsExactly(v.get(1).id());
    assertThat(report.refused()).extracting(Skip::image).containsExactly(v.get(0).id());
    assertThat(LifecycleInfo.of(w.stored(v.get(0).id())).state())
        .isEqualTo(LifecycleState.OBSOLETE);
  }

  @Test
  void onlyTheFamilysOwnerOrAnAdminPlansItsRetention() {
    versions(2);
    Expect.fails(RuleCode.POLICY_DENIED,
        () -> w.lifecycle().plan(OUTSIDER, GOLDEN, RetentionPolicy.keepNewest(1), NOW));
    assertThat(w.lifecycle().plan(ADMIN, GOLDEN, RetentionPolicy.keepNewest(1), NOW)
        .transitions()).hasSize(1);
  }

  @Test
  void aPlanRendersAsJsonAndMarkdown() throws Exception {
    List<Image> v = versions(2);
    LifecyclePlan plan = w.lifecycle().plan(PRODUCER, GOLDEN, RetentionPolicy.keepNewest(1), NOW);
    JsonNode json = new ObjectMapper().readTree(plan.toJson());
    assertThat(json.get("family").asText()).isEqualTo("golden");
    assertThat(json.get("owner").asText()).isEqualTo("producer");
    assertThat(json.get("transitions").get(0).get("image").asText())
        .isEqualTo(v.get(0).id().value());
    assertThat(json.get("transitions").get(0).get("to").asText()).isEqualTo("deprecated");
    assertThat(json.get("transitions").get(0).get("rule").asText()).isEqualTo("keep-newest");
    String md = plan.toMarkdown();
    assertThat(md).contains("## Lifecycle plan for producer/golden")
        .contains("| " + v.get(0).id() + " | active | deprecated | keep-newest |");
  }

  @Test
  void aRetentionPolicyKeepsAtLeastOneVersion() {
    Expect.fails(RuleCode.INVALID_LIFECYCLE_VALUE, () -> RetentionPolicy.keepNewest(0));
    Expect.fails(RuleCode.INVALID_LIFECYCLE_VALUE,
        () -> RetentionPolicy.keepNewest(1).obsoleteAfter(Duration.ofDays(-1)));
  }
}
