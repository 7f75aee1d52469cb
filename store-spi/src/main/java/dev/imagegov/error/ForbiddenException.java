package dev.imagegov.error;

import org.jspecify.annotations.Nullable;

/** A refusal answered with HTTP 403 (the caller may see the target but may not do this). */
public class ForbiddenException extends GovernanceException {
  private static final long serialVersionUID = 1L;

  ForbiddenException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(code, message, cause);
  }
}
