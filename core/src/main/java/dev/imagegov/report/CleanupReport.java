package dev.imagegov.report;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link Reports#apply}: which of the plan's actions were performed (or, in a dry
 * run, would be), and which were refused, with the reason. Immutable.
 *
 * @param plan the plan applied
 * @param dryRun whether nothing was written
 * @param applied the actions performed (or that would be), in the plan's order
 * @param refused the actions not performed, each with the reason
 */
public record CleanupReport(
    CleanupPlan plan, boolean dryRun, List<CleanupAction> applied, List<CleanupSkip> refused) {
  /**
   * Checks that the plan is present and copies the lists.
   *
   * @param plan the plan applied
   * @param dryRun whether nothing was written
   * @param applied the actions performed (or that would be)
   * @param refused the actions not performed, each with the reason
   */
  public CleanupReport {
    Objects.requireNonNull(plan, "plan");
    applied = List.copyOf(applied);
    refused = List.copyOf(refused);
  }
}
