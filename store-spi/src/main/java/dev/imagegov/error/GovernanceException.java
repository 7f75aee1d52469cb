package dev.imagegov.error;


import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The root of every refusal imagegov answers: bad input, a policy denial, a missing or invisible
 * image, a conflict, an exceeded quota. Unchecked. Each carries a stable {@link ErrorCode} and
 * the HTTP status Glance would answer; the message says what was wrong and where.
 *
 * <p>An operation that throws this has changed nothing. Subclasses group codes by {@link
 * ErrorKind} so callers may catch, for example, every {@link NotFoundException}. Create
 * instances with {@link #of(ErrorCode, String)}, which picks the subclass.
 */
public class GovernanceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The stable code of the failure; it also fixes the HTTP status. */
  private final ErrorCode code;

  GovernanceException(ErrorCode code, String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * {@return an exception of the subclass matching {@code code}'s kind}
   *
   * @param code the stable error code, which also fixes the HTTP status
   * @param message what was wrong, for the caller to read
   */
  public static GovernanceException of(ErrorCode code, String message) {
    return of(code, message, null);
  }

  /**
   * {@return an exception of the subclass matching {@code code}'s kind, with a cause}
   *
   * @param code the stable error code, which also fixes the HTTP status
   * @param message what was wrong, for the caller to read
   * @param cause the underlying failure, or null
   */
  public static GovernanceException of(ErrorCode code, String message, @Nullable Throwable cause) {
    switch (code.kind()) {
      case BAD_REQUEST:
        return new BadRequestException(code, message, cause);
      case FORBIDDEN:
        return new ForbiddenException(code, message, cause);
      case NOT_FOUND:
        return new NotFoundException(code, message, cause);
      case CONFLICT:
        return new ConflictException(code, message, cause);
      case OVER_LIMIT:
        return new OverLimitException(code, message, cause);
      default:
        return new GovernanceException(code, message, cause);
    }
  }

  /** {@return the stable error code} */
  public ErrorCode code() {
    return code;
  }

  /** {@return the kind of refusal} */
  public ErrorKind kind() {
    return code.kind();
  }

  /** {@return the HTTP status Glance answers} */
  public int httpStatus() {
    return code.httpStatus();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + code + ", " + httpStatus() + "]: " + getMessage();
  }
}
