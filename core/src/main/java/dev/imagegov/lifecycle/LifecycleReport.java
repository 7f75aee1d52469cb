package dev.imagegov.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link Lifecycle#apply}: which of the plan's transitions were applied (or, in a
 * dry run, would be), and which were refused, with the refusal's message (the image changed
 * since the plan, or a check refused it). Immutable.
 *
 * @param plan the plan applied
 * @param dryRun whether nothing was written
 * @param applied the transitions applied (or that would be), in the plan's order
 * @param refused the transitions not applied, each with the reason
 */
public record LifecycleReport(
    LifecyclePlan plan, boolean dryRun, List<Transition> applied, List<Skip> refused) {
  /**
   * Checks that the plan is present and copies the lists.
   *
   * @param plan the plan that was applied
   * @param dryRun whether nothing was written
   * @param applied the transitions applied (or that would be, in a dry run)
   * @param refused the transitions not applied, each with the reason
   */
  public LifecycleReport {
    Objects.requireNonNull(plan, "plan");
    applied = List.copyOf(applied);
    refused = List.copyOf(refused);
  }
}
