package dev.imagegov.error;

import org.jspecify.annotations.Nullable;

/** A refusal answered with HTTP 409 (the request conflicts with current state). */
public class ConflictException extends GovernanceException {
  private static final long serialVersionUID = 1L;

  ConflictException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(code, message, cause);
  }
}
