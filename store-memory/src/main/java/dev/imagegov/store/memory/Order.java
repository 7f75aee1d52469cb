package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import dev.imagegov.spi.ImageField;
import java.util.Comparator;
import java.util.function.IntBinaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The order of one family of listing indexes: {@code field desc, created_at desc, id desc} (the
 * keys after {@code id} dropped, since ids are unique), which is the effective sort of a query
 * sorted by {@code field} in Glance's default direction; its exact reverse is the same query in
 * ascending order. For {@link ImageField#CREATED_AT} it is the default list order. An absent
 * value sorts after every present value, as {@link dev.imagegov.spi.QueryEvaluator#ordering}
 * sorts it in descending order.
 *
 * <p>The comparator orders the {@link Slot}s an index holds (by the image each points at), bare
 * {@link Image}s, and {@link Probe}s, bounds that sit between images and never equal one, so a
 * range of a sorted set can start or end exactly before or after a value, or just after a given
 * image's position within a value.
 */
final class Order implements Comparator<Object> {
  /** The position of a probe relative to the images it ties with. */
  static final int BEFORE = -1;

  static final int AFTER = 1;

  /**
   * A bound in an index: {@code value} of the order's field, then, when {@code tie} is present,
   * that image's creation time and id, then {@code edge} ({@link #BEFORE} or {@link #AFTER}).
   * Without {@code tie} the probe lies before or after every image of {@code value}.
   */
  record Probe(@Nullable Comparable<?> value, @Nullable Image tie, int edge) {}

  private final ImageField field;
  /** Entries added to or removed from the indexes kept in this order; see {@link #writes}. */
  private long writes;

  Order(ImageField field) {
    this.field = field;
  }

  /** Counts one entry added to or removed from an index of this order; under the write lock. */
  void wrote() {
    writes++;
  }

  /**
   * How many entries were added to or removed from the indexes kept in this order, one by one
   * (a bulk load is not counted): what a write costs the indexes, for tests that check a write
   * touches only the entries it moves. Read it under the catalog's lock or from the writing
   * thread.
   */
  long writes() {
    return writes;
  }

  ImageField field() {
    return field;
  }

  /** The value of this order's field on {@code image}, or null when it has none. */
  @Nullable Comparable<?> value(Image image) {
    switch (field) {
      case CREATED_AT:
        return image.createdAt();
      case NAME:
        return image.name().orElse(null);
      case SIZE:
        return image.size().isPresent() ? image.size().getAsLong() : null;
      case UPDATED_AT:
        return image.updatedAt();
      case ID:
        return image.id().value();
      default:
        return field.valueOf(image).orElse(null);
    }
  }

  @Override
  public int compare(Object a, Object b) {
    if (a instanceof Slot && b instanceof Slot) {
      return a == b ? 0 : compareSlots((Slot) a, (Slot) b);
    }
    int c = descending(valueOf(a), valueOf(b));
    if (c != 0) {
      return c;
    }
    Image x = imageOf(a);
    Image y = imageOf(b);
    if (x == null || y == null) {
      // A probe without tie lies beyond every image of its value.
      return x == null ? (y == null ? edge(a) - edge(b) : edge(a)) : -edge(b);
    }
    if (field != ImageField.CREATED_AT && field != ImageField.ID) {
      c = y.createdAt().compareTo(x.createdAt());
      if (c != 0) {
        return c;
      }
    }
    if (field != ImageField.ID) {
      c = y.id().value().compareTo(x.id().value());
      if (c != 0) {
        return c;
      }
    }
    return edge(a) - edge(b);
  }

  /**
   * Two distinct slots in this order, from the sort keys they keep (no image is read): the same
   * answer the general path gives for their images, which it must stay equal to.
   */
  private int compareSlots(Slot x, Slot y) {
    if (field == ImageField.CREATED_AT) {
      return byCreation(x, y);
    }
    int c = compareValues(x, y);
    return c != 0 || field == ImageField.ID ? c : byCreation(x, y);
  }

  /**
   * Two distinct slots by this order's field alone, from the sort keys they keep: 0 when they tie
   * on it (always for {@link ImageField#CREATED_AT}, whose order is the default order itself). A
   * stable sort by this comparison of slots already in the default order puts them in this order,
   * since the default order is every other order's tie-break ({@link ImageField#ID}'s never
   * ties).
   */
  int compareValues(Slot x, Slot y) {
    switch (field) {
      case CREATED_AT:
        return 0;
      case ID:
        return y.id().compareTo(x.id());
      case NAME:
        return descending(x.name(), y.name());
      case SIZE:
        return x.sized() ? (y.sized() ? Long.compare(y.size(), x.size()) : -1) : (y.sized() ? 1 : 0);
      default:
        return descending(value(x.image()), value(y.image()));
    }
  }

  /**
   * {@link #compareValues} of the slots at two positions of {@code slots}, reading the field's
   * values from arrays copied out of the slots once ({@code name} and {@code size}), so a sort
   * of positions does not chase a slot per comparison.
   *
   * @param slots the slots compared, which must not change while the answer is used
   * @return a comparison of positions of {@code slots}
   */
  IntBinaryOperator valuesAt(Slot[] slots) {
    switch (field) {
      case NAME: {
        String[] names = new String[slots.length];
        for (int i = 0; i < slots.length; i++) {
          names[i] = slots[i].name();
        }
        return (i, j) -> descending(names[i], names[j]);
      }
      case SIZE: {
        long[] sizes = new long[slots.length];
        boolean[] sized = new boolean[slots.length];
        for (int i = 0; i < slots.length; i++) {
          sized[i] = slots[i].sized();
          sizes[i] = slots[i].size();
        }
        return (i, j) -> sized[i]
            ? (sized[j] ? Long.compare(sizes[j], sizes[i]) : -1)
            : (sized[j] ? 1 : 0);
      }
      default:
        return (i, j) -> compareValues(slots[i], slots[j]);
    }
  }

  /** {@code created_at desc, id desc} of two slots. */
  private static int byCreation(Slot x, Slot y) {
    int c = Long.compare(y.createdSeconds(), x.createdSeconds());
    if (c == 0) {
      c = Integer.compare(y.createdNanos(), x.createdNanos());
    }
    return c != 0 ? c : y.id().compareTo(x.id());
  }

  private @Nullable Comparable<?> valueOf(Object o) {
    if (o instanceof Probe) {
      return ((Probe) o).value();
    }
    Image image = imageOf(o);
    return image == null ? null : value(image);
  }

  /** The image a slot points at, an image itself, or a probe's tie (null when it has none). */
  private static @Nullable Image imageOf(Object o) {
    if (o instanceof Slot) {
      return ((Slot) o).image();
    }
    return o instanceof Image ? (Image) o : ((Probe) o).tie();
  }

  private static int edge(Object o) {
    return o instanceof Probe ? ((Probe) o).edge() : 0;
  }

  @SuppressWarnings("unchecked")
  private static int descending(@Nullable Comparable<?> x, @Nullable Comparable<?> y) {
    if (x == null) {
      return y == null ? 0 : 1;
    }
    if (y == null) {
      return -1;
    }
    return ((Comparable<Object>) y).compareTo(x);
  }

  /** The earlier of two bounds, either of which may be absent (unbounded). */
  @Nullable Object earlier(@Nullable Object a, @Nullable Object b) {
    return a == null ? b : b == null ? a : compare(a, b) <= 0 ? a : b;
  }

  /** The later of two bounds, either of which may be absent (unbounded). */
  @Nullable Object later(@Nullable Object a, @Nullable Object b) {
    return a == null ? b : b == null ? a : compare(a, b) >= 0 ? a : b;
  }

  @Override
  public String toString() {
    return "order(" + field + " desc)";
  }
}
