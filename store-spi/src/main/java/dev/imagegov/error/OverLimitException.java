package dev.imagegov.error;

import org.jspecify.annotations.Nullable;

/** A refusal answered with HTTP 413 (a quota or limit would be exceeded). */
public class OverLimitException extends GovernanceException {
  private static final long serialVersionUID = 1L;

  OverLimitException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(code, message, cause);
  }
}
