package dev.imagegov.store.file;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.StoreErrorCode;
import java.time.Clock;
import org.immutables.value.Value;

/**
 * How a {@link FileCatalog} runs: how often it compacts its journal into a snapshot, whether it
 * forces each commit to disk, and whether opening repairs damage instead of refusing. The
 * defaults are the safe ones: {@link #fsync()} on, {@link #repair()} off.
 */
@Value.Immutable
public abstract class FileCatalogOptions {
  /** The default {@link #snapshotInterval()}. */
  public static final long DEFAULT_SNAPSHOT_INTERVAL = 100_000;

  /**
   * The number of journal records after which a snapshot is written in the background and the
   * journal starts a new segment; at least 1. Opening replays at most about this many records
   * after the snapshot.
   *
   * @return the number of journal records after which a snapshot is written in the background and
   *     the journal starts a new segment; at least 1
   */
  @Value.Default
  public long snapshotInterval() {
    return DEFAULT_SNAPSHOT_INTERVAL;
  }

  /**
   * Whether each commit is forced to disk ({@code FileChannel.force}) before it returns. Only
   * with this on does an acknowledged change survive a power loss or kernel crash; turning it off
   * forces nothing (journal, snapshots, directory entries) and keeps changes across a process
   * crash only; it is meant for tests.
   *
   * @return whether each commit is forced to disk ({@code FileChannel.force}) before it returns
   */
  @Value.Default
  public boolean fsync() {
    return true;
  }

  /**
   * Whether opening a damaged catalog repairs it: damaged frames and records that do not apply
   * are copied to the {@code quarantine} directory and skipped, the rest is kept, and a fresh
   * snapshot replaces the damaged files. Off, a damaged catalog is refused with {@link
   * StoreErrorCode#CATALOG_CORRUPT} naming the file and byte offset. (Fully
   * qualified: Immutables copies this comment into the generated class, which lacks the import.)
   *
   * @return whether opening a damaged catalog repairs it: damaged frames and records that do not
   *     apply are copied to the {@code quarantine} directory and skipped, the rest is kept, and a
   *     fresh snapshot replaces the damaged files
   */
  @Value.Default
  public boolean repair() {
    return false;
  }

  /** {@return the clock that dates the lock file} */
  @Value.Default
  public Clock clock() {
    return Clock.systemUTC();
  }

  /** {@return the default options} */
  public static FileCatalogOptions defaults() {
    return builder().build();
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  void check() {
    if (snapshotInterval() < 1) {
      throw new ConfigurationException("snapshotInterval must be at least 1 record, not " + snapshotInterval());
    }
  }

  /** {@return a builder holding this value's attributes} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * A builder of {@code FileCatalogOptions}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableFileCatalogOptions.Builder {
    Builder() {}
  }
}
