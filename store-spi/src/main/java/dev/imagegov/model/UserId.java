package dev.imagegov.model;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import java.util.Objects;

/** A user id, carried by a caller for auditing; no rule depends on it. */
public final class UserId implements Comparable<UserId> {
  private final String value;

  private UserId(String value) {
    this.value = value;
  }

  /**
   * Wraps a raw value.
   *
   * @throws GovernanceException {@link ErrorCode#INVALID_VALUE} (400) if the value is empty
   * @throws NullPointerException if the value is null
   */
  public static UserId of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw GovernanceException.of(ErrorCode.INVALID_VALUE, "UserId must not be empty.");
    }
    return new UserId(value);
  }

  /** The raw value, exactly as given. */
  public String value() {
    return value;
  }

  @Override
  public int compareTo(UserId other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserId && (((UserId) o).value.equals(value));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
