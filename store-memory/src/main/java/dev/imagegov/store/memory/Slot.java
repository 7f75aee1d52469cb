package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import java.time.Instant;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The one place an image lives in a {@link MemoryCatalog}: the by-id map and every listing index
 * that holds the image hold this slot, which points at the image's latest version. A write that
 * changes nothing an index orders or selects by (a property, a checksum, an update time) swaps
 * the version in the slot and leaves every index as it is; any other write takes the slot out of
 * the indexes whose entry moves (a new sort value, a selector left), swaps the version, and puts
 * it into the indexes whose entry moved or that it joins ({@link ListingIndexes#replace}).
 *
 * <p>The slot also keeps a copy of the image's sort keys (creation time, id, name, size), so the
 * comparisons of an index walk or an index update read the slot alone, without a dependent load
 * of the image and its fields ({@link Order#compare}). A key changes only while the slot is out
 * of every index ordered by it: an index never sees its element move. Written only under the
 * catalog's write lock (before the slot is put into an index, which publishes the write); read
 * by any thread.
 */
final class Slot {
  private volatile Image image;
  private long createdSeconds;
  private int createdNanos;
  private String id;
  private @Nullable String name;
  private boolean sized;
  private long size;

  Slot(Image image) {
    set(image);
  }

  /** The image's latest version. */
  Image image() {
    return image;
  }

  /** Points the slot at a newer version of the same image (same id), and copies its sort keys. */
  void set(Image next) {
    Instant created = next.createdAt();
    createdSeconds = created.getEpochSecond();
    createdNanos = created.getNano();
    id = next.id().value();
    name = next.name().orElse(null);
    OptionalLong bytes = next.size(); // read once: each read of an absent-able field allocates
    sized = bytes.isPresent();
    size = sized ? bytes.getAsLong() : 0;
    image = next;
  }

  long createdSeconds() {
    return createdSeconds;
  }

  int createdNanos() {
    return createdNanos;
  }

  String id() {
    return id;
  }

  @Nullable String name() {
    return name;
  }

  /** Whether the image has a size. */
  boolean sized() {
    return sized;
  }

  /** The image's size, when {@link #sized}. */
  long size() {
    return size;
  }

  @Override
  public String toString() {
    return "slot(" + id + ")";
  }
}
