package dev.imagegov.testkit.contract;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobTooLargeException;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.Capacity;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A deliberately simple, correct blob store for the testkit's own tests (the testkit cannot use
 * store-memory): each blob is one array published under the store's lock when its write completes;
 * the stream is read in {@link #CHUNK}-byte chunks outside the lock. The faulty stores of {@link
 * FaultyBlobStores} override its hooks, one defect each.
 */
public class SimpleBlobStore implements BlobStore {
  /** The chunk size of writes. */
  static final int CHUNK = 4096;

  protected final Map<BlobKey, byte[]> blobs = new HashMap<>(); // guarded by this
  protected final Set<BlobKey> writing = new HashSet<>(); // guarded by this
  protected long used; // guarded by this
  private final long total;

  public SimpleBlobStore() {
    this(Long.MAX_VALUE);
  }

  public SimpleBlobStore(long total) {
    this.total = total;
  }

  @Override
  public StoreId id() {
    return StoreId.of("simple");
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
    claim(key);
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    long reserved = 0;
    boolean published = false;
    try {
      BlobDigester digester = BlobDigester.inline(hashes);
      byte[] chunk = new byte[CHUNK];
      long size = 0;
      for (int index = 0; ; index++) {
        long allowance = maxBytes - size; // one byte more than allowed reveals an excess
        int want = allowance >= CHUNK ? CHUNK : (int) allowance + 1;
        int n = in.readNBytes(chunk, 0, want);
        if (n == 0) {
          break;
        }
        size += n;
        if (tooLarge(size, maxBytes)) {
          throw new BlobTooLargeException(maxBytes);
        }
        reserve(n);
        reserved += n;
        hash(digester, chunk, n, index);
        data.write(chunk, 0, n);
        accepted(key, data);
      }
      BlobDigester.Digests digests = digester.finish();
      synchronized (this) {
        blobs.put(key, data.toByteArray());
      }
      published = true;
      return new BlobWriteResult(
          key, url(key), size, digests.checksum(), digests.algorithm(), digests.multihash());
    } finally {
      if (!published) {
        abandon(key, data.toByteArray(), reserved);
      }
      synchronized (this) {
        writing.remove(key);
      }
    }
  }

  /** Claims the key for a write, refusing a stored or claimed key. */
  protected synchronized void claim(BlobKey key) throws BlobExistsException {
    if (blobs.containsKey(key) || !writing.add(key)) {
      throw new BlobExistsException("blob " + key + " exists or is being written");
    }
  }

  /** Whether {@code size} bytes read so far exceed the limit. */
  protected boolean tooLarge(long size, long maxBytes) {
    return size > maxBytes;
  }

  /** Hashes the {@code index}th chunk. */
  protected void hash(BlobDigester digester, byte[] chunk, int n, int index) {
    digester.update(chunk, 0, n);
  }

  /** Called after each chunk is kept; a correct store does nothing here. */
  protected void accepted(BlobKey key, ByteArrayOutputStream soFar) {}

  /** Cleans up after a failed write that kept {@code partial} and reserved {@code reserved}. */
  protected synchronized void abandon(BlobKey key, byte[] partial, long reserved) {
    used -= reserved;
  }

  /** Whether {@code bytes} more fit when {@code free} are free. */
  protected boolean fits(long bytes, long free) {
    return bytes <= free;
  }

  private synchronized void reserve(long bytes) throws StoreFullException {
    if (!fits(bytes, total - used)) {
      throw new StoreFullException("store simple is full: " + used + " of " + total);
    }
    used += bytes;
  }

  @Override
  public InputStream read(BlobKey key) throws IOException {
    byte[] blob = find(key);
    return new ByteArrayInputStream(blob);
  }

  @Override
  public InputStream read(BlobKey key, long offset, long length) throws IOException {
    byte[] blob = find(key);
    Objects.checkFromIndexSize(offset, length, blob.length);
    return slice(blob, (int) offset, (int) length);
  }

  /** The stream of {@code length} bytes of {@code blob} from {@code offset}. */
  protected InputStream slice(byte[] blob, int offset, int length) {
    return new ByteArrayInputStream(blob, offset, length);
  }

  protected synchronized byte[] find(BlobKey key) throws BlobNotFoundException {
    byte[] blob = blobs.get(Objects.requireNonNull(key, "key"));
    if (blob == null) {
      throw new BlobNotFoundException("no blob " + key);
    }
    return blob;
  }

  @Override
  public synchronized OptionalLong size(BlobKey key) {
    byte[] blob = blobs.get(Objects.requireNonNull(key, "key"));
    return blob == null ? OptionalLong.empty() : OptionalLong.of(blob.length);
  }

  @Override
  public synchronized boolean delete(BlobKey key) throws IOException {
    byte[] blob = blobs.remove(Objects.requireNonNull(key, "key"));
    if (blob == null) {
      return false;
    }
    used -= blob.length;
    return true;
  }

  @Override
  public synchronized Capacity capacity() {
    return new Capacity(total, used);
  }

  @Override
  public synchronized List<BlobKey> keys() {
    return List.copyOf(blobs.keySet());
  }

  @Override
  public String url(BlobKey key) {
    return "simple://" + key;
  }
}
