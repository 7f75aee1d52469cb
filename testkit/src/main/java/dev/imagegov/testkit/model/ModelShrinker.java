package dev.imagegov.testkit.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Shrinks a failing step sequence of a model check to the steps that matter, by delta debugging
 * (Zeller's ddmin over the steps): it tries ever smaller chunks of the sequence and their
 * complements, keeping any shorter sequence that still fails the same way (the same view
 * disagrees: the answer, a get, a list...), until no single step can be removed or the budget of
 * re-runs is spent. Deterministic: the same sequence and check always shrink to the same result.
 * A step that names an image by index still names one after earlier steps are removed (indexes
 * are taken modulo the images created), so every subsequence is a valid sequence.
 */
final class ModelShrinker {
  private ModelShrinker() {}

  /**
   * How one sequence failed: the step (counted from 0) after which the engine and the model
   * disagreed, which view disagreed, and what the engine's {@code explain} said about that step
   * (when asked for).
   */
  static final class Divergence extends AssertionError {
    private static final long serialVersionUID = 1L;

    /** The failing step, counted from 0. */
    final int step;

    /** The kind of view that disagreed ({@code answer}, {@code default list}, ...). */
    final String view;

    /** The engine's explanation of the failing step, or empty when not asked for. */
    final String explain;

    Divergence(int step, String view, String explain, Throwable cause) {
      super(
          (cause.getMessage() == null ? cause.toString() : cause.getMessage())
              + (explain.isEmpty() ? "" : "\n" + explain),
          cause);
      this.step = step;
      this.view = view;
      this.explain = explain;
    }
  }

  /**
   * {@return the divergence {@code failure} (thrown by the check at step {@code step}) stands
   * for: the first of {@code views} its AssertJ description names, or the exception's class}
   *
   * @param failure what the check threw
   * @param step the step it was thrown at, counted from 0
   * @param views the kinds of view the check compares, as its descriptions name them
   * @param explain the engine's explanation of the step, or empty
   */
  static Divergence divergence(Throwable failure, int step, List<String> views, String explain) {
    if (failure instanceof Divergence) {
      return (Divergence) failure;
    }
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    // AssertJ puts the description first, in brackets; only the description names the view.
    int end = message.startsWith("[") ? message.indexOf(']') : -1;
    String description = end < 0 ? "" : message.substring(1, end);
    String view = failure.getClass().getName();
    int first = Integer.MAX_VALUE;
    for (String v : views) {
      int at = description.indexOf(v);
      if (at >= 0 && at < first) {
        first = at;
        view = v;
      }
    }
    return new Divergence(step, view, explain, failure);
  }

  /** The outcome of a shrink: the shortest failing sequence found and how many re-runs it took. */
  record Shrunk<T>(List<T> steps, Divergence divergence, int runs) {}

  /**
   * Shrinks {@code failing}, which fails with {@code original}, to a shorter sequence that fails
   * with a divergence of the same view, in at most {@code budget} re-runs of {@code check}.
   *
   * @param failing the failing sequence
   * @param original how it failed
   * @param check runs a sequence and answers its divergence, or null if it passes
   * @param budget the most re-runs
   * @return the shortest sequence found (1-minimal unless the budget ran out), its divergence and
   *     the re-runs spent
   */
  static <T> Shrunk<T> shrink(
      List<T> failing,
      Divergence original,
      Function<List<T>, @Nullable Divergence> check,
      int budget) {
    List<T> current = List.copyOf(failing);
    Divergence divergence = original;
    int runs = 0;
    // Steps after the failing one cannot matter: drop them without a run.
    if (original.step + 1 < current.size()) {
      current = List.copyOf(current.subList(0, original.step + 1));
    }
    int n = 2;
    while (current.size() >= 2 && runs < budget) {
      List<List<T>> chunks = split(current, Math.min(n, current.size()));
      boolean reduced = false;
      // First each chunk alone, then each complement (the sequence without one chunk).
      for (int pass = 0; pass < 2 && !reduced; pass++) {
        for (int i = 0; i < chunks.size() && runs < budget; i++) {
          List<T> candidate = pass == 0 ? chunks.get(i) : without(chunks, i);
          if (candidate.isEmpty() || candidate.size() == current.size()) {
            continue;
          }
          runs++;
          Divergence d = check.apply(candidate);
          if (d != null && d.view.equals(original.view)) {
            current = d.step + 1 < candidate.size()
                ? List.copyOf(candidate.subList(0, d.step + 1)) : candidate;
            divergence = d;
            n = pass == 0 ? 2 : Math.max(n - 1, 2);
            reduced = true;
            break;
          }
        }
      }
      if (!reduced) {
        if (n >= current.size()) {
          break;
        }
        n = Math.min(2 * n, current.size());
      }
    }
    return new Shrunk<>(current, divergence, runs);
  }

  private static <T> List<List<T>> split(List<T> steps, int parts) {
    List<List<T>> chunks = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < parts; i++) {
      int end = start + (steps.size() - start) / (parts - i);
      chunks.add(List.copyOf(steps.subList(start, end)));
      start = end;
    }
    return chunks;
  }

  private static <T> List<T> without(List<List<T>> chunks, int skipped) {
    List<T> rest = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      if (i != skipped) {
        rest.addAll(chunks.get(i));
      }
    }
    return List.copyOf(rest);
  }

  /**
   * {@return the report of a shrunk failure: the shrunk sequence numbered, the failing step
   * marked, the engine's explanation of it and the disagreement}
   *
   * @param check the check's name
   * @param seed how the sequences were generated, for replaying
   * @param originalSize the failing sequence's length before shrinking
   * @param shrunk the shrink's outcome, its divergence run with explanations
   */
  static String report(String check, String seed, int originalSize, Shrunk<?> shrunk) {
    StringBuilder b = new StringBuilder(check)
        .append(" failed (")
        .append(seed)
        .append("); shrunk from ")
        .append(originalSize)
        .append(" to ")
        .append(shrunk.steps().size())
        .append(" steps in ")
        .append(shrunk.runs())
        .append(" re-runs:\n");
    for (int i = 0; i < shrunk.steps().size(); i++) {
      b.append(i == shrunk.divergence().step ? "  > " : "    ")
          .append(i + 1)
          .append(". ")
          .append(shrunk.steps().get(i))
          .append('\n');
    }
    b.append("The ")
        .append(shrunk.divergence().view)
        .append(" disagrees after step ")
        .append(shrunk.divergence().step + 1)
        .append(": ")
        .append(shrunk.steps().get(shrunk.divergence().step))
        .append('\n');
    if (!shrunk.divergence().explain.isEmpty()) {
      b.append(shrunk.divergence().explain).append('\n');
    }
    Throwable cause = shrunk.divergence().getCause();
    b.append("Disagreement: ").append(cause == null ? "" : cause.getMessage());
    return b.toString();
  }
}
