package dev.imagegov.internal;

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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default staging store ({@code os_glance_staging_store}) when the builder is given none: blobs
 * in heap chunks of at most 1 MiB, published when their write completes. Core cannot use the
 * memory store module (it depends on core's SPI only), so this is a minimal store with the same
 * guarantees: atomic visibility, nothing left by a failed write, keys written once, unbounded
 * capacity. Staged data is transient: a deployment that stages large images supplies a store on
 * disk.
 */
public final class StagingArea implements BlobStore {
  /** Glance's reserved id of the staging store. */
  static final StoreId ID = StoreId.of("os_glance_staging_store");

  private static final int CHUNK = 1 << 20;

  private final ConcurrentHashMap<BlobKey, List<byte[]>> blobs = new ConcurrentHashMap<>();
  private final Set<BlobKey> writing = ConcurrentHashMap.newKeySet();
  private final AtomicLong used = new AtomicLong();

  @Override
  public StoreId id() {
    return ID;
  }

  @Override
  public BlobWriteResult write(BlobKey key, InputStream in, long maxBytes, HashSpec hashes)
      throws IOException {
    Objects.requireNonNull(in, "in");
    if (!writing.add(Objects.requireNonNull(key, "key"))) {
      throw new BlobExistsException("blob " + key + " is being staged");
    }
    List<byte[]> chunks = new ArrayList<>();
    long[] size = {0};
    boolean published = false;
    try {
      if (blobs.containsKey(key)) {
        throw new BlobExistsException("blob " + key + " is staged already");
      }
      BlobDigester digester = BlobDigester.inline(hashes);
      BlobTransfer.transfer(
          in,
          maxBytes,
          CHUNK,
          digester,
          (chunk, length) -> {
            chunks.add(Arrays.copyOf(chunk, length));
            size[0] += length;
            used.addAndGet(length);
            return false;
          });
      BlobDigester.Digests d = digester.finish();
      blobs.put(key, Collections.unmodifiableList(chunks));
      published = true;
      return new BlobWriteResult(
          key, url(key), size[0], d.checksum(), d.algorithm(), d.multihash());
    } finally {
      if (!published) {
        used.addAndGet(-size[0]);
      }
      writing.remove(key);
    }
  }

  @Override
  public InputStream read(BlobKey key) throws IOException {
    List<byte[]> chunks = find(key);
    List<InputStream> parts = new ArrayList<>();
    for (byte[] c : chunks) {
      parts.add(new ByteArrayInputStream(c));
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }

  @Override
  public InputStream read(BlobKey key, long offset, long length) throws IOException {
    List<byte[]> chunks = find(key);
    Objects.checkFromIndexSize(offset, length, total(chunks));
    List<InputStream> parts = new ArrayList<>();
    long at = 0;
    long end = offset + length;
    for (byte[] c : chunks) {
      long from = Math.max(offset, at);
      long to = Math.min(end, at + c.length);
      if (from < to) {
        parts.add(new ByteArrayInputStream(c, (int) (from - at), (int) (to - from)));
      }
      at += c.length;
    }
    return new SequenceInputStream(Collections.enumeration(parts));
  }

  private List<byte[]> find(BlobKey key) throws BlobNotFoundException {
    List<byte[]> chunks = blobs.get(Objects.requireNonNull(key, "key"));
    if (chunks == null) {
      throw new BlobNotFoundException("no staged blob " + key);
    }
    return chunks;
  }

  private static long total(List<byte[]> chunks) {
    long n = 0;
    for (byte[] c : chunks) {
      n += c.length;
    }
    return n;
  }

  @Override
  public OptionalLong size(BlobKey key) {
    List<byte[]> chunks = blobs.get(Objects.requireNonNull(key, "key"));
    return chunks == null ? OptionalLong.empty() : OptionalLong.of(total(chunks));
  }

  @Override
  public boolean delete(BlobKey key) {
    List<byte[]> chunks = blobs.remove(Objects.requireNonNull(key, "key"));
    if (chunks == null) {
      return false;
    }
    used.addAndGet(-total(chunks));
    return true;
  }

  @Override
  public Capacity capacity() {
    return new Capacity(Long.MAX_VALUE, used.get());
  }

  @Override
  public List<BlobKey> keys() {
    return List.copyOf(blobs.keySet());
  }

  @Override
  public String url(BlobKey key) {
    return "staging://" + key;
  }
}
