package dev.imagegov.lifecycle;

import dev.imagegov.model.ImageId;
import java.util.Objects;

/**
 * A transition a rule would cause but that is not planned or was not applied: the image is
 * protected, in use, or its state changed since the plan was made.
 *
 * @param image the image left alone
 * @param rule the rule that would have moved it
 * @param reason why it is left alone
 */
public record Skip(ImageId image, String rule, String reason) {
  /**
   * Checks that every component is present.
   *
   * @param image the version left alone
   * @param rule the rule that would have moved it
   * @param reason why it is left alone
   */
  public Skip {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
  }
}
