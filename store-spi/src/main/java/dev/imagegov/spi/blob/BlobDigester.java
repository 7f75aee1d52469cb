package dev.imagegov.spi.blob;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Computes MD5 and a multihash over a byte stream. Fed chunk by chunk with {@link #update}, it
 * computes both on the caller's thread. Handed to {@link BlobTransfer} with an {@link Executor}
 * ({@link #parallel}), the multihash of the transfer runs as one task on that executor, fed
 * through a bounded ring of reusable buffers, while MD5 runs on the writer's thread beside the
 * store's own work: hashing then costs about as much as the slower digest alone.
 *
 * <p>Not thread-safe: one writer feeds one digester; {@link #finish()} once at the end.
 */
public final class BlobDigester {
  private final HashAlgorithm algorithm;
  private final MessageDigest md5 = HashAlgorithm.MD5.newDigest();
  private final MessageDigest multihash;
  private final @Nullable Executor executor;
  private boolean finished;

  BlobDigester(HashAlgorithm algorithm, MessageDigest multihash, @Nullable Executor executor) {
    this.algorithm = algorithm;
    this.multihash = multihash;
    this.executor = executor;
  }

  private BlobDigester(HashSpec spec, @Nullable Executor executor) {
    this(spec.multihash(), spec.multihash().newDigest(), executor);
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
   * {@return a digester whose transfers run the multihash on {@code executor}}
   *
   * @param spec which digests to compute: MD5 and the multihash
   * @param executor runs the multihash of a transfer, one task per transfer
   */
  public static BlobDigester parallel(HashSpec spec, Executor executor) {
    return new BlobDigester(
        Objects.requireNonNull(spec, "spec"), Objects.requireNonNull(executor, "executor"));
  }

  /**
   * {@return the digester of one store write}: the multihash on the executor the write offers
   * ({@link HashSpec#executor()}), else on {@code storeExecutor}, else on the writer's thread.
   *
   * @param spec which digests to compute, and the executor the writer offers, if any
   * @param storeExecutor the store's own executor for the multihash; {@code null} for none
   */
  public static BlobDigester forWrite(HashSpec spec, @Nullable Executor storeExecutor) {
    Objects.requireNonNull(spec, "spec");
    Executor chosen = spec.executor().orElse(storeExecutor);
    return chosen == null ? inline(spec) : parallel(spec, chosen);
  }

  /**
   * Hashes {@code len} bytes of {@code chunk} with both digests, on the caller's thread.
   *
   * @param chunk the bytes to hash; read only
   * @param off where the bytes start in the array
   * @param len how many bytes
   */
  public void update(byte[] chunk, int off, int len) {
    checkOpen();
    Objects.checkFromIndexSize(off, len, chunk.length);
    md5.update(chunk, off, len);
    multihash.update(chunk, off, len);
  }

  /**
   * The digests of everything fed; the digester cannot be used afterwards.
   *
   * @return the MD5 checksum and the multihash of everything fed
   */
  public Digests finish() {
    checkOpen();
    finished = true;
    HexFormat hex = HexFormat.of();
    return new Digests(hex.formatHex(md5.digest()), algorithm, hex.formatHex(multihash.digest()));
  }

  /** The executor a transfer runs the multihash on; {@code null}: the writer's thread. */
  @Nullable Executor executor() {
    return executor;
  }

  /** MD5, fed by the writer's thread. */
  MessageDigest md5() {
    checkOpen();
    return md5;
  }

  /** The multihash, fed by one thread at a time (the transfer's hashing stage). */
  MessageDigest multihash() {
    checkOpen();
    return multihash;
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("the digester is finished");
    }
  }

  /** The MD5 hex {@code checksum} and the multihash hex value with its algorithm. */
  public record Digests(String checksum, HashAlgorithm algorithm, String multihash) {}
}
