package dev.imagegov.lifecycle;

import dev.imagegov.model.ProjectId;
import java.time.Instant;
import java.util.Objects;

/**
 * One use of an image that the application reports: a running instance or a volume of a project.
 *
 * @param project the project whose instance or volume uses the image
 * @param consumer the application's name for the instance or volume (an id)
 * @param since when the use began
 */
public record ImageUse(ProjectId project, String consumer, Instant since) {
  /**
   * Checks that every component is present.
   *
   * @param project the project the instance or volume belongs to
   * @param consumer the application's name for the instance or volume
   * @param since when the use began
   */
  public ImageUse {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(since, "since");
  }
}
