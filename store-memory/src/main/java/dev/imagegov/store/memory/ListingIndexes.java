package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.FilterOperator;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The listing indexes of a {@link MemoryCatalog}, and the choice of which of them answer a query.
 *
 * <p>Held indexes, each a concurrent sorted set of the latest version of listable images
 * (neither deleted nor killed, see {@link QueryEvaluator#isListable}):
 *
 * <ul>
 *   <li>one {@link IndexFamily} (by visibility, owner and membership) in the default list order
 *       ({@code created_at desc, id desc}), and one in the order of each configured sort field
 *       ({@code field desc, created_at desc, id desc});
 *   <li>by tag, and by value of each configured custom property, in the default order.
 * </ul>
 *
 * <p>{@link #plan} answers the {@link Segment}s a query is read from: ranges of indexes that are
 * each sorted in the query's order and whose union holds every row of the query (the catalog
 * merges them and re-checks each row with {@link QueryEvaluator#matches}, so a plan only decides
 * the cost, never the answer). Writers must be serialised by the catalog; readers may read
 * concurrently (the catalog validates what they read).
 */
final class ListingIndexes {
  private final IndexFamily byCreation = new IndexFamily(new Order(ImageField.CREATED_AT));
  private final Map<ImageField, IndexFamily> families = new EnumMap<>(ImageField.class);
  private final ConcurrentHashMap<String, Index> byTag = new ConcurrentHashMap<>();
  private final Set<String> indexedProperties;
  /** The families, as an array for the write path. */
  private final IndexFamily[] familyList;
  /** The indexed property names, as an array for the write path. */
  private final String[] propertyKeys;
  private final ConcurrentHashMap<PropertySlot, Index> byProperty = new ConcurrentHashMap<>();

  /** A custom property's value: the key of a property index. */
  private record PropertySlot(String key, String value) {}

  /**
   * An index range read in a query's order: {@code from} and {@code to} are probes (or absent for
   * an open end) in {@code family}'s order; {@code fixed} is the one value of the family's field
   * the range holds when it is an equality range.
   */
  record Segment(
      Index index,
      Order order,
      @Nullable Object from,
      @Nullable Object to,
      @Nullable Comparable<?> fixed) {}

  /**
   * How a query is read: its segments, each sorted by {@code order} (reversed if asked); {@code
   * sorted} tells whether that is the query's own order (else the catalog sorts the rows).
   */
  record Plan(List<Segment> segments, Order order, boolean reversed, boolean sorted) {}

  ListingIndexes(Set<ImageField> sortFields, Set<String> indexedProperties) {
    families.put(ImageField.CREATED_AT, byCreation);
    for (ImageField field : sortFields) {
      families.computeIfAbsent(field, f -> new IndexFamily(new Order(f)));
    }
    this.indexedProperties = Set.copyOf(indexedProperties);
    this.familyList = families.values().toArray(new IndexFamily[0]);
    this.propertyKeys = this.indexedProperties.toArray(new String[0]);
  }

  /** Indexes the new image {@code slot} points at. */
  void add(Slot slot) {
    if (!QueryEvaluator.isListable(slot.image())) {
      return;
    }
    for (IndexFamily family : familyList) {
      family.add(slot);
    }
    addTags(slot);
    addProperties(slot);
  }

  /**
   * Indexes every image of {@code slots} at once, into empty indexes: the listable slots are
   * sorted in the default order (in linear time when they already are, as a snapshot written in
   * it is), the indexes each belongs to are found once ({@link BulkLoad.Groups}), the positions
   * are sorted once per other kept order ({@link BulkLoad#sortedPositions}), and each family,
   * the tag and the property indexes are filled from their order's sorted run ({@link
   * IndexFamily#load}, {@link Index#loadSorted}). The work is spread on {@code threads} threads
   * at most.
   *
   * @param slots the new images' slots, in any order
   * @param threads how many threads may build families at once (1: only the calling thread)
   */
  void load(Slot[] slots, int threads) {
    int listable = 0;
    Slot[] listed = new Slot[slots.length];
    for (Slot slot : slots) {
      if (QueryEvaluator.isListable(slot.image())) {
        listed[listable++] = slot;
      }
    }
    Slot[] byDefault = Arrays.copyOf(listed, listable);
    Arrays.sort(byDefault, byCreation.order());
    // First the work every family shares, and each order's sort, side by side; then each family
    // distributes the slots into its indexes.
    List<IndexFamily> others = new ArrayList<>(families.values());
    others.remove(byCreation);
    int[][] positions = new int[others.size()][];
    BulkLoad.Groups[] groups = new BulkLoad.Groups[1];
    List<Runnable> shared = new ArrayList<>();
    for (int f = 0; f < others.size(); f++) {
      int family = f;
      shared.add(() ->
          positions[family] = BulkLoad.sortedPositions(byDefault, others.get(family).order()));
    }
    shared.add(() -> groups[0] = BulkLoad.Groups.of(byDefault));
    shared.add(() -> loadTagsAndProperties(byDefault));
    Parallel.run(shared, threads);
    List<Runnable> builds = new ArrayList<>();
    for (int f = 0; f < others.size(); f++) {
      int family = f;
      builds.add(() -> others.get(family).load(byDefault, positions[family], groups[0]));
    }
    builds.add(() -> byCreation.load(byDefault, null, groups[0]));
    Parallel.run(builds, threads);
  }

  /** Fills the empty tag and property indexes from the listable slots in the default order. */
  private void loadTagsAndProperties(Slot[] byDefault) {
    Map<String, List<Object>> tags = new HashMap<>();
    Map<PropertySlot, List<Object>> properties = new HashMap<>();
    for (Slot slot : byDefault) {
      Image image = slot.image();
      for (String tag : image.tags()) {
        tags.computeIfAbsent(tag, t -> new ArrayList<>()).add(slot);
      }
      if (!indexedProperties.isEmpty()) {
        for (Map.Entry<String, String> p : image.properties().entrySet()) {
          if (indexedProperties.contains(p.getKey())) {
            properties.computeIfAbsent(new PropertySlot(p.getKey(), p.getValue()),
                k -> new ArrayList<>()).add(slot);
          }
        }
      }
    }
    for (Map.Entry<String, List<Object>> e : tags.entrySet()) {
      byTag.put(e.getKey(), Index.loaded(byCreation.order(), e.getValue()));
    }
    for (Map.Entry<PropertySlot, List<Object>> e : properties.entrySet()) {
      byProperty.put(e.getKey(), Index.loaded(byCreation.order(), e.getValue()));
    }
  }

  /** Removes {@code slot} from every index that holds it, while it points at the indexed image. */
  void remove(Slot slot) {
    if (!QueryEvaluator.isListable(slot.image())) {
      return;
    }
    for (IndexFamily family : familyList) {
      family.remove(slot);
    }
    removeTags(slot);
    removeProperties(slot);
  }

  /**
   * Points {@code slot} at {@code replacement}, a newer version of its image, and keeps every
   * index right while touching only the entries the change moves: in each family, the entries of
   * every index when the family's sort value changes ({@code name} in the name family), else only
   * those of the visibility, owner and memberships that change; the tags added and removed; the
   * indexed properties whose value changes. An entry whose key and selector stay as they were is
   * left in place, so a write that moves the image in no index (a custom property, a checksum,
   * the update time while {@code updated_at} is not indexed) only swaps the slot's version. A
   * change of creation time (every index's tie-break) or of listability moves the image
   * everywhere.
   */
  void replace(Slot slot, Image replacement) {
    Image old = slot.image();
    boolean wasListed = QueryEvaluator.isListable(old);
    if (wasListed != QueryEvaluator.isListable(replacement)
        || wasListed && !old.createdAt().equals(replacement.createdAt())) {
      remove(slot);
      slot.set(replacement);
      add(slot);
      return;
    }
    if (!wasListed) {
      slot.set(replacement);
      return;
    }
    // Out of the entries that move while the slot still sorts as the old version, in again
    // once it sorts as the new one: an index never sees an element's key change under it.
    for (IndexFamily family : familyList) {
      family.leave(slot, old, replacement);
    }
    boolean tagsChange = !old.tags().equals(replacement.tags());
    if (tagsChange) {
      for (String tag : old.tags()) {
        if (!replacement.tags().contains(tag)) {
          IndexFamily.removeFrom(byTag, tag, slot);
        }
      }
    }
    if (propertyKeys.length != 0) {
      moveProperties(slot, old, replacement, true);
    }
    slot.set(replacement);
    for (IndexFamily family : familyList) {
      family.enter(slot, old, replacement);
    }
    if (tagsChange) {
      for (String tag : replacement.tags()) {
        if (!old.tags().contains(tag)) {
          addTag(tag, slot);
        }
      }
    }
    if (propertyKeys.length != 0) {
      moveProperties(slot, old, replacement, false);
    }
  }

  /**
   * For each indexed property whose value differs between {@code old} and {@code next}: takes
   * {@code slot} out of the old value's index ({@code leaving}), or puts it into the new value's.
   */
  private void moveProperties(Slot slot, Image old, Image next, boolean leaving) {
    for (String key : propertyKeys) {
      String was = old.properties().get(key);
      String now = next.properties().get(key);
      if (java.util.Objects.equals(was, now)) {
        continue;
      }
      if (leaving && was != null) {
        IndexFamily.removeFrom(byProperty, new PropertySlot(key, was), slot);
      } else if (!leaving && now != null) {
        addProperty(new PropertySlot(key, now), slot);
      }
    }
  }

  /**
   * How many entries were added to or removed from the indexes one by one since this catalog was
   * built (a bulk load is not counted): the probe of which entries a write moves.
   */
  long writes() {
    long writes = 0;
    for (IndexFamily family : familyList) {
      writes += family.order().writes();
    }
    return writes;
  }

  private void addTags(Slot slot) {
    for (String tag : slot.image().tags()) {
      addTag(tag, slot);
    }
  }

  private void addTag(String tag, Slot slot) {
    byTag.computeIfAbsent(tag, t -> new Index(byCreation.order())).add(slot);
  }

  private void addProperty(PropertySlot value, Slot slot) {
    byProperty.computeIfAbsent(value, s -> new Index(byCreation.order())).add(slot);
  }

  private void removeTags(Slot slot) {
    for (String tag : slot.image().tags()) {
      IndexFamily.removeFrom(byTag, tag, slot);
    }
  }

  private void addProperties(Slot slot) {
    if (indexedProperties.isEmpty()) {
      return;
    }
    for (Map.Entry<String, String> p : slot.image().properties().entrySet()) {
      if (indexedProperties.contains(p.getKey())) {
        addProperty(new PropertySlot(p.getKey(), p.getValue()), slot);
      }
    }
  }

  private void removeProperties(Slot slot) {
    if (indexedProperties.isEmpty()) {
      return;
    }
    for (Map.Entry<String, String> p : slot.image().properties().entrySet()) {
      if (indexedProperties.contains(p.getKey())) {
        IndexFamily.removeFrom(byProperty, new PropertySlot(p.getKey(), p.getValue()), slot);
      }
    }
  }

  /**
   * How to read {@code query}: in its own order when an index family has it (the default order,
   * its reverse, or {@code field} then {@code created_at} and {@code id} all in one direction for
   * a configured sort field), else in the default order, for the catalog to sort (then {@link
   * Plan#reversed} is false and the rows come in the default order).
   *
   * <p>Among the ways the query can be read, the cheapest is chosen: equality ({@code eq}, {@code
   * in}) ranges of an indexed field within the caller's selectors first (a range holds only
   * rows the query may list, so it can only beat the selectors it ranges); else the smallest of
   * the caller's selectors (cut to a range of the order's field when the query bounds it: a
   * {@code created_at} range in the default order, a {@code size} range when sorted by size), the
   * owner indexes a non-admin's {@code owner} filter names (in any kept order), the index of one
   * required tag, or that of one indexed custom property filter (in the default order). A
   * required tag or property value no image carries, or owners who own no listable image, answer
   * an empty plan.
   */
  Plan plan(CatalogQuery query) {
    @Nullable IndexFamily serving = servingFamily(query.effectiveSort());
    boolean reversed = serving != null && query.effectiveSort().get(0).ascending();
    IndexFamily family = serving != null ? serving : byCreation;
    Order order = family.order();

    List<Segment> best = ranged(family, query);
    long cost = cost(best, query, family.order().field());
    // An owner filter of a caller who does not see everything: the named owners' images, in
    // this family's order, when they are fewer than the rows of the caller's own selectors.
    Optional<List<Index>> owned = query.seesAll() ? Optional.empty() : family.ownersFiltered(query);
    if (owned.isPresent()) {
      List<Segment> segments = new ArrayList<>();
      long rows = 0;
      for (Index index : owned.get()) {
        segments.add(new Segment(index, order, null, null, null));
        rows += index.size();
      }
      if (segments.isEmpty()) {
        return new Plan(List.of(), order, reversed, serving != null);
      }
      if (rows < cost) {
        best = segments;
        cost = rows;
      }
    }
    if (family == byCreation) {
      for (FieldFilter filter : query.filters()) {
        IndexFamily other = families.get(filter.field());
        if (other == null || other == byCreation || !isEquality(filter)) {
          continue;
        }
        List<Segment> segments = new ArrayList<>();
        for (Index index : other.selectors(query)) {
          for (Object operand : filter.operands()) {
            segments.add(equalityRange(index, other.order(), (Comparable<?>) operand));
          }
        }
        if (segments.size() < cost) {
          best = segments;
          cost = segments.size();
        }
      }
      for (String tag : query.tags()) {
        Index index = byTag.get(tag);
        if (index == null) {
          return new Plan(List.of(), order, reversed, serving != null);
        }
        if (index.size() < cost) {
          best = List.of(new Segment(index, order, null, null, null));
          cost = index.size();
        }
      }
      for (Map.Entry<String, String> p : query.propertyFilters().entrySet()) {
        if (!indexedProperties.contains(p.getKey())) {
          continue;
        }
        Index index = byProperty.get(new PropertySlot(p.getKey(), p.getValue()));
        if (index == null) {
          return new Plan(List.of(), order, reversed, serving != null);
        }
        if (index.size() < cost) {
          best = List.of(new Segment(index, order, null, null, null));
          cost = index.size();
        }
      }
    }
    return new Plan(best, order, reversed, serving != null);
  }

  /**
   * The family whose order is {@code sort} or its exact reverse, if one is kept: {@code
   * [created_at, id]}, {@code [id]} or {@code [field, created_at, id]}, all in one direction (keys
   * after {@code id} change nothing, ids being unique).
   */
  private @Nullable IndexFamily servingFamily(List<SortKey> sort) {
    boolean ascending = sort.get(0).ascending();
    ImageField first = sort.get(0).field();
    int length = first == ImageField.ID ? 1 : first == ImageField.CREATED_AT ? 2 : 3;
    for (int i = 0; i < sort.size() && i < length; i++) {
      SortKey key = sort.get(i);
      ImageField expected =
          i == length - 1 ? ImageField.ID : i == length - 2 ? ImageField.CREATED_AT : first;
      if (key.ascending() != ascending || key.field() != expected) {
        return null;
      }
      if (expected == ImageField.ID) {
        return families.get(first);
      }
    }
    return null;
  }

  /**
   * The caller's selectors in {@code family}, each cut to the range the query's filters on the
   * family's field allow: one range per value of its first equality filter, within the bounds of
   * its comparisons.
   */
  private static List<Segment> ranged(IndexFamily family, CatalogQuery query) {
    Order order = family.order();
    ImageField field = order.field();
    @Nullable Object from = null;
    @Nullable Object to = null;
    @Nullable List<Object> values = null;
    for (FieldFilter filter : query.filters()) {
      if (filter.field() != field) {
        continue;
      }
      Comparable<?> operand = (Comparable<?>) filter.operands().get(0);
      switch (filter.operator()) {
        case EQ:
        case IN:
          if (values == null) {
            values = filter.operands();
          }
          break;
        // The order is descending: greater values come first.
        case GT:
          to = order.earlier(to, new Order.Probe(operand, null, Order.BEFORE));
          break;
        case GTE:
          to = order.earlier(to, new Order.Probe(operand, null, Order.AFTER));
          break;
        case LT:
          from = order.later(from, new Order.Probe(operand, null, Order.AFTER));
          break;
        case LTE:
          from = order.later(from, new Order.Probe(operand, null, Order.BEFORE));
          break;
        default:
          break;
      }
    }
    List<Segment> segments = new ArrayList<>();
    for (Index index : family.selectors(query)) {
      if (values == null) {
        segments.add(new Segment(index, order, from, to, null));
        continue;
      }
      for (Object value : values) {
        Segment eq = equalityRange(index, order, (Comparable<?>) value);
        segments.add(
            new Segment(
                index, order, order.later(from, eq.from()), order.earlier(to, eq.to()), null));
      }
    }
    return segments;
  }

  /** The estimated rows a read of {@code segments} examines, by their indexes' sizes. */
  private static long cost(List<Segment> segments, CatalogQuery query, ImageField field) {
    boolean equality = false;
    boolean bounded = false;
    for (FieldFilter filter : query.filters()) {
      if (filter.field() == field) {
        equality |= isEquality(filter);
        bounded = true;
      }
    }
    if (equality) {
      return segments.size();
    }
    long rows = 0;
    for (Segment segment : segments) {
      rows += segment.index().size();
    }
    return bounded ? rows / 2 : rows;
  }

  private static boolean isEquality(FieldFilter filter) {
    return filter.operator() == FilterOperator.EQ || filter.operator() == FilterOperator.IN;
  }

  private static Segment equalityRange(Index index, Order order, Comparable<?> value) {
    return new Segment(
        index,
        order,
        new Order.Probe(value, null, Order.BEFORE),
        new Order.Probe(value, null, Order.AFTER),
        value);
  }

  /**
   * The images of {@code segment} in the plan's order, strictly after {@code marker} in that
   * order when one is given. A segment of another order than the plan's is an equality range of
   * its field, where the plan's (default) order is the segment's own; the marker is then placed
   * within that value.
   */
  static Iterator<Object> read(Plan plan, Segment segment, @Nullable Image marker) {
    Order order = segment.order();
    @Nullable Object from = segment.from();
    @Nullable Object to = segment.to();
    if (marker != null) {
      Comparable<?> value = order == plan.order() ? order.value(marker) : segment.fixed();
      if (plan.reversed()) {
        to = order.earlier(to, new Order.Probe(value, marker, Order.BEFORE));
      } else {
        from = order.later(from, new Order.Probe(value, marker, Order.AFTER));
      }
    }
    NavigableSet<Object> images = segment.index().images();
    NavigableSet<Object> view;
    if (from != null && to != null) {
      if (order.compare(from, to) > 0) {
        return Collections.emptyIterator();
      }
      view = images.subSet(from, true, to, true);
    } else if (from != null) {
      view = images.tailSet(from, true);
    } else if (to != null) {
      view = images.headSet(to, true);
    } else {
      view = images;
    }
    return (plan.reversed() ? view.descendingSet() : view).iterator();
  }
}
