package dev.imagegov.spi.blob;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * The streaming loop every store needs: read a stream in bounded chunks, refuse it at the first
 * byte over a limit, hash each chunk with a {@link BlobDigester} and hand it to a {@link
 * ChunkSink}. It reads at most {@code maxBytes + 1} bytes and never holds more than {@value
 * #DEPTH} chunks (plus the chunks the sink keeps).
 *
 * <p>The chunks form a bounded pipeline: while the digester's executor hashes chunk {@code i},
 * the caller already reads, MD5s and hands over chunks {@code i + 1}, {@code i + 2}, ...; a chunk
 * is reused only after its hashing completed, and the caller waits only when all {@value #DEPTH}
 * chunks are still being hashed. When the transfer returns or throws, no hashing of its chunks
 * is still running.
 */
public final class BlobTransfer {
  /** The first chunk is at most this large, so small blobs allocate little. */
  static final int FIRST_CHUNK = 64 * 1024;

  /** The most chunks being hashed at once (and so the most buffers the transfer holds). */
  static final int DEPTH = 4;

  private BlobTransfer() {}

  /** Receives each filled chunk; runs while the chunk is being hashed, and must only read it. */
  @FunctionalInterface
  public interface ChunkSink {
    /**
     * Takes {@code length} bytes of {@code chunk}.
     *
     * @param chunk the buffer holding the bytes; read only
     * @param length how many bytes at its start are data
     * @throws java.io.IOException if the sink cannot take them; the transfer fails
     * @return {@code true} if the sink keeps the array (the transfer will not reuse it), {@code
     *     false} if the transfer may reuse it for the next chunk
     */
    boolean accept(byte[] chunk, int length) throws IOException;
  }

  /**
   * Copies {@code in} to {@code sink} in chunks of at most {@code chunkSize} bytes, hashing with
   * {@code digester}.
   *
   * @param in the bytes to write, read to the end or to the limit; not closed
   * @param maxBytes the most bytes accepted; one byte more fails the write
   * @param chunkSize the largest chunk, in bytes
   * @param digester hashes each chunk while the sink takes it
   * @param sink receives each filled chunk
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
    ArrayDeque<InFlight> inFlight = new ArrayDeque<>(DEPTH);
    ArrayDeque<byte[]> free = new ArrayDeque<>(DEPTH);
    boolean ok = false;
    try {
      long total = 0;
      int nextSize = Math.min(chunkSize, FIRST_CHUNK);
      while (true) {
        long allowance = maxBytes - total + 1; // one byte more than allowed reveals an excess
        if (allowance <= 0) {
          allowance = Long.MAX_VALUE; // overflow of maxBytes + 1
        }
        int want = (int) Math.min(nextSize, allowance);
        byte[] buf = buffer(inFlight, free, want);
        int n = fill(in, buf, want);
        if (n == 0) {
          ok = true;
          return total;
        }
        total += n;
        if (total > maxBytes) {
          throw new BlobTooLargeException(maxBytes);
        }
        BlobDigester.Pending pending = digester.begin(buf, 0, n);
        InFlight chunk = new InFlight(buf, pending);
        inFlight.add(chunk);
        chunk.kept = sink.accept(buf, n);
        if (n < want) {
          ok = true;
          return total;
        }
        nextSize = chunkSize;
      }
    } finally {
      drain(inFlight, ok);
    }
  }

  /** A chunk handed to the digester and the sink, and whether the sink kept its array. */
  private static final class InFlight {
    final byte[] buf;
    final BlobDigester.Pending pending;
    boolean kept;

    InFlight(byte[] buf, BlobDigester.Pending pending) {
      this.buf = buf;
      this.pending = pending;
    }
  }

  /**
   * A buffer of at least {@code want} bytes that no hashing still reads: a free one, a new one
   * while fewer than {@link #DEPTH} are in flight, else the oldest in flight once it is hashed.
   */
  private static byte[] buffer(ArrayDeque<InFlight> inFlight, ArrayDeque<byte[]> free, int want) {
    while (inFlight.size() >= DEPTH) {
      InFlight oldest = inFlight.remove();
      oldest.pending.await();
      if (!oldest.kept) {
        free.add(oldest.buf);
      }
    }
    byte[] buf = free.poll();
    return buf != null && buf.length >= want ? buf : new byte[want];
  }

  /**
   * Waits for every chunk still being hashed. After a failure ({@code ok} false) the waits'
   * own failures are dropped, so the first failure is the one thrown.
   */
  private static void drain(ArrayDeque<InFlight> inFlight, boolean ok) {
    @Nullable RuntimeException first = null;
    for (InFlight chunk : inFlight) {
      try {
        chunk.pending.await();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    inFlight.clear();
    if (ok && first != null) {
      throw first;
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
