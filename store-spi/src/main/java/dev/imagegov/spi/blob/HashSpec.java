package dev.imagegov.spi.blob;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * What a write hashes: always MD5 (Glance's {@code checksum}) and one multihash algorithm
 * (Glance's {@code os_hash_algo}, {@code sha512} by default); and, optionally, the executor the
 * writer offers for the multihash ({@link #executor()}: the governance passes its own, so the
 * hashing threads of every store belong to the governance and end with it). Two specs are equal
 * when they compute the same digests, wherever they run.
 */
public final class HashSpec {
  private static final HashSpec DEFAULT = new HashSpec(HashAlgorithm.SHA512, null);

  private final HashAlgorithm multihash;
  private final @Nullable Executor executor;

  private HashSpec(HashAlgorithm multihash, @Nullable Executor executor) {
    this.multihash = multihash;
    this.executor = executor;
  }

  /**
   * {@return MD5 plus {@code multihash}}
   *
   * @param multihash the algorithm of {@code os_hash_value}
   */
  public static HashSpec of(HashAlgorithm multihash) {
    return new HashSpec(Objects.requireNonNull(multihash, "multihash"), null);
  }

  /**
   * {@return this spec, offering {@code executor} for the multihash} A store that hashes on a
   * second thread runs the multihash of this write on it (one task for the whole write) instead
   * of on threads of its own; a store configured to hash inline ignores it. An executor that
   * refuses the task (shut down) makes the write hash on the writer's thread.
   *
   * @param executor runs the multihash of each write, one long task per write
   */
  public HashSpec withExecutor(Executor executor) {
    return new HashSpec(multihash, Objects.requireNonNull(executor, "executor"));
  }

  /** {@return the executor offered for the multihash, if any} */
  public Optional<Executor> executor() {
    return Optional.ofNullable(executor);
  }

  /** {@return MD5 plus SHA-512, Glance's default} */
  public static HashSpec defaults() {
    return DEFAULT;
  }

  /** {@return the multihash algorithm} */
  public HashAlgorithm multihash() {
    return multihash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashSpec && ((HashSpec) o).multihash.equals(multihash);
  }

  @Override
  public int hashCode() {
    return multihash.hashCode();
  }

  @Override
  public String toString() {
    return "md5+" + multihash;
  }
}
