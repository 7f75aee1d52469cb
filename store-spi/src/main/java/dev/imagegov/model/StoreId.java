package dev.imagegov.model;

/** The name of a blob store, as in Glance's {@code enabled_backends}. */
public final class StoreId extends TextId<StoreId> {
  private StoreId(String value) {
    super(value, "StoreId");
  }

  /**
   * Wraps a raw value.
   *
   * @param value the store's name as configured ({@code enabled_backends}); not blank
   * @return the id wrapping {@code value}
   * @throws dev.imagegov.error.GovernanceException {@code INVALID_VALUE} (400) if the value is empty
   * @throws NullPointerException if the value is null
   */
  public static StoreId of(String value) {
    return new StoreId(value);
  }
}
