package dev.imagegov.store.memory;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A lazy merge of iterators that are each sorted by the same comparator, yielding every distinct
 * element once, in order. Sources share their elements by identity: when several of them hold one
 * (an image's {@link Slot} in both its owner's and the public index), it is the same object in
 * each, and all of them advance past it together. Each step costs k - 1 comparisons for k
 * sources, which are few; a single source is read as it is.
 */
final class MergingIterator<T> implements Iterator<T> {
  private final Iterator<T>[] sources;
  private final @Nullable Object[] heads;
  private final Comparator<? super T> order;

  @SuppressWarnings("unchecked")
  private MergingIterator(List<Iterator<T>> sources, Comparator<? super T> order) {
    this.sources = sources.toArray(new Iterator[0]);
    this.order = order;
    this.heads = new Object[this.sources.length];
    for (int i = 0; i < heads.length; i++) {
      advance(i);
    }
  }

  /**
   * The merge of {@code sources}, or the one source itself when there is only one.
   *
   * @param sources iterators each sorted by {@code order}, sharing equal elements by identity
   * @param order their common order
   */
  static <T> Iterator<T> of(List<Iterator<T>> sources, Comparator<? super T> order) {
    return sources.size() == 1 ? sources.get(0) : new MergingIterator<>(sources, order);
  }

  @Override
  public boolean hasNext() {
    for (Object head : heads) {
      if (head != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public T next() {
    @Nullable T min = null;
    for (int i = 0; i < heads.length; i++) {
      T head = head(i);
      if (head != null && (min == null || order.compare(head, min) < 0)) {
        min = head;
      }
    }
    if (min == null) {
      throw new NoSuchElementException();
    }
    for (int i = 0; i < heads.length; i++) {
      if (heads[i] == min) {
        advance(i);
      }
    }
    return min;
  }

  @SuppressWarnings("unchecked")
  private @Nullable T head(int i) {
    return (T) heads[i];
  }

  private void advance(int i) {
    Iterator<T> source = sources[i];
    heads[i] = source.hasNext() ? source.next() : null;
  }
}
