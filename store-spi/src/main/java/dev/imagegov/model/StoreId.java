package dev.imagegov.model;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import java.util.Objects;

/** The name of a blob store, as in Glance's {@code enabled_backends}. */
public final class StoreId implements Comparable<StoreId> {
  private final String value;

  private StoreId(String value) {
    this.value = value;
  }

  /**
   * Wraps a raw value.
   *
   * @throws GovernanceException {@link ErrorCode#INVALID_VALUE} (400) if the value is empty
   * @throws NullPointerException if the value is null
   */
  public static StoreId of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw GovernanceException.of(ErrorCode.INVALID_VALUE, "StoreId must not be empty.");
    }
    return new StoreId(value);
  }

  /** The raw value, exactly as given. */
  public String value() {
    return value;
  }

  @Override
  public int compareTo(StoreId other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreId && (((StoreId) o).value.equals(value));
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
