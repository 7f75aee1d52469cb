package dev.imagegov.spi.blob;

import java.io.IOException;
import java.io.InputStream;

/**
 * The streaming loop every store needs: read a stream in bounded chunks, refuse it at the first
 * byte over a limit, hash each chunk with a {@link BlobDigester} and hand it to a {@link
 * ChunkSink}. It reads at most {@code maxBytes + 1} bytes and never holds more than one chunk
 * (plus the chunks the sink keeps).
 */
public final class BlobTransfer {
  /** The first chunk is at most this large, so small blobs allocate little. */
  static final int FIRST_CHUNK = 64 * 1024;

  private BlobTransfer() {}

  /** Receives each filled chunk; runs while the chunk is being hashed, and must only read it. */
  @FunctionalInterface
  public interface ChunkSink {
    /**
     * Takes {@code length} bytes of {@code chunk}.
     *
     * @return {@code true} if the sink keeps the array (the transfer will not reuse it), {@code
     *     false} if the transfer may reuse it for the next chunk
     */
    boolean accept(byte[] chunk, int length) throws IOException;
  }

  /**
   * Copies {@code in} to {@code sink} in chunks of at most {@code chunkSize} bytes, hashing with
   * {@code digester}.
   *
   * @return the number of bytes transferred
   * @throws BlobTooLargeException if {@code in} holds more than {@code maxBytes}
   * @throws IOException if {@code in} or the sink fails
   */
  public static long transfer(
      InputStream in, long maxBytes, int chunkSize, BlobDigester digester, ChunkSink sink)
      throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be positive: " + chunkSize);
    }
    long total = 0;
    byte[] buf = null;
    int nextSize = Math.min(chunkSize, FIRST_CHUNK);
    while (true) {
      long allowance = maxBytes - total + 1; // one byte more than allowed reveals an excess
      if (allowance <= 0) {
        allowance = Long.MAX_VALUE; // overflow of maxBytes + 1
      }
      int want = (int) Math.min(nextSize, allowance);
      if (buf == null || buf.length < want) {
        buf = new byte[want];
      }
      int n = fill(in, buf, want);
      if (n == 0) {
        return total;
      }
      total += n;
      if (total > maxBytes) {
        throw new BlobTooLargeException(maxBytes);
      }
      BlobDigester.Pending pending = digester.begin(buf, 0, n);
      boolean kept;
      try {
        kept = sink.accept(buf, n);
      } finally {
        pending.await();
      }
      if (kept) {
        buf = null;
      }
      if (n < want) {
        return total;
      }
      nextSize = chunkSize;
    }
  }

  /** Reads until {@code want} bytes or the end of the stream; returns the count read. */
  private static int fill(InputStream in, byte[] buf, int want) throws IOException {
    int n = 0;
    while (n < want) {
      int r = in.read(buf, n, want - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }
}
