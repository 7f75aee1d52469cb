package dev.imagegov.report;

import java.util.Objects;

/**
 * A finding a cleanup left alone, and why: its image is protected or in use, it changed since
 * the plan, or a rule refused the step.
 *
 * @param finding the finding left alone
 * @param reason why, in words
 */
public record CleanupSkip(Finding finding, String reason) {
  /**
   * Checks that every component is present.
   *
   * @param finding the finding left alone
   * @param reason why, in words
   */
  public CleanupSkip {
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(reason, "reason");
  }
}
