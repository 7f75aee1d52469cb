package dev.imagegov.store.memory;

import dev.imagegov.model.Image;

/**
 * The one place an image lives in a {@link MemoryCatalog}: the by-id map and every listing index
 * that holds the image hold this slot, which points at the image's latest version. A write that
 * changes nothing an index orders or selects by (a property, a checksum, an update time) swaps
 * the version in the slot and leaves every index as it is; any other write takes the slot out of
 * its indexes, swaps the version, and puts it back ({@link ListingIndexes#replace}). Written only
 * under the catalog's write lock; read by any thread.
 */
final class Slot {
  private volatile Image image;

  Slot(Image image) {
    this.image = image;
  }

  /** The image's latest version. */
  Image image() {
    return image;
  }

  /** Points the slot at a newer version of the same image (same id). */
  void set(Image next) {
    image = next;
  }

  @Override
  public String toString() {
    return "slot(" + image.id() + ")";
  }
}
