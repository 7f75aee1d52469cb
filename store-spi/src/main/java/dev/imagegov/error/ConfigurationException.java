package dev.imagegov.error;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A configuration that cannot be used: a malformed {@code glance-api.conf}, {@code policy.yaml},
 * property-protections file or {@code schema-image.json}, an option out of range, a store that
 * cannot be opened as configured. Raised while a governance or a store is configured or built,
 * never by an operation on a caller's request, so it carries no error code and no HTTP status
 * (unlike {@link GovernanceException}): it is the operator's to fix, not a client's. The message
 * names what is wrong and where: the file, line, section and option, and the offending value.
 * Unchecked.
 */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A configuration error.
   *
   * @param message what is wrong and where (file, line, section, option, value)
   */
  public ConfigurationException(String message) {
    this(message, null);
  }

  /**
   * A configuration error with its cause, such as the I/O error that kept a file from being read.
   *
   * @param message what is wrong and where (file, line, section, option, value)
   * @param cause the underlying failure, or null
   */
  public ConfigurationException(String message, @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
  }
}
