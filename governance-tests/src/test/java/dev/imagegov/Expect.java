package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that an operation is refused with one error code and its HTTP status. */
final class Expect {
  private Expect() {}

  static void fails(ErrorCode code, ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(GovernanceException.class)
        .satisfies(
            e -> {
              GovernanceException g = (GovernanceException) e;
              if (g.code() != code) {
                throw new AssertionError("expected " + code + " but got " + g, g);
              }
            });
  }

  static void notFound(ThrowingCallable call) {
    fails(StoreErrorCode.IMAGE_NOT_FOUND, call);
  }
}
