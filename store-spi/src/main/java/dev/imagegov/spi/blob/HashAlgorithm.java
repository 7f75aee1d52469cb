package dev.imagegov.spi.blob;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.error.ConfigurationException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Objects;

/**
 * A multihash algorithm, named as Glance's {@code hashing_algorithm} names it (Python {@code
 * hashlib} names such as {@code sha512}, {@code sha256}, {@code sha3_512}) and mapped to the
 * JDK's {@link MessageDigest} name. Only fixed-length digests are supported (hashlib's {@code
 * shake_*} need a length and {@code blake2*} are not in the JDK).
 */
public final class HashAlgorithm {
  private static final ImmutableMap<String, String> JDK_NAMES =
      ImmutableMap.<String, String>builder()
          .put("md5", "MD5")
          .put("sha1", "SHA-1")
          .put("sha224", "SHA-224")
          .put("sha256", "SHA-256")
          .put("sha384", "SHA-384")
          .put("sha512", "SHA-512")
          .put("sha512_224", "SHA-512/224")
          .put("sha512_256", "SHA-512/256")
          .put("sha3_224", "SHA3-224")
          .put("sha3_256", "SHA3-256")
          .put("sha3_384", "SHA3-384")
          .put("sha3_512", "SHA3-512")
          .buildOrThrow();

  /** Glance's default, {@code sha512}. */
  public static final HashAlgorithm SHA512 = new HashAlgorithm("sha512", "SHA-512");

  /** MD5, Glance's {@code checksum}. */
  public static final HashAlgorithm MD5 = new HashAlgorithm("md5", "MD5");

  private final String glanceName;
  private final String jdkName;

  private HashAlgorithm(String glanceName, String jdkName) {
    this.glanceName = glanceName;
    this.jdkName = jdkName;
  }

  /**
   * The algorithm with this {@code hashlib} name (case-insensitive, as hashlib accepts it).
   *
   * @param glanceName a name as Glance's {@code hashing_algorithm} option takes it ({@code sha512},
   *     ...)
   * @return the algorithm with this {@code hashlib} name (case-insensitive, as hashlib accepts it)
   * @throws ConfigurationException for a name the JDK
   *     cannot compute
   */
  public static HashAlgorithm of(String glanceName) {
    Objects.requireNonNull(glanceName, "glanceName");
    String name = glanceName.toLowerCase(Locale.ROOT);
    String jdk = JDK_NAMES.get(name);
    if (jdk == null) {
      throw new ConfigurationException("hashing_algorithm '" + glanceName + "' is not supported; use one of "
              + JDK_NAMES.keySet());
    }
    return new HashAlgorithm(name, jdk);
  }

  /** {@return the {@code hashlib} name, recorded as the image's {@code os_hash_algo}} */
  public String glanceName() {
    return glanceName;
  }

  /** {@return the JDK {@link MessageDigest} name} */
  public String jdkName() {
    return jdkName;
  }

  /** {@return a fresh digest} */
  public MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(jdkName);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + jdkName, e);
    }
  }

  /** {@return the length of this algorithm's hex digest} */
  public int hexLength() {
    return newDigest().getDigestLength() * 2;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashAlgorithm && ((HashAlgorithm) o).glanceName.equals(glanceName);
  }

  @Override
  public int hashCode() {
    return glanceName.hashCode();
  }

  @Override
  public String toString() {
    return glanceName;
  }
}
