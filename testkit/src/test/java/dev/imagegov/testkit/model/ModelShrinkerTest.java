package dev.imagegov.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Delta debugging keeps the steps that matter, within its budget, the same way every time. */
class ModelShrinkerTest {
  private static final List<String> VIEWS = List.of("default list", "answer");

  /** Fails (on the default list) after the step where both 13 and 57 have been seen. */
  private static ModelShrinker.Divergence needs13And57(List<Integer> steps) {
    boolean seen13 = false;
    for (int i = 0; i < steps.size(); i++) {
      seen13 |= steps.get(i) == 13;
      if (seen13 && steps.subList(0, i + 1).contains(57)) {
        return ModelShrinker.divergence(
            new AssertionError("[p1 default list at step " + (i + 1) + "] differs"), i, VIEWS, "");
      }
    }
    return null;
  }

  private final List<Integer> hundred =
      IntStream.range(0, 100).boxed().collect(Collectors.toList());

  @Test
  void shrinksToTheStepsThatMatter() {
    ModelShrinker.Divergence first = needs13And57(hundred);
    ModelShrinker.Shrunk<Integer> shrunk =
        ModelShrinker.shrink(hundred, first, ModelShrinkerTest::needs13And57, 500);
    assertThat(shrunk.steps()).containsExactly(13, 57);
    assertThat(shrunk.divergence().step).isEqualTo(1);
    assertThat(shrunk.divergence().view).isEqualTo("default list");
    ModelShrinker.Shrunk<Integer> again =
        ModelShrinker.shrink(hundred, first, ModelShrinkerTest::needs13And57, 500);
    assertThat(again.steps()).as("deterministic").isEqualTo(shrunk.steps());
    assertThat(again.runs()).as("deterministic").isEqualTo(shrunk.runs());
  }

  @Test
  void keepsOnlyFailuresOfTheSameView() {
    // A shorter sequence that fails on another view (the answer) is not a shrink of this failure.
    ModelShrinker.Divergence first = needs13And57(hundred);
    ModelShrinker.Shrunk<Integer> shrunk = ModelShrinker.shrink(hundred, first, steps -> {
      if (steps.size() < 10) {
        return ModelShrinker.divergence(
            new AssertionError("[answer at step 1] differs"), 0, VIEWS, "");
      }
      return needs13And57(steps);
    }, 500);
    assertThat(shrunk.steps()).hasSizeGreaterThanOrEqualTo(10).contains(13, 57);
    assertThat(shrunk.divergence().view).isEqualTo("default list");
  }

  @Test
  void spendsNoMoreThanItsBudget() {
    List<Integer> runs = new ArrayList<>();
    ModelShrinker.Shrunk<Integer> shrunk = ModelShrinker.shrink(hundred, needs13And57(hundred),
        steps -> {
          runs.add(steps.size());
          return needs13And57(steps);
        }, 5);
    assertThat(runs).hasSize(5);
    assertThat(shrunk.runs()).isEqualTo(5);
    assertThat(needs13And57(shrunk.steps())).as("still fails").isNotNull();
    assertThat(shrunk.steps()).hasSizeLessThanOrEqualTo(58);
  }

  @Test
  void theReportMarksTheFailingStepAndCarriesTheExplanation() {
    ModelShrinker.Divergence d = ModelShrinker.divergence(
        new AssertionError("[p2 default list at step 2] differs"), 1, VIEWS, "explain(p1): OK");
    String report = ModelShrinker.report("Check", "seed 7", 9,
        new ModelShrinker.Shrunk<>(List.of("create", "add p2"), d, 12));
    assertThat(report)
        .startsWith("Check failed (seed 7); shrunk from 9 to 2 steps in 12 re-runs:\n")
        .contains("    1. create\n  > 2. add p2\n")
        .contains("The default list disagrees after step 2: add p2\nexplain(p1): OK\n")
        .endsWith("Disagreement: [p2 default list at step 2] differs");
  }
}
