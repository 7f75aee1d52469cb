package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One listing index: the images of one selector (a visibility, an owner, a membership, a tag, a
 * property value) in one {@link Order}, with its size. The set holds the images themselves (the
 * latest version of each), so a key costs no object beyond the skip-list node, and a walk needs
 * no lookup. Writers are serialised by the catalog; readers may read concurrently.
 */
final class Index {
  private final NavigableSet<Object> images;
  private volatile int size;

  Index(Order order) {
    this.images = new ConcurrentSkipListSet<>(order);
  }

  /** The images, in the order's sense; may also be searched with {@link Order.Probe}s. */
  NavigableSet<Object> images() {
    return images;
  }

  /** How many images it holds (exact, O(1)). */
  int size() {
    return size;
  }

  void add(Image image) {
    if (images.add(image)) {
      size = size + 1;
    }
  }

  void remove(Image image) {
    if (images.remove(image)) {
      size = size - 1;
    }
  }
}
