package dev.imagegov.spi.blob;

import java.util.Objects;

/**
 * What a completed write stored: the key, the URL the store gives it (recorded as the image's
 * location), the size in bytes, the MD5 hex {@code checksum} and the multihash with its
 * algorithm.
 */
public record BlobWriteResult(
    BlobKey key,
    String url,
    long size,
    String checksum,
    HashAlgorithm multihashAlgorithm,
    String multihash) {
  /**
   * Checks the values.
   *
   * @param checksum the MD5 hex digest of the data
   * @param key the key the blob was written under
   * @param multihash the hex digest under {@code multihashAlgorithm}
   * @param multihashAlgorithm Glance's name of the multihash algorithm ({@code os_hash_algo})
   * @param size the bytes written, at least 0
   * @param url the location of the blob in its store
   */
  public BlobWriteResult {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(multihashAlgorithm, "multihashAlgorithm");
    Objects.requireNonNull(multihash, "multihash");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
  }
}
