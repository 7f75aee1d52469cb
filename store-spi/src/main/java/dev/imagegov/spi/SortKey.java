package dev.imagegov.spi;

import org.immutables.value.Value;

/** One sort key of a list: a field and a direction. */
@Value.Immutable
public abstract class SortKey {
  /**
   * The field sorted on.
   *
   * @return the field sorted on
   */
  @Value.Parameter
  public abstract ImageField field();

  /**
   * Whether the direction is ascending.
   *
   * @return whether the direction is ascending
   */
  @Value.Parameter
  public abstract boolean ascending();

  /**
   * An ascending key.
   *
   * @param field the field to sort by, smallest first
   * @return an ascending key
   */
  public static SortKey asc(ImageField field) {
    return ImmutableSortKey.of(field, true);
  }

  /**
   * A descending key.
   *
   * @param field the field to sort by, largest first
   * @return a descending key
   */
  public static SortKey desc(ImageField field) {
    return ImmutableSortKey.of(field, false);
  }

  @Override
  public String toString() {
    return field().name().toLowerCase(java.util.Locale.ROOT) + ":" + (ascending() ? "asc" : "desc");
  }
}
