package dev.imagegov.access;

import dev.imagegov.model.ImageId;
import java.util.List;
import java.util.Optional;

/**
 * Why a caller may or may not do an action on an image: the by-id visibility clause that
 * applied, each policy decision with its rule trace, and the state checks (deactivated,
 * protected, not shared) that ran, in the order imagegov applies them. {@link #outcome()} is what
 * the operation itself would answer.
 *
 * @param caller the caller whose access is explained
 * @param imageId the image
 * @param action the action
 * @param visibility the visibility clause that applied (or {@link VisibilityReason#INVISIBLE})
 * @param decisions the policy decisions evaluated, in order
 * @param stateCheck a refusal due to the image's state, if any
 * @param outcome the answer the operation would give
 */
public record AccessExplanation(
    Caller caller,
    ImageId imageId,
    Action action,
    VisibilityReason visibility,
    List<Decision> decisions,
    Optional<String> stateCheck,
    Outcome outcome) {

  /** What the operation would answer. */
  public enum Outcome {
    /** The action is allowed. */
    ALLOWED,
    /** The caller is told the image does not exist (404). */
    NOT_FOUND,
    /** The caller may see the image but may not do this (403). */
    FORBIDDEN
  }

  public AccessExplanation {
    decisions = List.copyOf(decisions);
  }

  /** Whether the action is allowed. */
  public boolean allowed() {
    return outcome == Outcome.ALLOWED;
  }

  /** A readable, multi-line account of the decision. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(action)
        .append(" of image ")
        .append(imageId)
        .append(" by ")
        .append(caller)
        .append(": ")
        .append(outcome)
        .append('\n');
    out.append("  visibility: ").append(visibility.description()).append('\n');
    for (Decision d : decisions) {
      for (String line : d.render().split("\n")) {
        out.append("  ").append(line).append('\n');
      }
    }
    stateCheck.ifPresent(s -> out.append("  state: ").append(s).append('\n'));
    return out.toString();
  }
}
