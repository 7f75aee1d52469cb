package dev.imagegov.store.memory;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A lazy merge of iterators that are each sorted by the same comparator, yielding every distinct
 * element once, in order. Elements that compare equal are the same element: when several sources
 * hold it (an image both owned and public), all of them advance past it together. Each step costs
 * O(k) for k sources, which are few.
 */
final class MergingIterator<T> implements Iterator<T> {
  private final List<Iterator<T>> sources;
  private final @Nullable Object[] heads;
  private final Comparator<? super T> order;

  MergingIterator(List<Iterator<T>> sources, Comparator<? super T> order) {
    this.sources = List.copyOf(sources);
    this.order = order;
    this.heads = new Object[this.sources.size()];
    for (int i = 0; i < heads.length; i++) {
      advance(i);
    }
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
      T head = head(i);
      if (head != null && order.compare(head, min) == 0) {
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
    Iterator<T> source = sources.get(i);
    heads[i] = source.hasNext() ? source.next() : null;
  }
}
