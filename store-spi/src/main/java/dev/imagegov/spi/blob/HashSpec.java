package dev.imagegov.spi.blob;

import java.util.Objects;

/**
 * What a write hashes: always MD5 (Glance's {@code checksum}) and one multihash algorithm
 * (Glance's {@code os_hash_algo}, {@code sha512} by default).
 */
public final class HashSpec {
  private static final HashSpec DEFAULT = new HashSpec(HashAlgorithm.SHA512);

  private final HashAlgorithm multihash;

  private HashSpec(HashAlgorithm multihash) {
    this.multihash = multihash;
  }

  /**
   * {@return MD5 plus {@code multihash}}
   *
   * @param multihash the algorithm of {@code os_hash_value}
   */
  public static HashSpec of(HashAlgorithm multihash) {
    return new HashSpec(Objects.requireNonNull(multihash, "multihash"));
  }

  /** {@return MD5 plus SHA-512, Glance's default} */
  public static HashSpec defaults() {
    return DEFAULT;
  }

  /** {@return the multihash algorithm} */
  public HashAlgorithm multihash() {
    return multihash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashSpec && ((HashSpec) o).multihash.equals(multihash);
  }

  @Override
  public int hashCode() {
    return multihash.hashCode();
  }

  @Override
  public String toString() {
    return "md5+" + multihash;
  }
}
