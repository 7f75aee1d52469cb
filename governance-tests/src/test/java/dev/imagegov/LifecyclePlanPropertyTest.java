package dev.imagegov;

import static dev.imagegov.LifecycleWorld.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.LifecycleChanged;
import dev.imagegov.lifecycle.Family;
import dev.imagegov.lifecycle.ImageUse;
import dev.imagegov.lifecycle.LifecycleInfo;
import dev.imagegov.lifecycle.LifecyclePlan;
import dev.imagegov.lifecycle.LifecycleReport;
import dev.imagegov.lifecycle.LifecycleState;
import dev.imagegov.lifecycle.MemoryImageUsage;
import dev.imagegov.lifecycle.RetentionPolicy;
import dev.imagegov.lifecycle.Transition;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Retention plans as properties, over families drawn from a seed (a fixed QuickTheories seed, so
 * the examples are the same on every run; each failure names its example's seed): applying a plan
 * yields exactly its transitions (its states, its events, no other image changed); re-planning at
 * the same instant yields no transition; no plan touches a protected or in-use version.
 */
class LifecyclePlanPropertyTest {
  static final long SEED = 20_261_207_15L;
  private static final Family GOLDEN = Family.of("producer", "golden");
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  /** A family drawn from {@code seed}, its policy and the instant to plan at. */
  private static final class Example {
    final MemoryImageUsage usage = new MemoryImageUsage();
    final LifecycleWorld w = new LifecycleWorld(usage);
    final List<ImageId> ids = new ArrayList<>();
    final Set<ImageId> untouchable = new HashSet<>();
    final RetentionPolicy policy;
    final Instant now;

    Example(long seed) {
      Random r = new Random(seed);
      int n = 1 + r.nextInt(7);
      for (int i = 0; i < n; i++) {
        Image v = w.version(PRODUCER, "golden", "v" + i, Visibility.PUBLIC);
        ids.add(v.id());
        int state = r.nextInt(4); // 0,1 active; 2 deprecated; 3 obsolete
        if (state >= 2) {
          w.lifecycle().deprecate(PRODUCER, v.id());
        }
        if (state == 3) {
          w.lifecycle().obsolete(PRODUCER, v.id());
        }
        if (r.nextInt(5) == 0) {
          w.governance.images().patch(PRODUCER, v.id(), JsonPatchParser.V2_1,
              "[{\"op\":\"replace\",\"path\":\"/protected\",\"value\":true}]");
          untouchable.add(v.id());
        }
        if (r.nextInt(5) == 0) {
          usage.start(v.id(), new ImageUse(ProjectId.of("consumer-a"), "vm" + i, START));
          untouchable.add(v.id());
        }
      }
      RetentionPolicy p = RetentionPolicy.keepNewest(1 + r.nextInt(3));
      if (r.nextBoolean()) {
        p = p.obsoleteAfter(Duration.ofDays(r.nextInt(3)));
      }
      if (r.nextBoolean()) {
        p = p.deleteAfter(Duration.ofDays(r.nextInt(3)));
      }
      policy = p;
      now = START.plus(Duration.ofDays(r.nextInt(4)));
    }

    Map<ImageId, Image> stored() {
      Map<ImageId, Image> out = new HashMap<>();
      for (ImageId id : ids) {
        w.catalog.find(id).ifPresent(i -> out.put(id, i));
      }
      return out;
    }
  }

  @Test
  void applyingAPlanYieldsExactlyItsTransitionsAndReplanningYieldsNone() {
    qt().withFixedSeed(SEED).withExamples(60).forAll(longs().all()).checkAssert(seed -> {
      Example e = new Example(seed);
      LifecyclePlan plan = e.w.lifecycle().plan(PRODUCER, GOLDEN, e.policy, e.now);
      String as = "seed " + seed + ", " + e.policy + " at " + e.now;
      assertThat(plan.transitions()).as(as)
          .noneMatch(t -> e.untouchable.contains(t.image()));

      Map<ImageId, Image> before = e.stored();
      Map<ImageId, LifecycleState> expected = new HashMap<>();
      for (ImageId id : before.keySet()) {
        expected.put(id, LifecycleInfo.of(before.get(id)).state());
      }
      for (Transition t : plan.transitions()) {
        assertThat(expected.get(t.image())).as(as + ": %s starts from its state", t)
            .isEqualTo(t.from());
        expected.put(t.image(), t.to());
      }
      int events = e.w.events.size();

      LifecycleReport report = e.w.lifecycle().apply(PRODUCER, plan, false);

      assertThat(report.applied()).as(as).isEqualTo(plan.transitions());
      assertThat(report.refused()).as(as).isEmpty();
      Map<ImageId, Image> after = e.stored();
      Set<ImageId> moved = plan.transitions().stream().map(Transition::image)
          .collect(Collectors.toSet());
      for (ImageId id : before.keySet()) {
        LifecycleState want = expected.get(id);
        if (want == LifecycleState.DELETED) {
          assertThat(after).as(as + ": %s deleted", id).doesNotContainKey(id);
        } else if (!moved.contains(id)) {
          assertThat(after.get(id)).as(as + ": %s untouched", id).isEqualTo(before.get(id));
        } else {
          assertThat(LifecycleInfo.of(after.get(id)).state()).as(as + ": %s", id)
              .isEqualTo(want);
        }
      }
      List<String> published = new ArrayList<>();
      for (GovernanceEvent ev : e.w.events.subList(events, e.w.events.size())) {
        if (ev instanceof LifecycleChanged c) {
          published.add(c.imageId() + " " + c.from() + "->" + c.to());
        }
      }
      assertThat(published).as(as).isEqualTo(plan.transitions().stream()
          .map(t -> t.image() + " " + t.from() + "->" + t.to()).toList());

      assertThat(e.w.lifecycle().plan(PRODUCER, GOLDEN, e.policy, e.now).transitions())
          .as(as + ": re-planning").isEmpty();
    });
  }

  @Test
  void aDryRunAppliesTheSameTransitionsAsTheRealRunAndWritesNothing() {
    qt().withFixedSeed(SEED + 1).withExamples(40).forAll(longs().all()).checkAssert(seed -> {
      Example e = new Example(seed);
      LifecyclePlan plan = e.w.lifecycle().plan(PRODUCER, GOLDEN, e.policy, e.now);
      Map<ImageId, Image> before = e.stored();
      LifecycleReport dry = e.w.lifecycle().apply(PRODUCER, plan, true);
      assertThat(e.stored()).as("seed %d: a dry run writes nothing", seed).isEqualTo(before);
      LifecycleReport real = e.w.lifecycle().apply(PRODUCER, plan, false);
      assertThat(real.applied()).as("seed %d", seed).isEqualTo(dry.applied());
      assertThat(real.refused()).as("seed %d", seed).isEqualTo(dry.refused());
    });
  }
}
