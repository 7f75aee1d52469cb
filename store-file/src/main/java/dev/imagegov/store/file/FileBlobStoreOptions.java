package dev.imagegov.store.file;

import dev.imagegov.error.ConfigurationException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import org.immutables.value.Value;

/**
 * How a {@link FileBlobStore} runs: how much it may hold (the file system's space less a {@link
 * #reserveBytes() reserve}, optionally capped by an explicit {@link #capacity()}), whether it
 * forces each blob to disk before a write returns, where the multihash runs and how large its
 * chunks are. The defaults are the safe ones: {@link #fsync()} on, no cap, no reserve.
 */
@Value.Immutable
public abstract class FileBlobStoreOptions {
  /** The default {@link #chunkSize()}, 1 MiB. */
  public static final int DEFAULT_CHUNK_SIZE = 1 << 20;

  /**
   * The most bytes of blobs the store may hold, if it is capped; without a cap it may fill the
   * file system down to {@link #reserveBytes()}. The file system's space limits a cap as well.
   *
   * @return the most bytes of blobs the store may hold, if it is capped; without a cap it may fill
   *     the file system down to {@link #reserveBytes()}
   */
  public abstract OptionalLong capacity();

  /**
   * Bytes of the file system's usable space the store never fills, left for other users of the
   * disk; 0 by default.
   *
   * @return the bytes of usable space never filled, at least 0
   */
  @Value.Default
  public long reserveBytes() {
    return 0;
  }

  /**
   * Whether every blob, its hash record and their directory entries are forced to disk ({@code
   * FileChannel.force}) before a write or delete returns. Only with this on does an acknowledged
   * blob survive a power loss or kernel crash; off, blobs survive a process crash only. Off is
   * meant for tests.
   *
   * @return whether every blob, its hash record and their directory entries are forced to disk
   *     ({@code FileChannel.force}) before a write or delete returns
   */
  @Value.Default
  public boolean fsync() {
    return true;
  }

  /**
   * Where the multihash of a write runs while MD5 and the file write run on the writer's thread,
   * for writes whose {@code HashSpec} offers no executor of its own (the governance offers its
   * own); empty for a small pool of daemon threads owned by the store (shut down by {@link
   * FileBlobStore#close()}), unless {@link #inlineHashing()}.
   *
   * @return where the multihash of a write runs when its {@code HashSpec} offers no executor;
   *     empty for a pool owned by the store, unless {@link #inlineHashing()}
   */
  public abstract Optional<Executor> hashExecutor();

  /**
   * {@return whether both digests run on the writer's thread (no executor at all); off by default}
   */
  @Value.Default
  public boolean inlineHashing() {
    return false;
  }

  /** {@return the largest chunk a write reads, hashes and writes at once; 1 MiB by default} */
  @Value.Default
  public int chunkSize() {
    return DEFAULT_CHUNK_SIZE;
  }

  /** {@return the default options} */
  public static FileBlobStoreOptions defaults() {
    return builder().build();
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  void check() {
    if (capacity().isPresent() && capacity().getAsLong() < 0) {
      throw new ConfigurationException("a blob store's capacity must not be negative, not " + capacity().getAsLong());
    }
    if (reserveBytes() < 0) {
      throw new ConfigurationException("a blob store's reserve must not be negative, not " + reserveBytes());
    }
    if (chunkSize() < 1) {
      throw new ConfigurationException("a blob store's chunk size must be positive, not " + chunkSize());
    }
  }

  /** {@return a builder holding this value's attributes} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * A builder of {@code FileBlobStoreOptions}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableFileBlobStoreOptions.Builder {
    Builder() {}
  }
}
