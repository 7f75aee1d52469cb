package dev.imagegov.model;

/** A user id, carried by a caller for auditing; no rule depends on it. */
public final class UserId extends TextId<UserId> {
  private UserId(String value) {
    super(value, "UserId");
  }

  /**
   * Wraps a raw value.
   *
   * @param value the user id as the identity service issues it; not blank
   * @return the id wrapping {@code value}
   * @throws dev.imagegov.error.GovernanceException {@code INVALID_VALUE} (400) if the value is empty
   * @throws NullPointerException if the value is null
   */
  public static UserId of(String value) {
    return new UserId(value);
  }
}
