package dev.imagegov.store.memory;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * One listing index: the images of one selector (a visibility, an owner, a membership, a tag, a
 * property value) in one {@link Order}, with its size. The set holds each image's {@link Slot},
 * shared with the by-id map and the image's other indexes, so a key costs no object beyond the
 * skip-list node, a walk needs no lookup, and a write that moves the image in no index touches no
 * index. Writers are serialised by the catalog; readers may read concurrently.
 *
 * <p><b>Bulk loading.</b> Inside {@link #bulk}, {@link #add} only collects the slot; when the
 * body returns, each index that collected slots sorts them once and builds its skip list from the
 * sorted run in linear time ({@link ConcurrentSkipListMap#ConcurrentSkipListMap(SortedMap)}),
 * instead of one O(log n) insert of a random position per slot. Whatever indexes a caller's
 * {@code add} reaches are loaded this way, however they are keyed.
 */
final class Index {
  /** The indexes that collected slots in the bulk load running on this thread, if one runs. */
  private static final ThreadLocal<@Nullable List<Index>> LOADING = new ThreadLocal<>();
  /** Bulk runs at least this long are sorted on several threads. */
  private static final int PARALLEL_SORT = 1 << 16;

  private final Order order;
  private volatile ConcurrentSkipListMap<Object, Boolean> map;
  private volatile NavigableSet<Object> images;
  private volatile int size;
  /** The slots a bulk load collected, not yet in {@link #map}. */
  private @Nullable ArrayList<Object> pending;

  Index(Order order) {
    this.order = order;
    this.map = new ConcurrentSkipListMap<>(order);
    this.images = map.keySet();
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
    List<Index> loading = LOADING.get();
    if (loading != null) {
      if (pending == null) {
        pending = new ArrayList<>();
        loading.add(this);
      }
      pending.add(slot);
      return;
    }
    if (map.putIfAbsent(slot, Boolean.TRUE) == null) {
      size = size + 1;
    }
  }

  void remove(Slot slot) {
    if (map.remove(slot) != null) {
      size = size - 1;
    }
  }

  /**
   * Runs {@code body}, which adds slots to indexes (and may create them), then builds every index
   * it added to at once. Call with the catalog's write lock held, like any write, and with the
   * indexes the body reaches empty (a bulk load builds, it does not merge). The body adds
   * faster when it adds in each index's order (a sorted run sorts in linear time).
   *
   * @param body the adds to collect
   */
  static void bulk(Runnable body) {
    if (LOADING.get() != null) {
      throw new IllegalStateException("a bulk load is already running on this thread");
    }
    List<Index> loading = new ArrayList<>();
    LOADING.set(loading);
    try {
      body.run();
    } finally {
      LOADING.remove();
    }
    for (Index index : loading) {
      index.build();
    }
  }

  /** Sorts the collected slots, drops repeats and replaces the empty skip list by them. */
  private void build() {
    Object[] sorted = pending.toArray();
    pending = null;
    if (!map.isEmpty()) {
      throw new IllegalStateException("a bulk load builds empty indexes only");
    }
    if (sorted.length >= PARALLEL_SORT) {
      Arrays.parallelSort(sorted, order);
    } else {
      Arrays.sort(sorted, order);
    }
    int n = 0;
    for (Object slot : sorted) {
      if (n == 0 || order.compare(sorted[n - 1], slot) != 0) {
        sorted[n++] = slot;
      }
    }
    ConcurrentSkipListMap<Object, Boolean> built =
        new ConcurrentSkipListMap<>(new SortedRun(sorted, n, order));
    map = built;
    images = built.keySet();
    size = n;
  }

  /**
   * The first {@code length} elements of a sorted array as a sorted map to {@code true}: only
   * what {@link ConcurrentSkipListMap#ConcurrentSkipListMap(SortedMap)} reads (its comparator and
   * its entries in order).
   */
  private static final class SortedRun extends AbstractMap<Object, Boolean>
      implements SortedMap<Object, Boolean> {
    private final Object[] keys;
    private final int length;
    private final Comparator<Object> order;

    SortedRun(Object[] keys, int length, Comparator<Object> order) {
      this.keys = keys;
      this.length = length;
      this.order = order;
    }

    @Override
    public Comparator<Object> comparator() {
      return order;
    }

    @Override
    public Set<Map.Entry<Object, Boolean>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<Object, Boolean>> iterator() {
          return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
              return next < length;
            }

            @Override
            public Map.Entry<Object, Boolean> next() {
              if (next >= length) {
                throw new java.util.NoSuchElementException();
              }
              return new AbstractMap.SimpleImmutableEntry<>(keys[next++], Boolean.TRUE);
            }
          };
        }

        @Override
        public int size() {
          return length;
        }
      };
    }

    @Override
    public SortedMap<Object, Boolean> subMap(Object fromKey, Object toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<Object, Boolean> headMap(Object toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<Object, Boolean> tailMap(Object fromKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object firstKey() {
      return keys[0];
    }

    @Override
    public Object lastKey() {
      return keys[length - 1];
    }
  }
}
