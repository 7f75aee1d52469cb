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
  /** Checks the values. */
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
