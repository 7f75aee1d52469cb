package dev.imagegov.lifecycle;

import dev.imagegov.model.ImageId;
import java.util.Objects;

/**
 * One lifecycle transition of one image: from which state to which, the rule that causes it and
 * why, in words.
 *
 * @param image the image that moves
 * @param from the state it must be in
 * @param to the state it moves to
 * @param rule the rule that causes the move ({@code keep-newest}, {@code obsolete-after}, {@code
 *     delete-after}, {@code schedule})
 * @param reason why, in words
 */
public record Transition(
    ImageId image, LifecycleState from, LifecycleState to, String rule, String reason) {
  /**
   * Checks that every component is present.
   *
   * @param image the version that moves
   * @param from its state before
   * @param to its state after
   * @param rule the rule that moves it
   * @param reason why, in words
   */
  public Transition {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(reason, "reason");
  }
}
