package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import java.time.Instant;
import java.util.Comparator;

/**
 * The position of an image in the listing indexes: its creation time and id, the two fields of
 * the default list order. Keys reuse the image's own {@code Instant} and {@link ImageId}, so a key
 * costs one small object per image however many indexes hold it.
 */
record IndexKey(Instant createdAt, ImageId id) {
  /**
   * The default list order, {@code created_at desc, id desc}: the order of {@link
   * dev.imagegov.spi.QueryEvaluator#ordering} for a query without sort keys. The first key of a
   * set is the first row of a list.
   */
  static final Comparator<IndexKey> LISTING_ORDER =
      (a, b) -> {
        int c = b.createdAt.compareTo(a.createdAt);
        return c != 0 ? c : b.id.compareTo(a.id);
      };

  /** The key of {@code image}. */
  static IndexKey of(Image image) {
    return new IndexKey(image.createdAt(), image.id());
  }
}
