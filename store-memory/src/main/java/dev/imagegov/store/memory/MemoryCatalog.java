package dev.imagegov.store.memory;

import static com.google.common.base.Preconditions.checkArgument;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CatalogRefusals;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Collection;
import java.util.Collections;
import org.jspecify.annotations.Nullable;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An in-memory {@link Catalog}: fast, indexed and safe for concurrent use, the embedded default
 * store. It keeps every guarantee of the {@link Catalog} contract: reads return the latest
 * committed image, inserts refuse known ids (live or tombstoned) with {@link
 * StoreErrorCode#DUPLICATE_IMAGE_ID}, compare-and-set and delete succeed only on the expected version
 * (exactly one of several racing updates wins; the others are answered {@link
 * CompareAndSetResult.Stale} and change nothing), and queries answer exactly what {@link
 * QueryEvaluator#evaluate} answers over the live images. Every method is linearizable.
 *
 * <p><b>Concurrency.</b> Writes ({@link #insert}, {@link #compareAndSet}, {@link #delete}) are
 * serialised by one lock and update the image and the listing indexes together. Reads take no
 * lock in the common case: {@link #find} is one read of a concurrent map; the others read
 * concurrent structures under an
 * optimistic stamp and are retried under a shared read lock only if a write overlapped them, so a
 * reader never sees half of a change. {@link #forEach} is a weakly consistent scan.
 *
 * <p><b>Indexes.</b> Listable images (neither deleted nor killed) are kept in concurrent sorted
 * sets that hold each image's slot (one object per image, pointing at its latest version, shared
 * by all its indexes, so a write that moves the image in no index only swaps the version in the
 * slot): by visibility, by owner, and by (member project, member
 * status) while the image is shared, once in the default list order ({@code created_at desc, id
 * desc}) and once in the order of each configured sort field ({@code field desc, created_at desc,
 * id desc}; {@code name} and {@code size} by default, see {@link Builder#sortIndexes}); by tag and
 * by value of each configured custom property ({@link Builder#propertyIndexes}) in the default
 * order. A query is read from a plan: ranges of the indexes that hold its rows (public,
 * community, the caller's own and its memberships for a non-admin; one visibility or one owner
 * when the query allows; all visibilities for an admin), each already sorted in the query's
 * order, merged, each row re-checked with {@link QueryEvaluator#matches}, so the answer is always
 * the evaluator's.
 *
 * <p><b>Complexity</b>, for n live images and p index entries of the image concerned (per kept
 * order: one for its visibility, one for its owner, one per membership while shared; plus one
 * per tag and per indexed property):
 *
 * <ul>
 *   <li>{@link #find}, {@link #tombstone}, {@link #isKnown}, {@link #size}: O(1);
 *   <li>{@link #insert}, {@link #delete}, {@link #compareAndSet}: O(p log n);
 *   <li>{@link #query} costs O(k log n + r) for k segments (a handful: the caller's selectors,
 *       times the values of an {@code in} filter) and r rows examined, whenever the query's
 *       order is kept: the default order, a configured sort field alone (Glance then adds {@code
 *       created_at} and {@code id}), or {@code id}, each in either direction (a walk in ascending
 *       order costs O(log n) per row instead of O(1)). The walk starts right after the marker
 *       (placed in O(log n), also inside an equality range) and stops at the page limit, so a
 *       first or deep page costs O(page + log n) when the segments hold only rows of the query:
 *       an equality ({@code eq}, {@code in}) filter on a kept field ({@code name=X}) is read as
 *       that value's range of the caller's selectors; a {@code created_at} range in the default
 *       order, or a range of the sort field, as a range; a tag, or an indexed property value, from
 *       its own index when that is smaller than the caller's selectors, and so is a non-admin's
 *       {@code owner} filter from the named owners' indexes. Filters read from no index (other
 *       fields, tags, properties or owners when a smaller index was chosen) add the rows they
 *       reject: their cost is the page
 *       divided by the share of the segments' rows that pass, which does not grow with n for a
 *       fixed mix of data;
 *   <li>{@link #query} in an order no index keeps (several sort keys, mixed directions, an
 *       unconfigured sort field): O(c log page) for the c rows of the cheapest plan, all filtered
 *       and the best {@code limit} kept;
 *   <li>{@link #forEach}: O(n);
 *   <li>a bulk load ({@link #loader}) of n images: O(n) to store them, then one sort per kept
 *       order (linear when the images come in it already) and a linear build of every index from
 *       its share of the sorted run, the orders built on the available processors, instead of
 *       n·p inserts at O(log n).
 * </ul>
 *
 * <p>Memory per image: the {@link Image} itself, a map entry, its slot (about 40 bytes, with a
 * copy of the sort keys so comparisons read no image), and one skip-list node (about 32 bytes)
 * per index entry; no key objects.
 */
public final class MemoryCatalog implements Catalog {
  private final StampedLock lock = new StampedLock();
  /** Every live image by id, through the slot its listing indexes share ({@link Slot}). */
  private final ConcurrentHashMap<ImageId, Slot> live = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ImageId, Tombstone> tombstones = new ConcurrentHashMap<>();
  private final ListingIndexes indexes;
  private volatile long liveCount;
  /** The bulk load under way, if any; read and written with the write lock held. */
  private @Nullable Loader loading;

  /**
   * An empty catalog with the default indexes: the sort fields {@link #DEFAULT_SORT_INDEXES}, no
   * custom property.
   */
  public MemoryCatalog() {
    this(builder());
  }

  private MemoryCatalog(Builder b) {
    this.indexes = new ListingIndexes(b.sortIndexes, b.propertyIndexes);
  }

  /** The sort fields indexed unless configured otherwise: {@code name} and {@code size}. */
  public static final Set<ImageField> DEFAULT_SORT_INDEXES =
      Set.of(ImageField.NAME, ImageField.SIZE);

  /**
   * Every sort key Glance offers besides {@code created_at} (always indexed): {@code name},
   * {@code status}, {@code container_format}, {@code disk_format}, {@code size}, {@code id} and
   * {@code updated_at}. Given to {@link Builder#sortIndexes}, every {@code sort_key} a Glance
   * client may send, alone, costs O(page + log n), at seven indexed orders in all.
   */
  public static final Set<ImageField> GLANCE_SORT_INDEXES =
      Set.of(
          ImageField.NAME,
          ImageField.STATUS,
          ImageField.CONTAINER_FORMAT,
          ImageField.DISK_FORMAT,
          ImageField.SIZE,
          ImageField.ID,
          ImageField.UPDATED_AT);

  /** {@return a builder of a catalog with chosen indexes} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Chooses what a {@link MemoryCatalog} indexes beyond what it always indexes (the default
   * order, {@code created_at} ranges, tags). Each indexed sort field costs one skip-list entry per
   * listable image, one per owned image and one per membership of a shared image; each indexed
   * custom property one entry per image carrying it. Not thread-safe.
   */
  public static final class Builder {
    private Set<ImageField> sortIndexes = DEFAULT_SORT_INDEXES;
    private Set<String> propertyIndexes = Set.of();

    private Builder() {}

    /**
     * The fields (besides {@code created_at}, always indexed) whose order is kept for every
     * caller's visibility: a query sorted by one of them alone (then {@code created_at} and
     * {@code id}, as Glance completes a sort), in either direction, or filtered on one of them by
     * equality ({@code eq}, {@code in}) or, when sorted by it, by a range, costs O(page + log n).
     * Replaces the default, {@link #DEFAULT_SORT_INDEXES}; {@link #GLANCE_SORT_INDEXES} keeps
     * every Glance sort key, and {@code owner} makes a consumer's {@code owner=P} a range of its
     * selectors.
     *
     * @param fields the sort keys to index
     * @return this builder
     */
    public Builder sortIndexes(Collection<ImageField> fields) {
      this.sortIndexes = Set.copyOf(fields);
      return this;
    }

    /**
     * The custom properties whose values are indexed: a filter {@code key=value} on one of them
     * is read from the images carrying that value. None by default.
     *
     * @param keys the property names whose values are indexed
     * @return this builder
     */
    public Builder propertyIndexes(Collection<String> keys) {
      this.propertyIndexes = Set.copyOf(keys);
      return this;
    }

    /** {@return an empty catalog with these indexes} */
    public MemoryCatalog build() {
      return new MemoryCatalog(this);
    }
  }

  @Override
  public Optional<Image> find(ImageId id) {
    Objects.requireNonNull(id, "id");
    // One read of one concurrent map is atomic on its own: no stamp is needed to see a
    // committed image (writes replace the map's entry in one step, under the write lock).
    Slot slot = live.get(id);
    return slot == null ? Optional.empty() : Optional.of(slot.image());
  }

  @Override
  public Optional<Tombstone> tombstone(ImageId id) {
    Objects.requireNonNull(id, "id");
    return read(() -> Optional.ofNullable(tombstones.get(id)));
  }

  @Override
  public List<ImageId> pendingDeletes() {
    return read(() -> tombstones.values().stream()
        .filter(t -> t.status() == ImageStatus.PENDING_DELETE)
        .map(Tombstone::id)
        .toList());
  }

  @Override
  public boolean isKnown(ImageId id) {
    Objects.requireNonNull(id, "id");
    return read(() -> live.containsKey(id) || tombstones.containsKey(id));
  }

  @Override
  public Image insert(Image image) {
    Objects.requireNonNull(image, "image");
    checkArgument(
        !image.status().isDeleted(), "cannot insert an image with status %s", image.status());
    long stamp = lock.writeLock();
    try {
      ImageId id = image.id();
      if (live.containsKey(id) || tombstones.containsKey(id)) {
        throw CatalogRefusals.duplicateId(id);
      }
      Image stored = image.withVersion(1);
      addLive(stored);
      return stored;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public CompareAndSetResult compareAndSet(long expectedVersion, Image replacement) {
    Objects.requireNonNull(replacement, "replacement");
    checkArgument(
        !replacement.status().isDeleted(),
        "cannot store an image with status %s; use delete",
        replacement.status());
    long stamp = lock.writeLock();
    try {
      Slot slot = live.get(replacement.id());
      CompareAndSetResult refusal = CatalogRefusals.refusal(
          replacement.id(), slot == null ? null : slot.image(), expectedVersion);
      if (refusal != null) {
        return refusal;
      }
      Image stored = replacement.withVersion(expectedVersion + 1);
      if (loadingUnfinished()) {
        slot.set(stored); // indexed by the load's finish, in its latest version
      } else {
        indexes.replace(slot, stored);
      }
      return new CompareAndSetResult.Stored(stored);
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public Tombstone delete(ImageId id, long expectedVersion, ImageStatus finalStatus, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(finalStatus, "finalStatus");
    Objects.requireNonNull(at, "at");
    checkArgument(
        finalStatus.isDeleted(),
        "a deleted image's status must be deleted or pending_delete, not %s",
        finalStatus);
    long stamp = lock.writeLock();
    try {
      Image current = current(id, expectedVersion);
      Tombstone tombstone = finalStatus == ImageStatus.PENDING_DELETE
          ? Tombstone.pending(current, at)
          : Tombstone.of(id, current.owner(), finalStatus, at);
      tombstones.put(id, tombstone);
      Slot removed = live.remove(id);
      Loader load = loading;
      if (load != null && !load.finished) {
        load.removed = true; // the load's finish skips the slot
      } else {
        indexes.remove(removed);
      }
      liveCount = liveCount - 1;
      return tombstone;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  @Override
  public Image undelete(ImageId id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    long stamp = lock.writeLock();
    try {
      Image restored = restored(id, at);
      tombstones.remove(id);
      addLive(restored);
      return restored;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * The image {@link #undelete} would store for {@code id} at {@code at}, checked as the contract
   * says (for a durable store that persists it first); nothing changes.
   *
   * @param id the image's id
   * @param at when the restore happens
   * @return the image as a restore stores it: the kept image, a version on, updated at {@code at}
   * @throws GovernanceException as {@link #undelete}
   */
  public Image restorable(ImageId id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    return read(() -> restored(id, at));
  }

  /** {@link #restorable}, unlocked: call under a lock. */
  private Image restored(ImageId id, Instant at) {
    Image kept = pending(id, true).retained().orElseThrow();
    return kept.toBuilder().updatedAt(at).build().withVersion(kept.version() + 1);
  }

  /**
   * Checks that {@link #finishDeletion} of {@code id} would succeed, as the contract says (for a
   * durable store that persists it first); nothing changes.
   *
   * @param id the image's id
   * @return the tombstone a finished deletion leaves
   * @throws GovernanceException as {@link #finishDeletion}
   */
  public Tombstone finishable(ImageId id) {
    Objects.requireNonNull(id, "id");
    return read(() -> finished(id));
  }

  /** {@link #finishable}, unlocked: call under a lock. */
  private Tombstone finished(ImageId id) {
    return pending(id, false).finished();
  }

  /**
   * The pending-delete tombstone of {@code id}, or the contract's refusal of a restore ({@code
   * restore}) or a finished deletion; call under a lock.
   */
  private Tombstone pending(ImageId id, boolean restore) {
    Slot slot = live.get(id);
    Tombstone t = tombstones.get(id);
    GovernanceException refusal =
        CatalogRefusals.notRestorable(id, slot == null ? null : slot.image(), t, restore);
    if (refusal != null) {
      throw refusal;
    }
    return t;
  }

  @Override
  public Tombstone finishDeletion(ImageId id) {
    Objects.requireNonNull(id, "id");
    long stamp = lock.writeLock();
    try {
      Tombstone finished = finished(id);
      tombstones.put(id, finished);
      return finished;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * Stores {@code image} exactly as given, at its own version: for a durable store rebuilding
   * this catalog as its working state from what it persisted. Unlike {@link #insert}, the version
   * is kept (it must be at least 1).
   *
   * @param image the image as stored
   * @return the stored image
   * @throws GovernanceException {@link StoreErrorCode#DUPLICATE_IMAGE_ID} if the id is known
   */
  public Image restore(Image image) {
    checkRestorable(image);
    long stamp = lock.writeLock();
    try {
      ImageId id = image.id();
      if (live.containsKey(id) || tombstones.containsKey(id)) {
        throw CatalogRefusals.duplicateId(id);
      }
      addLive(image);
      return image;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * Records the tombstone of an image deleted before this catalog was built: for a durable store
   * rebuilding its working state.
   *
   * @param tombstone the deleted image's tombstone, as persisted
   * @return the stored tombstone
   * @throws GovernanceException {@link StoreErrorCode#DUPLICATE_IMAGE_ID} if the id is known
   */
  public Tombstone restore(Tombstone tombstone) {
    Objects.requireNonNull(tombstone, "tombstone");
    long stamp = lock.writeLock();
    try {
      ImageId id = tombstone.id();
      if (live.containsKey(id) || tombstones.containsKey(id)) {
        throw CatalogRefusals.duplicateId(id);
      }
      tombstones.put(id, tombstone);
      return tombstone;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * Starts a bulk load of this catalog, which must be empty: for a durable store rebuilding its
   * working state from a snapshot, faster than a {@link #restore} per image (which pays an
   * O(p log n) index insert under the lock each). {@link Loader#add(Image)} and {@link
   * Loader#add(Tombstone)} check and store each entry as {@code restore} does, without indexing
   * it; {@link Loader#finish} then builds every listing index once from the whole batch (sorted
   * once per kept order, then each index built in linear time, on the available processors).
   * Until {@code finish} the catalog finds the images added but does not list them, so it must
   * not be shared before. Writes to the catalog meanwhile ({@link #restore}, {@link #insert},
   * {@link #compareAndSet}, {@link #delete}, {@link #undelete}: a durable store replaying its
   * journal after its snapshot) check and store as usual, but leave their indexing to {@code
   * finish} too, which indexes the latest version of every live image. One bulk load at a time.
   *
   * @return the loader of this catalog
   * @throws IllegalStateException if the catalog holds an image or a tombstone, or another bulk
   *     load of it is not finished (nothing changed)
   */
  public Loader loader() {
    long stamp = lock.writeLock();
    try {
      if (!live.isEmpty() || !tombstones.isEmpty()) {
        throw new IllegalStateException("a bulk load fills an empty catalog only");
      }
      if (loading != null && !loading.finished) {
        throw new IllegalStateException("another bulk load of this catalog is not finished");
      }
      loading = new Loader();
      return loading;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /**
   * A bulk load of an empty {@link MemoryCatalog}, see {@link MemoryCatalog#loader}. Not
   * thread-safe: one thread adds and finishes. Each call takes the catalog's write lock, so other
   * threads may read the catalog meanwhile (they find what was added, but a list shows it only
   * once the load is finished). A refused call changes nothing: neither the catalog nor the batch.
   * Once finished the loader accepts nothing more. Null arguments throw {@link
   * NullPointerException}.
   */
  public final class Loader {
    private final List<Slot> slots = new ArrayList<>();
    /** Whether a slot of {@link #slots} was deleted meanwhile (then no longer live). */
    private boolean removed;
    private boolean finished;

    private Loader() {}

    /**
     * Stores {@code image} at its own version, unindexed until {@link #finish}.
     *
     * @param image the image as persisted: a live status, a version of at least 1
     * @return the stored image
     * @throws GovernanceException {@link StoreErrorCode#DUPLICATE_IMAGE_ID} if the id is known
     *     (added before, as an image or a tombstone)
     * @throws IllegalArgumentException as {@link MemoryCatalog#restore(Image)}: a deleted status,
     *     or a version below 1
     * @throws IllegalStateException if the load is finished
     */
    public Image add(Image image) {
      open();
      checkRestorable(image);
      long stamp = lock.writeLock();
      try {
        Slot slot = new Slot(image);
        if (tombstones.containsKey(image.id()) || live.putIfAbsent(image.id(), slot) != null) {
          throw CatalogRefusals.duplicateId(image.id());
        }
        slots.add(slot);
        liveCount = liveCount + 1;
        return image;
      } finally {
        lock.unlockWrite(stamp);
      }
    }

    /**
     * Records the tombstone of an image deleted before the catalog was built.
     *
     * @param tombstone the deleted image's tombstone, as persisted
     * @return the stored tombstone
     * @throws GovernanceException {@link StoreErrorCode#DUPLICATE_IMAGE_ID} if the id is known
     *     (added before, as an image or a tombstone)
     * @throws IllegalStateException if the load is finished
     */
    public Tombstone add(Tombstone tombstone) {
      open();
      return restore(tombstone);
    }

    /**
     * Builds every listing index from the images added; the catalog is then complete, and lists
     * every image added.
     *
     * @throws IllegalStateException if the load is finished already
     */
    public void finish() {
      long stamp = lock.writeLock();
      try {
        open();
        finished = true;
        Slot[] added = slots.toArray(new Slot[0]);
        if (removed) {
          int kept = 0;
          for (Slot slot : added) {
            if (live.get(slot.image().id()) == slot) {
              added[kept++] = slot;
            }
          }
          added = java.util.Arrays.copyOf(added, kept);
        }
        indexes.load(added, Runtime.getRuntime().availableProcessors());
        slots.clear();
      } finally {
        lock.unlockWrite(stamp);
      }
    }

    private void open() {
      if (finished) {
        throw new IllegalStateException("the bulk load is finished");
      }
    }
  }

  private static void checkRestorable(Image image) {
    Objects.requireNonNull(image, "image");
    checkArgument(
        !image.status().isDeleted(), "cannot restore an image with status %s", image.status());
    checkArgument(image.version() >= 1, "a restored image's version must be at least 1");
  }

  /** Makes {@code image} live in a slot of its own, indexed; call with the write lock held. */
  private void addLive(Image image) {
    Slot slot = new Slot(image);
    live.put(image.id(), slot);
    Loader load = loading;
    if (load != null && !load.finished) {
      load.slots.add(slot); // indexed by the load's finish
    } else {
      indexes.add(slot);
    }
    liveCount = liveCount + 1;
  }

  /** Whether a bulk load is under way: writes then leave the indexing to its finish. */
  private boolean loadingUnfinished() {
    return loading != null && !loading.finished;
  }

  /** The live image {@code id} at {@code expectedVersion}; call with the write lock held. */
  private Image current(ImageId id, long expectedVersion) {
    Slot slot = live.get(id);
    return CatalogRefusals.atVersion(id, slot == null ? null : slot.image(), expectedVersion);
  }

  @Override
  public List<Image> query(CatalogQuery query) {
    Objects.requireNonNull(query, "query");
    return read(() -> answer(query, null));
  }

  /**
   * How many index rows the answer to {@code query} examines (rows read from the plan's
   * segments, whether they match or not): the load-independent cost of a query, for tests that
   * bound its growth with the catalog's size.
   */
  long examined(CatalogQuery query) {
    Objects.requireNonNull(query, "query");
    return read(() -> {
      long[] rows = new long[1];
      answer(query, rows);
      return rows[0];
    });
  }

  /**
   * How many listing-index entries were added or removed one by one since this catalog was built
   * (a bulk load is not counted): the load-independent cost of writes, for tests that check a
   * write moves only the entries whose key or selector changed.
   */
  long indexWrites() {
    long stamp = lock.readLock();
    try {
      return indexes.writes();
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** The answer to {@code query}, adding the rows it examines to {@code rows[0]} if given. */
  private List<Image> answer(CatalogQuery query, long @Nullable [] rows) {
    Optional<Image> marker =
        QueryEvaluator.resolveMarker(query, this::find);
    if (query.limit() == 0) {
      return List.of();
    }
    ListingIndexes.Plan plan = indexes.plan(query);
    if (plan.segments().isEmpty()) {
      return List.of();
    }
    if (plan.sorted()) {
      return walk(query, plan, marker.orElse(null), rows);
    }
    return sortAndPage(query, plan, marker, rows);
  }

  /**
   * A page in the plan's order, which is the query's: merges the plan's segments from just after
   * the marker and keeps matching rows until the page is full.
   */
  private List<Image> walk(CatalogQuery query, ListingIndexes.Plan plan, @Nullable Image marker,
      long @Nullable [] rows) {
    List<Iterator<Object>> sources = new ArrayList<>(plan.segments().size());
    for (ListingIndexes.Segment segment : plan.segments()) {
      sources.add(ListingIndexes.read(plan, segment, marker));
    }
    Comparator<Object> order = plan.reversed() ? plan.order().reversed() : plan.order();
    Iterator<Object> merged = MergingIterator.of(sources, order);
    List<Image> page = new ArrayList<>(Math.min(query.limit(), 64));
    int limit = query.limit();
    long examined = 0;
    while (page.size() < limit && merged.hasNext()) {
      Image image = ((Slot) merged.next()).image();
      examined++;
      if (QueryEvaluator.matches(query, image)) {
        page.add(image);
      }
    }
    if (rows != null) {
      rows[0] += examined;
    }
    return Collections.unmodifiableList(page);
  }

  /**
   * A page in an order no index keeps: filters every row of the plan (read in the default
   * order), keeping the best {@code limit} rows after the marker in a bounded heap.
   */
  private List<Image> sortAndPage(
      CatalogQuery query, ListingIndexes.Plan plan, Optional<Image> marker,
      long @Nullable [] rows) {
    Comparator<Image> order = QueryEvaluator.ordering(query);
    PriorityQueue<Image> best = new PriorityQueue<>(order.reversed());
    List<Iterator<Object>> sources = new ArrayList<>(plan.segments().size());
    for (ListingIndexes.Segment segment : plan.segments()) {
      sources.add(ListingIndexes.read(plan, segment, null));
    }
    Iterator<Object> merged = MergingIterator.of(sources, plan.order());
    long examined = 0;
    while (merged.hasNext()) {
      Image image = ((Slot) merged.next()).image();
      examined++;
      if (!QueryEvaluator.matches(query, image)
          || (marker.isPresent() && order.compare(image, marker.get()) <= 0)) {
        continue;
      }
      if (best.size() < query.limit()) {
        best.add(image);
      } else if (order.compare(image, best.peek()) < 0) {
        best.poll();
        best.add(image);
      }
    }
    if (rows != null) {
      rows[0] += examined;
    }
    List<Image> page = new ArrayList<>(best);
    page.sort(order);
    return List.copyOf(page);
  }

  @Override
  public long size() {
    return read(() -> liveCount);
  }

  @Override
  public void forEach(Consumer<Image> action) {
    Objects.requireNonNull(action, "action");
    live.values().forEach(slot -> action.accept(slot.image()));
  }

  /**
   * Runs a read without locking if no write overlaps it, else again under the read lock. An
   * optimistic attempt may observe a write half done (and so compute a wrong answer or fail);
   * that attempt is then discarded because its stamp no longer validates.
   */
  private <T> T read(Supplier<T> body) {
    long stamp = lock.tryOptimisticRead();
    if (stamp != 0) {
      try {
        T result = body.get();
        if (lock.validate(stamp)) {
          return result;
        }
      } catch (RuntimeException e) {
        if (lock.validate(stamp)) {
          throw e;
        }
      }
    }
    stamp = lock.readLock();
    try {
      return body.get();
    } finally {
      lock.unlockRead(stamp);
    }
  }
}
