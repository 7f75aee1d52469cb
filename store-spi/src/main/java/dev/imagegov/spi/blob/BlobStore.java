package dev.imagegov.spi.blob;

import dev.imagegov.model.StoreId;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;

/**
 * The blob-store port: a named store ({@link #id()}, Glance's {@code enabled_backends} id) of
 * image data. A store owns no governance rule — core decides what is written where and how much
 * may be — but it guarantees the following.
 *
 * <ol>
 *   <li><b>One pass, bounded memory.</b> {@link #write} reads its stream once, in chunks of
 *       bounded size, computing the size, the MD5 {@code checksum} and the multihash of {@link
 *       HashSpec} on the way. It never holds the whole blob in one array; it may hold it in many
 *       bounded chunks (the memory store does). It reads at most {@code maxBytes + 1} bytes.
 *   <li><b>Atomic visibility.</b> A blob becomes visible to {@link #read}, {@link #size}, {@link
 *       #keys} and {@link #delete} only when its write returns normally, wholly and at once.
 *   <li><b>Nothing left behind.</b> A write that fails for any reason — its stream throws,
 *       more than {@code maxBytes} are offered ({@link BlobTooLargeException}), the store fills
 *       ({@link StoreFullException}), the thread is interrupted — leaves no blob, no partial data
 *       and no capacity in use.
 *   <li><b>No torn reads.</b> A stream returned by {@link #read} yields exactly the bytes of the
 *       blob as it was when the read began, even if the blob is deleted meanwhile (the store may
 *       then fail the stream with an {@link IOException}, but never yields other bytes).
 *   <li><b>Keys are written once.</b> A write to a key that holds a blob, or that another write
 *       is filling, fails with {@link BlobExistsException} and changes nothing; delete the blob
 *       first.
 *   <li><b>Idempotent delete.</b> {@link #delete} of an absent key returns {@code false} and
 *       changes nothing; after it returns, the key is absent and its capacity released.
 *   <li><b>Capacity.</b> {@link #capacity()} counts stored blobs and writes in progress; the
 *       store refuses, with {@link StoreFullException}, a write that would exceed its total.
 * </ol>
 *
 * <p>Implementations are safe for concurrent use; concurrent writes of different keys proceed in
 * parallel. Bad arguments (null, a negative offset or limit, a range outside the blob) are
 * programming errors answered with {@link NullPointerException}, {@link
 * IllegalArgumentException} or {@link IndexOutOfBoundsException}. {@link BlobTransfer} and
 * {@link BlobDigester} implement the streaming and hashing rules for any store.
 */
public interface BlobStore {
  /** {@return the store's id, as images' locations name it} */
  StoreId id();

  /**
   * Streams {@code in} into a new blob under {@code key}, hashing it as {@code hashes} says. The
   * stream is read to its end but not closed (the caller owns it).
   *
   * @param maxBytes the most bytes the blob may hold; one byte more fails the write
   * @param key the blob's key in this store
   * @param in the bytes to write, read to the end or to the limit; not closed
   * @param hashes which digests to compute while streaming: MD5 and the multihash
   * @return the stored blob's size, hashes and URL
   * @throws BlobTooLargeException if {@code in} holds more than {@code maxBytes} bytes
   * @throws StoreFullException if the store's capacity would be exceeded
   * @throws BlobExistsException if {@code key} holds a blob or is being written
   * @throws IOException if {@code in} fails or the store's medium does; in every case the write
   *     left nothing behind
   */
  BlobWriteResult write(BlobKey key, InputStream in, long maxBytes, HashSpec hashes)
      throws IOException;

  /**
   * A stream of the whole blob; the caller closes it.
   *
   * @param key the blob's key in this store
   * @return a stream of the whole blob; the caller closes it
   * @throws BlobNotFoundException if {@code key} holds no blob
   */
  InputStream read(BlobKey key) throws IOException;

  /**
   * A stream of {@code length} bytes of the blob starting at {@code offset}; the caller closes
   * it.
   *
   * @param key the blob's key in this store
   * @param offset the first byte to read, counted from 0
   * @param length how many bytes to read
   * @return a stream of {@code length} bytes of the blob starting at {@code offset}; the caller
   *     closes it
   * @throws BlobNotFoundException if {@code key} holds no blob
   * @throws IndexOutOfBoundsException if the range does not lie within the blob
   */
  InputStream read(BlobKey key, long offset, long length) throws IOException;

  /**
   * {@return the size of the blob under {@code key}, or empty if there is none}
   *
   * @param key the blob's key in this store
   */
  OptionalLong size(BlobKey key);

  /**
   * {@return whether {@code key} holds a (completely written) blob}
   *
   * @param key the blob's key in this store
   */
  default boolean exists(BlobKey key) {
    return size(key).isPresent();
  }

  /**
   * Deletes the blob under {@code key}, if any; idempotent.
   *
   * @param key the blob's key in this store
   * @return whether a blob was deleted
   * @throws IOException if the store's medium fails (the blob is then still present)
   */
  boolean delete(BlobKey key) throws IOException;

  /** {@return the store's capacity now} */
  Capacity capacity();

  /** {@return the keys of the completely written blobs, a snapshot in no particular order} */
  List<BlobKey> keys();

  /**
   * {@return the URL this store gives the blob under {@code key} (its location URL)}
   *
   * @param key the blob's key in this store
   */
  String url(BlobKey key);
}
