package dev.imagegov.store.memory;

import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * One listing index: the images of one selector (a visibility, an owner, a membership, a tag, a
 * property value) in one {@link Order}, with its size. The set holds each image's {@link Slot},
 * shared with the by-id map and the image's other indexes, so a key costs no object beyond the
 * skip-list node, a walk needs no lookup, and a write that moves the image in no index touches no
 * index. Writers are serialised by the catalog; readers may read concurrently.
 */
final class Index {
  private final NavigableSet<Object> images;
  private volatile int size;

  Index(Order order) {
    this.images = new ConcurrentSkipListSet<>(order);
  }

  /** The slots, in the order's sense; may also be searched with {@link Order.Probe}s. */
  NavigableSet<Object> images() {
    return images;
  }

  /** How many images it holds (exact, O(1)). */
  int size() {
    return size;
  }

  void add(Slot slot) {
    if (images.add(slot)) {
      size = size + 1;
    }
  }

  void remove(Slot slot) {
    if (images.remove(slot)) {
      size = size - 1;
    }
  }
}
