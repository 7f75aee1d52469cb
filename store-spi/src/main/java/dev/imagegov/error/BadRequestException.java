package dev.imagegov.error;

import org.jspecify.annotations.Nullable;

/** A refusal answered with HTTP 400 (malformed input, a value out of range). */
public class BadRequestException extends GovernanceException {
  private static final long serialVersionUID = 1L;

  BadRequestException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(code, message, cause);
  }
}
