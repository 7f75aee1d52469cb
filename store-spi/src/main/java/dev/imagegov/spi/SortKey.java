package dev.imagegov.spi;

import org.immutables.value.Value;

/** One sort key of a list: a field and a direction. */
@Value.Immutable
public abstract class SortKey {
  /** {@return the field sorted on} */
  @Value.Parameter
  public abstract ImageField field();

  /** {@return whether the direction is ascending} */
  @Value.Parameter
  public abstract boolean ascending();

  /**
   * {@return an ascending key}
   *
   * @param field the field to sort by, smallest first
   */
  public static SortKey asc(ImageField field) {
    return ImmutableSortKey.of(field, true);
  }

  /**
   * {@return a descending key}
   *
   * @param field the field to sort by, largest first
   */
  public static SortKey desc(ImageField field) {
    return ImmutableSortKey.of(field, false);
  }

  @Override
  public String toString() {
    return field().name().toLowerCase(java.util.Locale.ROOT) + ":" + (ascending() ? "asc" : "desc");
  }
}
