package dev.imagegov.store.memory;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobTransfer;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.Capacity;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BlobStore} in memory: each blob is a list of heap segments of bounded size (at most
 * 4 MiB, and at most four chunks), so a 2 GiB image needs 512 arrays, never one 2 GiB array. The data is read into the transfer's ring of reusable buffers (1 MiB chunks by default)
 * and copied once into the segments, which are sized as the data arrives (the last one cut to
 * its bytes). Thread-safe; writes of
 * different keys run in parallel, reads never block. Every guarantee of {@link BlobStore} holds:
 * a blob is published with one map insertion when its write completes, a failed write releases
 * its chunks and capacity, and a reader keeps the blob it opened even if it is deleted meanwhile.
 *
 * <p>Capacity is counted in data bytes (stored plus being written) against a configurable total
 * ({@link Long#MAX_VALUE}, effectively the heap, by default). By default the multihash runs on a
 * second thread (the executor the write's {@link HashSpec} offers, else a pool of daemon threads
 * of this store) while MD5 and the copy run on the writer.
 */
public final class MemoryBlobStore implements BlobStore {
  /** The default chunk size, 1 MiB. */
  public static final int DEFAULT_CHUNK_SIZE = 1 << 20;

  private final StoreId id;
  private final long capacity;
  private final int chunkSize;
  private final @Nullable Executor hashExecutor;
  private final ConcurrentHashMap<BlobKey, Blob> blobs = new ConcurrentHashMap<>();
  private final Set<BlobKey> writing = ConcurrentHashMap.newKeySet();
  private final AtomicLong used = new AtomicLong();

  private MemoryBlobStore(Builder b) {
    this.id = b.id;
    this.capacity = b.capacity;
    this.chunkSize = b.chunkSize;
    this.hashExecutor = b.inlineHashing ? null : b.hashExecutor != null ? b.hashExecutor : pool(id);
  }

  /**
   * {@return an unbounded store with parallel hashing and 1 MiB chunks}
   *
   * @param id the store's id, as images' locations name it
   */
  public static MemoryBlobStore create(String id) {
    return builder(StoreId.of(id)).build();
  }

  /**
   * {@return a builder for the store {@code id}}
   *
   * @param id the store's id
   */
  public static Builder builder(StoreId id) {
    return new Builder(Objects.requireNonNull(id, "id"));
  }

  private static ExecutorService pool(StoreId id) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "imagegov-hash-" + id + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newCachedThreadPool(threads);
  }

  @Override
  public StoreId id() {
    return id;
  }

  @Override
  public BlobWriteResult write(BlobKey key, InputStream in, long maxBytes, HashSpec hashes)
      throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(hashes, "hashes");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    // Claim the key first, then look for a finished blob: a finished write publishes before it
    // releases its claim, so one of the two checks always sees it.
    if (!writing.add(key)) {
      throw new BlobExistsException("blob " + key + " is being written in store " + id);
    }
    Segments data = new Segments(chunkSize);
    long[] reserved = {0};
    boolean published = false;
    try {
      if (blobs.containsKey(key)) {
        throw new BlobExistsException("blob " + key + " exists in store " + id);
      }
      BlobDigester digester =
          hashExecutor == null
              ? BlobDigester.inline(hashes)
              : BlobDigester.forWrite(hashes, hashExecutor);
      long size =
          BlobTransfer.transfer(
              in,
              maxBytes,
              chunkSize,
              digester,
              (chunk, length) -> {
                reserve(length);
                reserved[0] += length;
                data.append(chunk, length);
                return false;
              });
      BlobDigester.Digests digests = digester.finish();
      blobs.put(key, new Blob(data.finish(), size));
      published = true;
      return new BlobWriteResult(
          key, url(key), size, digests.checksum(), digests.algorithm(), digests.multihash());
    } finally {
      if (!published) {
        used.addAndGet(-reserved[0]);
      }
      writing.remove(key);
    }
  }

  private void reserve(long bytes) throws StoreFullException {
    while (true) {
      long u = used.get();
      if (bytes > capacity - u) {
        throw new StoreFullException(
            "store " + id + " is full: " + u + " of " + capacity + " bytes used");
      }
      if (used.compareAndSet(u, u + bytes)) {
        return;
      }
    }
  }

  @Override
  public InputStream read(BlobKey key) throws IOException {
    Blob blob = find(key);
    return new ChunkInputStream(blob, 0, blob.size);
  }

  @Override
  public InputStream read(BlobKey key, long offset, long length) throws IOException {
    Blob blob = find(key);
    Objects.checkFromIndexSize(offset, length, blob.size);
    return new ChunkInputStream(blob, offset, offset + length);
  }

  private Blob find(BlobKey key) throws BlobNotFoundException {
    Blob blob = blobs.get(Objects.requireNonNull(key, "key"));
    if (blob == null) {
      throw new BlobNotFoundException("no blob " + key + " in store " + id);
    }
    return blob;
  }

  @Override
  public OptionalLong size(BlobKey key) {
    Blob blob = blobs.get(Objects.requireNonNull(key, "key"));
    return blob == null ? OptionalLong.empty() : OptionalLong.of(blob.size);
  }

  @Override
  public boolean delete(BlobKey key) {
    Blob blob = blobs.remove(Objects.requireNonNull(key, "key"));
    if (blob == null) {
      return false;
    }
    used.addAndGet(-blob.size);
    return true;
  }

  @Override
  public Capacity capacity() {
    return new Capacity(capacity, used.get());
  }

  @Override
  public List<BlobKey> keys() {
    return List.copyOf(blobs.keySet());
  }

  @Override
  public String url(BlobKey key) {
    return "memory://" + id + "/" + key;
  }

  @Override
  public String toString() {
    return "MemoryBlobStore[" + id + ", " + blobs.size() + " blobs, " + capacity() + "]";
  }

  /**
   * A blob's data as it arrives: copied out of the transfer's reusable buffers into segments
   * allocated as the data needs them. A segment's size doubles from {@link #FIRST_SEGMENT}, so a
   * small blob takes little, up to {@link #SEGMENT} bytes (and at most four chunks); the last one
   * is cut to the bytes it holds. A full segment is 4 MiB less an array header: on G1 it is a
   * humongous object that fills whole regions of 1, 2 or 4 MiB exactly, so a large blob is
   * allocated straight into the old generation, is never copied by a young collection, and
   * wastes no region space (a 1 MiB array, one header over a 1 MiB region, took two).
   */
  static final class Segments {
    static final int FIRST_SEGMENT = 16 * 1024;
    static final int SEGMENT = (4 << 20) - 16;

    private final int largest;
    private final List<byte[]> done = new ArrayList<>();
    private byte @Nullable [] current;
    private int filled;

    Segments(int chunkSize) {
      this.largest = (int) Math.min(SEGMENT, 4L * chunkSize);
    }

    /** Copies {@code length} bytes of {@code chunk}. */
    void append(byte[] chunk, int length) {
      int at = 0;
      while (at < length) {
        byte[] into = current;
        if (into == null || filled == into.length) {
          if (into != null) {
            done.add(into);
          }
          int size = into == null ? Math.min(largest, FIRST_SEGMENT) : Math.min(largest, into.length * 2);
          into = new byte[size];
          current = into;
          filled = 0;
        }
        int n = Math.min(length - at, into.length - filled);
        System.arraycopy(chunk, at, into, filled, n);
        filled += n;
        at += n;
      }
    }

    /** The segments, the last cut to its bytes; no more may be appended. */
    List<byte[]> finish() {
      byte[] last = current;
      if (last != null && filled > 0) {
        done.add(filled == last.length ? last : Arrays.copyOf(last, filled));
      }
      current = null;
      return done;
    }
  }

  /** An immutable blob: chunks with the offset at which each starts. */
  private static final class Blob {
    final byte[][] chunks;
    final long[] starts;
    final long size;

    Blob(List<byte[]> list, long size) {
      this.chunks = list.toArray(new byte[0][]);
      this.starts = new long[chunks.length];
      long at = 0;
      for (int i = 0; i < chunks.length; i++) {
        starts[i] = at;
        at += chunks[i].length;
      }
      this.size = size;
    }

    /** The index of the chunk holding byte {@code position} (which is below {@code size}). */
    int chunkAt(long position) {
      int i = Arrays.binarySearch(starts, position);
      return i >= 0 ? i : -i - 2;
    }
  }

  /** Reads a blob's bytes in {@code [position, end)}. */
  private static final class ChunkInputStream extends InputStream {
    private final Blob blob;
    private final long end;
    private long position;
    private boolean closed;

    ChunkInputStream(Blob blob, long start, long end) {
      this.blob = blob;
      this.position = start;
      this.end = end;
    }

    @Override
    public int read() throws IOException {
      ensureOpen();
      if (position >= end) {
        return -1;
      }
      int c = blob.chunkAt(position);
      int b = blob.chunks[c][(int) (position - blob.starts[c])] & 0xff;
      position++;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      ensureOpen();
      if (len == 0) {
        return 0;
      }
      if (position >= end) {
        return -1;
      }
      int copied = 0;
      while (copied < len && position < end) {
        int c = blob.chunkAt(position);
        int within = (int) (position - blob.starts[c]);
        int n =
            (int) Math.min(Math.min(len - copied, blob.chunks[c].length - within), end - position);
        System.arraycopy(blob.chunks[c], within, b, off + copied, n);
        copied += n;
        position += n;
      }
      return copied;
    }

    @Override
    public long skip(long n) throws IOException {
      ensureOpen();
      long k = Math.max(0, Math.min(n, end - position));
      position += k;
      return k;
    }

    @Override
    public int available() throws IOException {
      ensureOpen();
      return (int) Math.min(Integer.MAX_VALUE, end - position);
    }

    @Override
    public void close() {
      closed = true;
    }

    private void ensureOpen() throws IOException {
      if (closed) {
        throw new IOException("stream closed");
      }
    }
  }

  /** Builds a {@link MemoryBlobStore}. */
  public static final class Builder {
    private final StoreId id;
    private long capacity = Long.MAX_VALUE;
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private @Nullable Executor hashExecutor;
    private boolean inlineHashing;

    private Builder(StoreId id) {
      this.id = id;
    }

    /**
     * The total bytes the store may hold; unbounded (the heap) by default.
     *
     * @param bytes the most bytes the store holds, at least 0
     * @return this builder, for chaining
     */
    public Builder capacity(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("capacity must not be negative: " + bytes);
      }
      this.capacity = bytes;
      return this;
    }

    /**
     * The largest chunk a write reads and hashes at once (the size of its reusable buffers), 1
     * MiB by default; the stored segments are at most four chunks and at most 4 MiB.
     *
     * @param bytes the largest chunk in bytes, at least 1
     * @return this builder, for chaining
     */
    public Builder chunkSize(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("chunk size must be positive: " + bytes);
      }
      this.chunkSize = bytes;
      return this;
    }

    /**
     * Runs the multihash on {@code executor} while MD5 runs on the writer, for writes whose
     * {@link HashSpec} offers no executor of its own.
     *
     * @param executor runs the work in the background
     * @return this builder, for chaining
     */
    public Builder hashExecutor(Executor executor) {
      this.hashExecutor = Objects.requireNonNull(executor, "executor");
      this.inlineHashing = false;
      return this;
    }

    /**
     * Computes both digests on the writer's thread.
     *
     * @return this builder, for chaining
     */
    public Builder inlineHashing() {
      this.inlineHashing = true;
      this.hashExecutor = null;
      return this;
    }

    /** {@return the store} */
    public MemoryBlobStore build() {
      return new MemoryBlobStore(this);
    }
  }
}
