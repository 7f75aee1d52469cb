package dev.imagegov.model;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.util.Objects;

/**
 * The shared shape of the text-valued ids ({@link ProjectId}, {@link UserId}, {@link StoreId}):
 * a non-empty string, kept exactly as given, equal only to an id of the same type with the same
 * text, ordered by text.
 */
abstract class TextId<T extends TextId<T>> implements Comparable<T> {
  private final String value;

  TextId(String value, String typeName) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw GovernanceException.of(StoreErrorCode.INVALID_VALUE, typeName + " must not be empty.");
    }
    this.value = value;
  }

  /** {@return the raw value, exactly as given} */
  public final String value() {
    return value;
  }

  @Override
  public final int compareTo(T other) {
    return value.compareTo(other.value());
  }

  @Override
  public final boolean equals(Object o) {
    return o == this
        || o != null && o.getClass() == getClass() && ((TextId<?>) o).value.equals(value);
  }

  @Override
  public final int hashCode() {
    return value.hashCode();
  }

  @Override
  public final String toString() {
    return value;
  }
}
