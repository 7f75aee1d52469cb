package dev.imagegov.error;

import org.jspecify.annotations.Nullable;

/** A refusal answered with HTTP 404 (no such thing, or the caller may not see it). */
public class NotFoundException extends GovernanceException {
  private static final long serialVersionUID = 1L;

  NotFoundException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(code, message, cause);
  }
}
