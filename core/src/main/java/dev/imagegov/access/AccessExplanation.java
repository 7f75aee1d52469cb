package dev.imagegov.access;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.ErrorKind;
import dev.imagegov.model.ImageId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Why a caller may or may not do an action on an image: every step of the action's check
 * pipeline that ran, in order (what was checked, the policy decisions with their traces,
 * pass/fail), the by-id visibility clause that applied, and the answer the operation itself gives
 * for the same request: {@link #outcome()}, {@link #status()} and {@link #errorCode()}.
 *
 * @param caller the caller whose access is explained
 * @param imageId the image
 * @param action the action
 * @param args the request arguments the checks used (see {@link ActionArgs} for the defaults)
 * @param visibility the visibility clause that applied (or {@link VisibilityReason#INVISIBLE})
 * @param steps the checks that ran, in order; the last one failed unless the action is allowed
 * @param status the HTTP status the operation answers: 200 when allowed, else the refusal's
 * @param errorCode the refusal's error code; empty when allowed
 * @param refusal the refusal's message; empty when allowed
 */
public record AccessExplanation(
    Caller caller,
    ImageId imageId,
    Action action,
    ActionArgs args,
    VisibilityReason visibility,
    List<CheckStep> steps,
    int status,
    Optional<ErrorCode> errorCode,
    Optional<String> refusal) {

  /** What the operation would answer, by HTTP status. */
  public enum Outcome {
    /** The action is allowed (the operation succeeds). */
    ALLOWED,
    /** The caller is told the image (or the membership) does not exist (404). */
    NOT_FOUND,
    /** The caller may see the image but may not do this (403). */
    FORBIDDEN,
    /** A request value is malformed (400). */
    BAD_REQUEST,
    /** The request conflicts with the image's state, e.g. an existing member (409). */
    CONFLICT,
    /** A quota would be exceeded (413). */
    OVER_QUOTA;

    static Outcome of(Optional<ErrorCode> code) {
      if (code.isEmpty()) {
        return ALLOWED;
      }
      ErrorKind kind = code.get().kind();
      switch (kind.httpStatus()) {
        case 404:
          return NOT_FOUND;
        case 403:
          return FORBIDDEN;
        case 400:
          return BAD_REQUEST;
        case 409:
          return CONFLICT;
        case 413:
          return OVER_QUOTA;
        default:
          throw new AssertionError("no check refuses with " + code.get());
      }
    }
  }

  /**
   * Refuses null components and copies the steps.
   *
   * @param caller the caller whose access is explained
   * @param imageId the image
   * @param action the action
   * @param args the request arguments the checks used (see {@link ActionArgs} for the defaults)
   * @param visibility the visibility clause that applied (or {@link VisibilityReason#INVISIBLE})
   * @param steps the checks that ran, in order; the last one failed unless the action is allowed
   * @param status the HTTP status the operation answers: 200 when allowed, else the refusal's
   * @param errorCode the refusal's error code; empty when allowed
   * @param refusal the refusal's message; empty when allowed
   */
  public AccessExplanation {
    steps = List.copyOf(steps);
  }

  /** {@return what the operation would answer} */
  public Outcome outcome() {
    return Outcome.of(errorCode);
  }

  /** {@return whether the action is allowed} */
  public boolean allowed() {
    return errorCode.isEmpty();
  }

  /** {@return the policy decisions evaluated by the steps, in order} */
  public List<Decision> decisions() {
    List<Decision> out = new ArrayList<>();
    for (CheckStep step : steps) {
      out.addAll(step.decisions());
    }
    return List.copyOf(out);
  }

  /**
   * {@return the failing state check's refusal (deactivated, protected, not shared, status), if
   * any}
   */
  public Optional<String> stateCheck() {
    return steps.stream()
        .filter(s -> !s.passed() && s.kind() == CheckKind.STATE)
        .map(CheckStep::detail)
        .findFirst();
  }

  /** {@return a readable, multi-line account of the decision} */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(action)
        .append(" of image ")
        .append(imageId)
        .append(" by ")
        .append(caller)
        .append(": ")
        .append(outcome())
        .append(" (")
        .append(status);
    errorCode.ifPresent(c -> out.append(' ').append(c));
    out.append(")\n");
    out.append("  visibility: ").append(visibility.description()).append('\n');
    for (CheckStep step : steps) {
      out.append("  ")
          .append(step.passed() ? "pass " : "FAIL ")
          .append(step.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append(": ")
          .append(step.check());
      if (!step.detail().isEmpty()) {
        out.append(" (").append(step.detail()).append(')');
      }
      out.append('\n');
      for (Decision d : step.decisions()) {
        for (String line : d.render().split("\n")) {
          out.append("    ").append(line).append('\n');
        }
      }
    }
    return out.toString();
  }
}
