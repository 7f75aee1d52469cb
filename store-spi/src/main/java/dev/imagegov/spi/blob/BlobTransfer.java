package dev.imagegov.spi.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The streaming loop every store needs: read a stream in bounded chunks, refuse it at the first
 * byte over a limit, hash each chunk with a {@link BlobDigester} and hand it to a {@link
 * ChunkSink}. It reads at most {@code maxBytes + 1} bytes and never holds more than {@value
 * #RING} buffers (plus the arrays the sink keeps).
 *
 * <p>With a digester that has an executor ({@link BlobDigester#parallel}) the transfer runs two
 * stages on two threads, joined by a bounded ring of {@value #RING} reusable buffers: the
 * <b>writer</b> (the caller's thread) reads a chunk into a free buffer, hands it to the hashing
 * stage, updates MD5 and gives the chunk to the sink; the <b>hashing stage</b> (one task on the
 * executor for the whole transfer) updates the multihash with each chunk in order and returns
 * its buffer to the ring. The writer waits only when every buffer is still being hashed, so the
 * transfer runs at the speed of the slower stage; no buffer is allocated per chunk. Small
 * streams (one chunk) and digesters without an executor hash on the writer alone.
 *
 * <p>A failure of either stage stops both: a failing stream, sink, limit or interruption of the
 * writer stops the hashing stage (chunks not yet hashed are dropped), and a failing hashing stage
 * fails the writer at its next buffer. When the transfer returns or throws, the hashing stage has
 * ended and no buffer is still read. An executor that refuses the task, or has not started it
 * when the writer needs a buffer, leaves the hashing to the writer: the transfer never waits for
 * a task that does not run.
 */
public final class BlobTransfer {
  /** The first chunk is at most this large, so small blobs allocate little. */
  static final int FIRST_CHUNK = 64 * 1024;

  /** The buffers of a transfer's ring: the most chunks read but not yet hashed, at once. */
  static final int RING = 4;

  private BlobTransfer() {}

  /** Receives each filled chunk; runs while the chunk is being hashed, and must only read it. */
  @FunctionalInterface
  public interface ChunkSink {
    /**
     * Takes {@code length} bytes of {@code chunk}. A sink that copies or writes the bytes returns
     * {@code false}, so the buffer goes back to the ring; a sink that keeps the array costs the
     * transfer a new buffer.
     *
     * @param chunk the buffer holding the bytes; read only
     * @param length how many bytes at its start are data
     * @throws java.io.IOException if the sink cannot take them; the transfer fails
     * @return {@code true} if the sink keeps the array (the transfer will not reuse it), {@code
     *     false} if the transfer may reuse it for a later chunk
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
   * @throws InterruptedIOException if the writer's thread was interrupted while it waited
   * @throws IOException if {@code in}, the sink or the hashing stage fails
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
    Ring ring = new Ring(digester);
    MessageDigest md5 = digester.md5();
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
        byte[] buf = ring.take(want);
        int n = fill(in, buf, want);
        if (n == 0) {
          break;
        }
        total += n;
        if (total > maxBytes) {
          throw new BlobTooLargeException(maxBytes);
        }
        boolean last = n < want;
        ring.hash(buf, n, last);
        md5.update(buf, 0, n);
        if (sink.accept(buf, n)) {
          ring.keptBySink(buf);
        }
        if (last) {
          break;
        }
        nextSize = chunkSize;
      }
      ring.finish();
      ok = true;
      return total;
    } finally {
      if (!ok) {
        ring.abort();
      }
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

  /** A filled chunk on its way to the hashing stage. */
  private record Chunk(byte[] buf, int length) {}

  /**
   * The ring of buffers and the hashing stage of one transfer. Only the writer calls its methods;
   * the stage is {@link #run}. The stage's state moves once from {@code IDLE}: to {@code QUEUED}
   * (the task is with the executor), then to {@code RUNNING} (the task took the multihash) or
   * {@code INLINE} (the writer took it back before the task started, or the executor refused
   * it); {@code IDLE} stays when every chunk was hashed by the writer.
   */
  private static final class Ring implements Runnable {
    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int RUNNING = 2;
    private static final int INLINE = 3;
    /** Ends the hashing stage. */
    private static final Chunk END = new Chunk(new byte[0], 0);
    /** Returned by a failed hashing stage in place of a buffer. */
    private static final byte[] FAILED = new byte[0];

    private final MessageDigest multihash;
    private final @Nullable Executor executor;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final ArrayBlockingQueue<Chunk> toHash = new ArrayBlockingQueue<>(RING + 2);
    private final ArrayBlockingQueue<byte[]> hashed = new ArrayBlockingQueue<>(RING + 2);
    private final CountDownLatch stageEnded = new CountDownLatch(1);
    private volatile boolean stopped;
    private volatile @Nullable Throwable stageFailure;

    // The writer's own: buffers it may reuse, buffers the sink kept, buffers in the ring.
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>(RING);
    private final Set<byte[]> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private int buffers;

    Ring(BlobDigester digester) {
      this.multihash = digester.multihash();
      this.executor = digester.executor();
    }

    /**
     * A buffer of at least {@code want} bytes that no stage reads: a spare or hashed one, a new
     * one while the ring has fewer than {@link #RING}, else the next one the stage hashes.
     */
    byte[] take(int want) throws IOException {
      while (true) {
        byte[] b = spare.poll();
        if (b == null) {
          b = hashed.poll();
        }
        if (b == null) {
          if (buffers < RING) {
            buffers++;
            return new byte[want];
          }
          if (state.compareAndSet(QUEUED, INLINE)) {
            hashQueued(); // the task has not started: the writer hashes what waits
            continue;
          }
          b = awaitHashed();
        }
        if (b == FAILED) {
          throw stageFailed();
        }
        if (kept.remove(b) || b.length < want) {
          buffers--; // the sink's now, or the small first buffer: the ring makes a new one
          continue;
        }
        return b;
      }
    }

    private byte[] awaitHashed() throws InterruptedIOException {
      try {
        return hashed.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("the transfer was interrupted");
      }
    }

    /**
     * Hands {@code n} bytes of {@code buf} to the multihash: to the hashing stage (started at the
     * first chunk that is not the last), or on the writer if there is no stage.
     */
    void hash(byte[] buf, int n, boolean last) {
      if (state.get() == IDLE) {
        if (executor == null || last) {
          hashHere(buf, n);
          return;
        }
        state.set(QUEUED);
        try {
          executor.execute(this);
        } catch (RejectedExecutionException e) {
          state.set(INLINE);
        }
      }
      if (state.get() == INLINE) {
        hashHere(buf, n);
        return;
      }
      toHash.add(new Chunk(buf, n));
    }

    private void hashHere(byte[] buf, int n) {
      multihash.update(buf, 0, n);
      spare.add(buf);
    }

    /** The writer hashes the chunks the stage never took (the stage never ran). */
    private void hashQueued() {
      for (Chunk c = toHash.poll(); c != null; c = toHash.poll()) {
        if (c != END) {
          hashHere(c.buf(), c.length());
        }
      }
    }

    /** The sink keeps {@code buf}: the ring never hands it out again. */
    void keptBySink(byte[] buf) {
      kept.add(buf);
    }

    /** Waits until the multihash has seen every chunk; fails if the stage failed. */
    void finish() throws IOException {
      int s = state.get();
      if (s == IDLE || s == INLINE) {
        return;
      }
      toHash.add(END);
      if (state.compareAndSet(QUEUED, INLINE)) {
        hashQueued();
        return;
      }
      try {
        stageEnded.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("the transfer was interrupted");
      }
      if (stageFailure != null) {
        throw stageFailed();
      }
    }

    /** Stops the hashing stage (dropping chunks it has not taken) and waits until it ended. */
    void abort() {
      stopped = true;
      int s = state.get();
      if (s == IDLE || s == INLINE) {
        return;
      }
      toHash.clear();
      toHash.offer(END);
      if (state.compareAndSet(QUEUED, INLINE)) {
        return; // the task never took the multihash, and never will
      }
      boolean interrupted = false;
      while (true) {
        try {
          stageEnded.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    private IOException stageFailed() {
      Throwable t = stageFailure;
      if (t instanceof Error) {
        throw (Error) t;
      }
      return t instanceof InterruptedException
          ? (IOException) new InterruptedIOException("the hashing of the data was interrupted")
              .initCause(t)
          : new IOException("the hashing of the data failed: " + t, t);
    }

    /** The hashing stage: the multihash of each chunk in order, until the end or a stop. */
    @Override
    public void run() {
      if (!state.compareAndSet(QUEUED, RUNNING)) {
        return; // the writer took the hashing back
      }
      try {
        while (true) {
          Chunk c = toHash.take();
          if (c == END || stopped) {
            break;
          }
          multihash.update(c.buf(), 0, c.length());
          hashed.add(c.buf());
        }
      } catch (InterruptedException | RuntimeException | Error e) {
        stageFailure = e;
        hashed.offer(FAILED);
      } finally {
        stageEnded.countDown();
      }
    }
  }
}
