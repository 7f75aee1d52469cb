package dev.imagegov.report;

import java.util.Objects;

/**
 * One step of a {@link CleanupPlan}: what to do ({@link #step}) about which finding, and, for an
 * image, the version the plan saw (a changed image is left alone when the plan is applied).
 *
 * @param step what is done to the finding's subject
 * @param finding the finding acted on
 * @param version the image's version when planned; 0 for stored data, which has none
 */
public record CleanupAction(CleanupStep step, Finding finding, long version) {
  /**
   * Checks that every component is present and that the step does something.
   *
   * @param step what is done to the finding's subject
   * @param finding the finding acted on
   * @param version the image's version when planned; 0 for stored data
   */
  public CleanupAction {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(finding, "finding");
    if (step == CleanupStep.NONE) {
      throw new IllegalArgumentException("a cleanup action must do something");
    }
  }
}
