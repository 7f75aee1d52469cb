package dev.imagegov.store.file;

import static com.google.common.base.Preconditions.checkArgument;

import com.google.common.util.concurrent.Striped;
import com.google.common.util.concurrent.Uninterruptibles;
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
import dev.imagegov.spi.codec.ImageCodec;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A durable, crash-safe {@link Catalog} in a directory of the local file system, for a
 * single-node deployment. It never loses an acknowledged change and never shows a half-written
 * one: every change is appended to a write-ahead journal as a CRC32C-checksummed record and
 * forced to disk before the call returns, and only then applied to the working state, a {@link
 * MemoryCatalog} that answers every read. So compare-and-set, tombstones (ids are never reused,
 * also across restarts) and queries behave exactly as on the memory store, and
 * reads cost what they cost there.
 *
 * <p><b>Writes.</b> Changes to one image are serialised (validate, append and force, apply);
 * changes to different images proceed together, and concurrent writers share one {@code fsync}
 * (group commit). A change that is refused ({@link StoreErrorCode#DUPLICATE_IMAGE_ID}; a stale or missing
 * image, answered as a {@link CompareAndSetResult} refusal by compare-and-set and with {@link
 * StoreErrorCode#STALE_VERSION} or {@link StoreErrorCode#IMAGE_NOT_FOUND} by delete) or fails (an I/O error ({@link
 * StoreErrorCode#CATALOG_UNAVAILABLE}), has changed neither the disk nor the working state. After an
 * I/O error the catalog accepts no more changes until it is reopened.
 *
 * <p><b>Snapshots.</b> Every {@link FileCatalogOptions#snapshotInterval()} records the journal
 * moves to a new segment and the state is written, in the background, to a snapshot (a
 * temporary file, forced, atomically renamed, the directory forced); older segments are then
 * deleted. Writers pause only while the state's references are copied.
 *
 * <p><b>Opening</b> replays the newest snapshot and the journal after it. The unsynced tail of a
 * crash (bytes after the last commit the journal proves was synced, so never acknowledged) is
 * cut, kept in a quarantine file and reported by {@link #recovery()} and in the log; any other
 * damage makes opening fail
 * with {@link StoreErrorCode#CATALOG_CORRUPT} naming the file and byte offset, unless {@link
 * FileCatalogOptions#repair()} asks to quarantine the damage and keep the rest. Files of another
 * format version are refused with {@link StoreErrorCode#CATALOG_FORMAT_UNSUPPORTED}. One catalog at a
 * time may hold a directory: a second opener, in this or another process, fails at once with
 * {@link StoreErrorCode#CATALOG_LOCKED} naming the holder. {@link #close()} releases it; a closed
 * catalog answers every call with {@link StoreErrorCode#CATALOG_UNAVAILABLE}.
 *
 * <p>The on-disk format is described in the module's README.
 */
public final class FileCatalog implements Catalog, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(FileCatalog.class.getName());

  private final Path dir;
  private final FileCatalogOptions options;
  private final DirectoryLock lock;
  private final MemoryCatalog memory;
  private final ConcurrentHashMap<ImageId, Tombstone> tombstones;
  private final Journal journal;
  /** Writers hold it shared for a whole change; a snapshot holds it exclusively to cut. */
  private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
  private final Striped<Lock> imageLocks = Striped.lock(1024);
  private final AtomicLong sinceSnapshot;
  private final AtomicBoolean snapshotScheduled = new AtomicBoolean();
  private final ExecutorService snapshotter;
  private final FileCatalogRecovery recovery;
  private volatile boolean closed;

  private FileCatalog(
      Path dir,
      FileCatalogOptions options,
      DirectoryLock lock,
      MemoryCatalog memory,
      ConcurrentHashMap<ImageId, Tombstone> tombstones,
      Journal journal,
      long sinceSnapshot,
      FileCatalogRecovery recovery) {
    this.dir = dir;
    this.recovery = recovery;
    this.options = options;
    this.lock = lock;
    this.memory = memory;
    this.tombstones = tombstones;
    this.journal = journal;
    this.sinceSnapshot = new AtomicLong(sinceSnapshot);
    this.snapshotter =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "imagegov-snapshot " + dir);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens (creating if needed) the catalog in {@code dir} with the default options.
   *
   * @param dir the directory that holds the files
   * @return the recovered catalog, holding its directory's lock until closed
   */
  public static FileCatalog open(Path dir) {
    return open(dir, FileCatalogOptions.defaults());
  }

  /**
   * Opens (creating if needed) the catalog in {@code dir}.
   *
   * @param dir the directory that holds the files
   * @param options the sync, snapshot and repair settings
   * @return the recovered catalog, holding its directory's lock until closed
   * @throws GovernanceException {@link StoreErrorCode#CATALOG_LOCKED} if another catalog holds the
   *     directory; {@link StoreErrorCode#CATALOG_CORRUPT} if its files are damaged (and repair is
   *     off); {@link StoreErrorCode#CATALOG_FORMAT_UNSUPPORTED} if they are of another format version;
   *     {@link StoreErrorCode#CATALOG_UNAVAILABLE} if they cannot be read or written
   */
  public static FileCatalog open(Path dir, FileCatalogOptions options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    DirectoryLock lock;
    try {
      Files.createDirectories(dir);
      lock = DirectoryLock.acquire(dir, options.clock().instant(), DirectoryLock.Holder.CATALOG);
    } catch (IOException e) {
      throw unavailable("could not open the catalog directory " + dir, e);
    }
    try {
      MemoryCatalog memory = new MemoryCatalog();
      ConcurrentHashMap<ImageId, Tombstone> tombstones = new ConcurrentHashMap<>();
      Recovery.Result recovered =
          new Recovery(dir, options.repair(), memory, tombstones).run();
      Journal journal =
          recovered.resumeSegment().isPresent()
              ? Journal.resume(dir, options.fsync(), recovered.resumeSegment().get(),
                  recovered.resumeEnd(), recovered.nextLsn())
              : Journal.create(dir, options.fsync(), recovered.newSegment(),
                  recovered.nextLsn());
      FileCatalog catalog =
          new FileCatalog(dir, options, lock, memory, tombstones, journal,
              recovered.recordsSinceSnapshot(), recovered.report());
      if (!recovered.report().repairs().isEmpty()) {
        // Replace the damaged files by a snapshot of what was kept.
        try {
          catalog.snapshot();
        } catch (IOException | RuntimeException e) {
          catalog.close();
          throw e;
        }
      }
      return catalog;
    } catch (IOException e) {
      closeQuietly(lock);
      throw unavailable("could not open the catalog in " + dir, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(lock);
      throw e;
    }
  }

  private static void closeQuietly(DirectoryLock lock) {
    try {
      lock.close();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Could not release the catalog lock", e);
    }
  }

  private static GovernanceException unavailable(String what, IOException e) {
    return GovernanceException.of(StoreErrorCode.CATALOG_UNAVAILABLE, what + ": " + e, e);
  }

  // reads: the working state

  @Override
  public Optional<Image> find(ImageId id) {
    ensureOpen();
    return memory.find(id);
  }

  @Override
  public Optional<Tombstone> tombstone(ImageId id) {
    ensureOpen();
    return memory.tombstone(id);
  }

  @Override
  public boolean isKnown(ImageId id) {
    ensureOpen();
    return memory.isKnown(id);
  }

  @Override
  public List<Image> query(CatalogQuery query) {
    ensureOpen();
    return memory.query(query);
  }

  @Override
  public long size() {
    ensureOpen();
    return memory.size();
  }

  @Override
  public void forEach(Consumer<Image> action) {
    ensureOpen();
    memory.forEach(action);
  }

  // writes: validate, make durable, apply

  @Override
  public Image insert(Image image) {
    Objects.requireNonNull(image, "image");
    checkArgument(
        !image.status().isDeleted(), "cannot insert an image with status %s", image.status());
    return change(
        image.id(),
        () -> {
          ImageId id = image.id();
          if (memory.isKnown(id)) {
            throw CatalogRefusals.duplicateId(id);
          }
          Image stored = image.withVersion(1);
          durable(Format.RECORD_INSERT, ImageCodec.encode(stored));
          return memory.insert(stored);
        });
  }

  @Override
  public CompareAndSetResult compareAndSet(long expectedVersion, Image replacement) {
    Objects.requireNonNull(replacement, "replacement");
    checkArgument(
        !replacement.status().isDeleted(),
        "cannot store an image with status %s; use delete",
        replacement.status());
    return change(
        replacement.id(),
        () -> {
          CompareAndSetResult refusal =
              CatalogRefusals.refusal(
                  replacement.id(), memory.find(replacement.id()).orElse(null), expectedVersion);
          if (refusal != null) {
            return refusal;
          }
          Image stored = replacement.withVersion(expectedVersion + 1);
          durable(Format.RECORD_UPDATE, ImageCodec.encode(stored));
          return memory.compareAndSet(expectedVersion, stored);
        });
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
    return change(
        id,
        () -> {
          Image current = current(id, expectedVersion);
          Tombstone tombstone = Tombstone.of(id, current.owner(), finalStatus, at);
          durable(Format.RECORD_DELETE, ImageCodec.encode(tombstone, expectedVersion));
          Tombstone stored = memory.delete(id, expectedVersion, finalStatus, at);
          tombstones.put(id, stored);
          return stored;
        });
  }

  @Override
  public Image undelete(ImageId id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    return change(
        id,
        () -> {
          Image restored = memory.restorable(id, at);
          durable(Format.RECORD_UNDELETE, ImageCodec.encode(restored));
          Image stored = memory.undelete(id, at);
          tombstones.remove(id);
          return stored;
        });
  }

  @Override
  public List<ImageId> pendingDeletes() {
    ensureOpen();
    return memory.pendingDeletes();
  }

  @Override
  public Tombstone finishDeletion(ImageId id) {
    Objects.requireNonNull(id, "id");
    return change(
        id,
        () -> {
          Tombstone finished = memory.finishable(id);
          durable(Format.RECORD_FINISH_DELETION, ImageCodec.encode(finished, 0));
          Tombstone stored = memory.finishDeletion(id);
          tombstones.put(id, stored);
          return stored;
        });
  }

  /** Runs one change of image {@code id}: shared gate, exclusive per image. */
  private <T> T change(ImageId id, Supplier<T> body) {
    T result;
    Lock shared = gate.readLock();
    shared.lock();
    try {
      ensureOpen();
      Lock image = imageLocks.get(id);
      image.lock();
      try {
        result = body.get();
      } finally {
        image.unlock();
      }
    } finally {
      shared.unlock();
    }
    if (sinceSnapshot.incrementAndGet() >= options.snapshotInterval()) {
      scheduleSnapshot();
    }
    return result;
  }

  /** The live image {@code id} at {@code expectedVersion}, as {@link MemoryCatalog} checks it. */
  private Image current(ImageId id, long expectedVersion) {
    return CatalogRefusals.atVersion(id, memory.find(id).orElse(null), expectedVersion);
  }

  private void durable(byte type, byte[] payload) {
    try {
      journal.commit(new Format.Record(type, payload));
    } catch (IOException e) {
      throw GovernanceException.of(
          StoreErrorCode.CATALOG_UNAVAILABLE,
          "Could not write the catalog journal in " + dir + "; the change was not made and the"
              + " catalog accepts no more changes until it is reopened: " + e.getMessage(),
          e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw GovernanceException.of(
          StoreErrorCode.CATALOG_UNAVAILABLE, "The catalog in " + dir + " is closed");
    }
  }

  // snapshots

  private void scheduleSnapshot() {
    if (!snapshotScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      snapshotter.execute(
          () -> {
            try {
              snapshot();
            } catch (IOException | RuntimeException e) {
              LOG.log(Level.WARNING, "Could not write a snapshot of the catalog in " + dir
                  + "; the journal keeps every change and the next snapshot will retry", e);
            } finally {
              snapshotScheduled.set(false);
            }
          });
    } catch (RejectedExecutionException e) {
      snapshotScheduled.set(false);
    }
  }

  /**
   * Writes a snapshot now: cuts the journal at a new segment while no change is in flight, copies
   * the state's references, then writes and publishes the snapshot and deletes the files it
   * replaces.
   */
  void snapshot() throws IOException {
    List<Image> images;
    List<Tombstone> deleted;
    long segment;
    long lastLsn;
    gate.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      images = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, memory.size()));
      memory.forEach(images::add);
      deleted = new ArrayList<>(tombstones.values());
      lastLsn = journal.nextLsn() - 1;
      segment = journal.segment() + 1;
      journal.roll(segment);
      sinceSnapshot.set(0);
    } finally {
      gate.writeLock().unlock();
    }
    SnapshotWriter.write(dir, segment, lastLsn, images, deleted, options.fsync());
    SnapshotWriter.removeBefore(dir, segment, options.fsync());
  }

  /**
   * What opening this catalog found and did: whether the previous session closed it cleanly,
   * the unsynced tails of a crash that were cut from the journal (each kept in a quarantine
   * file), and what repair mode set aside. Each cut is also logged as a warning.
   *
   * @return what opening this catalog found and did: whether the previous session closed it
   *     cleanly, the unsynced tails of a crash that were cut from the journal (each kept in a
   *     quarantine file), and what repair mode set aside
   */
  public FileCatalogRecovery recovery() {
    return recovery;
  }

  /** The directory this catalog lives in. */
  Path directory() {
    return dir;
  }

  /**
   * Waits for a running snapshot, then forces and closes the journal and releases the directory.
   * Idempotent.
   *
   * @throws GovernanceException {@link StoreErrorCode#CATALOG_UNAVAILABLE} if the journal could not be
   *     closed cleanly (every acknowledged change is on disk regardless)
   */
  @Override
  public void close() {
    snapshotter.shutdown();
    Uninterruptibles.awaitTerminationUninterruptibly(snapshotter, Long.MAX_VALUE, TimeUnit.DAYS);
    gate.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try {
        journal.close();
      } finally {
        lock.close();
      }
    } catch (IOException e) {
      throw unavailable("could not close the catalog in " + dir + " cleanly", e);
    } finally {
      gate.writeLock().unlock();
    }
  }
}
