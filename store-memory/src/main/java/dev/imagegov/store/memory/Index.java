package dev.imagegov.store.memory;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One listing index: the images of one selector (a visibility, an owner, a membership, a tag, a
 * property value) in one {@link Order}, with its size. The set holds each image's {@link Slot},
 * shared with the by-id map and the image's other indexes, so a key costs no object beyond the
 * skip-list node, a walk needs no lookup, and a write that moves the image in no index touches no
 * index. Writers are serialised by the catalog; readers may read concurrently.
 *
 * <p><b>Bulk loading.</b> {@link #load} replaces the empty skip list by one built in linear time
 * from a run already in the index's order ({@link ConcurrentSkipListMap#ConcurrentSkipListMap(
 * SortedMap)}), instead of one O(log n) insert of a random position per slot: the catalog sorts
 * its images once per order and hands each index its share of the sorted run.
 */
final class Index {
  private final Order order;
  private volatile ConcurrentSkipListMap<Object, Boolean> map;
  private volatile NavigableSet<Object> images;
  private volatile int size;

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
    if (map.putIfAbsent(slot, Boolean.TRUE) == null) {
      size = size + 1;
      order.wrote();
    }
  }

  void remove(Slot slot) {
    if (map.remove(slot) != null) {
      size = size - 1;
      order.wrote();
    }
  }

  /**
   * {@return a new index of {@code order} holding {@code sorted}, built as {@link #load} does}
   *
   * @param order the index's order
   * @param sorted slots in that order, strictly
   */
  static Index loaded(Order order, List<Object> sorted) {
    Index index = new Index(order);
    index.load(sorted);
    return index;
  }

  /**
   * Fills this empty index with {@code sorted}, as {@link #load(Object[], int)} does.
   *
   * @param sorted slots in this index's order, strictly
   */
  void load(List<Object> sorted) {
    load(sorted.toArray(), sorted.size());
  }

  /**
   * Fills this empty index with the first {@code length} slots of {@code sorted}, which are in
   * this index's order (strictly: no slot twice), in time linear in {@code length}. Call with the
   * catalog's write lock held, like any write, before the index is shared.
   *
   * @param sorted slots in this index's order
   * @param length how many of them
   * @throws IllegalStateException if the index is not empty or the run is not strictly sorted
   */
  void load(Object[] sorted, int length) {
    if (!map.isEmpty()) {
      throw new IllegalStateException("a bulk load builds empty indexes only");
    }
    for (int i = 1; i < length; i++) {
      if (order.compare(sorted[i - 1], sorted[i]) >= 0) {
        throw new IllegalStateException("a bulk load needs its slots strictly in the index's order");
      }
    }
    loadSorted(sorted, length);
  }

  /**
   * {@link #load(Object[], int)} without checking the order: for a bulk load whose runs are
   * sorted by construction (each a subsequence of one sorted run of distinct slots).
   *
   * @param sorted slots in this index's order, strictly
   * @param length how many of them
   * @throws IllegalStateException if the index is not empty
   */
  void loadSorted(Object[] sorted, int length) {
    if (!map.isEmpty()) {
      throw new IllegalStateException("a bulk load builds empty indexes only");
    }
    ConcurrentSkipListMap<Object, Boolean> built =
        new ConcurrentSkipListMap<>(new SortedRun(sorted, length, order));
    map = built;
    images = built.keySet();
    size = length;
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
