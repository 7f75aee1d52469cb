package dev.imagegov.spi.blob;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Computes MD5 and a multihash over a byte stream fed to it in chunks. With an {@link Executor}
 * the two digests of each large chunk run on two threads (the multihash on the executor, MD5 on
 * the caller), so hashing costs about as much as the slower digest alone; without one, both run
 * on the caller.
 *
 * <p>Use: for each chunk call {@link #begin}, then do any read-only work on the chunk (copy it
 * to the store), and call {@link Pending#await()} before changing the chunk; finally {@link
 * #finish()}. Further chunks may be begun before earlier ones are awaited (a pipeline): the
 * multihash still sees the chunks in the order they were begun, one at a time, while the caller
 * reads and MD5s the next. Not thread-safe: one writer feeds one digester.
 */
public final class BlobDigester {
  /** Chunks smaller than this are hashed on the caller only; a hand-off would cost more. */
  static final int PARALLEL_THRESHOLD = 64 * 1024;

  private static final Pending DONE = () -> {};

  private final HashAlgorithm algorithm;
  private final MessageDigest md5 = HashAlgorithm.MD5.newDigest();
  private final MessageDigest multihash;
  private final @Nullable Executor executor;
  /** Completes when the multihash has seen every chunk begun so far. */
  private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
  private boolean finished;

  private BlobDigester(HashSpec spec, @Nullable Executor executor) {
    this.algorithm = spec.multihash();
    this.multihash = algorithm.newDigest();
    this.executor = executor;
  }

  /**
   * {@return a digester hashing on the caller's thread}
   *
   * @param spec which digests to compute: MD5 and the multihash
   */
  public static BlobDigester inline(HashSpec spec) {
    return new BlobDigester(Objects.requireNonNull(spec, "spec"), null);
  }

  /**
   * {@return a digester that runs the multihash of large chunks on {@code executor}}
   *
   * @param spec which digests to compute: MD5 and the multihash
   * @param executor runs the work in the background
   */
  public static BlobDigester parallel(HashSpec spec, Executor executor) {
    return new BlobDigester(
        Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(executor, "executor"));
  }

  /** A hashing step in progress; {@link #await()} returns when both digests saw the chunk. */
  @FunctionalInterface
  public interface Pending {
    /** Waits until the chunk is hashed; the chunk may then be changed. */
    void await();
  }

  /**
   * Starts hashing {@code len} bytes of {@code chunk} from {@code off}. Until {@link
   * Pending#await()} returns, the chunk may be read but not changed.
   *
   * @param chunk the bytes to hash; must not change until the returned hashing is done
   * @param off where the bytes start in the array
   * @param len how many bytes
   * @return the hashing in progress, to wait for before the chunk is reused
   */
  public Pending begin(byte[] chunk, int off, int len) {
    checkOpen();
    java.util.Objects.checkFromIndexSize(off, len, chunk.length);
    if (executor == null || len < PARALLEL_THRESHOLD) {
      md5.update(chunk, off, len);
      if (tail.isDone()) {
        multihash.update(chunk, off, len);
        return DONE;
      }
      tail = after(tail, () -> multihash.update(chunk, off, len));
      return tail::join;
    }
    tail = after(tail, () -> multihash.update(chunk, off, len));
    md5.update(chunk, off, len);
    return tail::join;
  }

  /**
   * Runs {@code step} on the executor once {@code previous} has completed normally (so the
   * multihash sees chunks in order), or on this thread if the executor refuses it; a failure of
   * {@code previous} fails the step's future without running it.
   */
  private CompletableFuture<Void> after(CompletableFuture<Void> previous, Runnable step) {
    Executor ex = Objects.requireNonNull(executor);
    CompletableFuture<Void> done = new CompletableFuture<>();
    Runnable task =
        () -> {
          try {
            step.run();
            done.complete(null);
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        };
    previous.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            done.completeExceptionally(failure);
            return;
          }
          try {
            ex.execute(task);
          } catch (RejectedExecutionException e) {
            task.run();
          }
        });
    return done;
  }

  /**
   * Hashes {@code len} bytes of {@code chunk} and waits for it.
   *
   * @param chunk the bytes to hash; read only
   * @param off where the bytes start in the array
   * @param len how many bytes
   */
  public void update(byte[] chunk, int off, int len) {
    begin(chunk, off, len).await();
  }

  /**
   * The digests of everything fed (waiting for chunks still being hashed); the digester cannot be
   * used afterwards.
   *
   * @return the digests of everything fed (waiting for chunks still being hashed); the digester
   *     cannot be used afterwards
   */
  public Digests finish() {
    checkOpen();
    tail.join();
    finished = true;
    HexFormat hex = HexFormat.of();
    return new Digests(hex.formatHex(md5.digest()), algorithm, hex.formatHex(multihash.digest()));
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("the digester is finished");
    }
  }

  /** The MD5 hex {@code checksum} and the multihash hex value with its algorithm. */
  public record Digests(String checksum, HashAlgorithm algorithm, String multihash) {}
}
