package dev.imagegov.testkit.assertions;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on how a governance call ended: refused with an {@link ErrorCode} ({@link
 * #failsWith}), or succeeded ({@link #succeeds}). The call runs once, when the assertion is made;
 * the actual value is what it threw ({@code null} if it returned). An AssertJ assertion: {@code
 * as}, {@code describedAs} and {@code withFailMessage} apply to its failures.
 */
public final class GovernanceFailureAssert
    extends AbstractAssert<GovernanceFailureAssert, @Nullable Throwable> {
  private final @Nullable Throwable thrown;

  private GovernanceFailureAssert(@Nullable Throwable thrown) {
    super(thrown, GovernanceFailureAssert.class);
    this.thrown = thrown;
  }

  /** The failure, with this assertion's description, caused by what the call threw. */
  private AssertionError fail(String message, @Nullable Throwable cause) {
    AssertionError e = failure(message.replace("%", "%%"));
    if (cause != null && e.getCause() == null) {
      e.initCause(cause);
    }
    return e;
  }

  static GovernanceFailureAssert running(ThrowingCallable call) {
    try {
      call.call();
      return new GovernanceFailureAssert(null);
    } catch (Throwable t) {
      return new GovernanceFailureAssert(t);
    }
  }

  /**
   * {@return the call was refused with a {@link GovernanceException} of {@code code}}
   *
   * @param code the stable error code, which also fixes the HTTP status
   */
  public GovernanceFailureAssert failsWith(ErrorCode code) {
    if (thrown == null) {
      throw fail(
          "Expected the call to be refused with "
              + code
              + " ("
              + code.kind()
              + "), but it succeeded",
          null);
    }
    if (!(thrown instanceof GovernanceException)) {
      throw fail(
          "Expected the call to be refused with "
              + code
              + ", but it threw "
              + thrown
              + " (every refusal must be a GovernanceException)",
          thrown);
    }
    GovernanceException e = (GovernanceException) thrown;
    if (e.code() != code) {
      throw fail(
          "Expected the call to be refused with "
              + code
              + ", but it was refused with "
              + CallerAssert.describe(e),
          e);
    }
    return this;
  }

  /**
   * The refusal's message contains {@code text}.
   *
   * @param text the text the message must contain
   * @return this assertion, for chaining
   */
  public GovernanceFailureAssert withMessageContaining(String text) {
    if (thrown == null || thrown.getMessage() == null || !thrown.getMessage().contains(text)) {
      throw fail(
          "Expected a refusal whose message contains \""
              + text
              + "\", but "
              + (thrown == null ? "the call succeeded" : "the message is: " + thrown.getMessage()),
          thrown);
    }
    return this;
  }

  /**
   * The call succeeded.
   *
   * @return this assertion, for chaining
   */
  public GovernanceFailureAssert succeeds() {
    if (thrown != null) {
      throw fail(
          "Expected the call to succeed, but it was refused with "
              + (thrown instanceof GovernanceException
                  ? CallerAssert.describe((GovernanceException) thrown)
                  : thrown.toString()),
          thrown);
    }
    return this;
  }
}
