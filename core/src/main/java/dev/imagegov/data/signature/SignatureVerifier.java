package dev.imagegov.data.signature;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.spi.blob.ObservingInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies an image's data against the signature its properties declare, while the data streams
 * by, as Glance does with {@code cursive} ({@code signature_utils.get_verifier}).
 *
 * <p>The four properties: {@value #SIGNATURE} (the base64 signature of the image data), {@value
 * #HASH_METHOD} ({@code SHA-224}, {@code SHA-256}, {@code SHA-384} or {@code SHA-512}), {@value
 * #KEY_TYPE} ({@code RSA-PSS}, {@code DSA}, or {@code ECC_SECP384R1}, {@code ECC_SECP521R1},
 * {@code ECC_SECT409K1}, {@code ECC_SECT409R1}, {@code ECC_SECT571K1}, {@code ECC_SECT571R1}) and
 * {@value #CERTIFICATE_UUID} (the id of the signing certificate in a {@link CertificateSource}).
 * RSA-PSS uses MGF1 with the signature's hash and the largest salt the key allows (cursive's
 * {@code PSS.MAX_LENGTH}); ECDSA and DSA signatures are DER-encoded. The certificate's key must
 * be of the key type's family (RSA, DSA, EC); as in cursive, the curve an {@code ECC_*} name gives
 * is not compared with the key's. Java 17 has no binary ({@code SECT*}) curves: a certificate
 * whose key is on one is refused with a message saying so.
 *
 * <p>Everything is checked when the verifier is built, before any data is read: properties,
 * base64, hash method, key type, and the certificate (present, of the right key type, and valid
 * now by the {@link Clock}). Glance does not validate trust chains, and neither does this.
 *
 * <p><b>Difference from Glance:</b> Glance skips verification unless all four properties are set;
 * imagegov refuses an image that sets only some of them (as Nova does when it verifies), since
 * such an image claims a signature nobody can check.
 *
 * <p>Not thread-safe: one verifier follows one data stream. Every refusal is a {@link
 * GovernanceException} with {@link RuleCode#SIGNATURE_INVALID} (400).
 */
public final class SignatureVerifier {
  /** The base64-encoded signature of the image data. */
  public static final String SIGNATURE = "img_signature";
  /** The hash method the signature was computed with. */
  public static final String HASH_METHOD = "img_signature_hash_method";
  /** The type of the signing key. */
  public static final String KEY_TYPE = "img_signature_key_type";
  /** The id of the signing certificate. */
  public static final String CERTIFICATE_UUID = "img_signature_certificate_uuid";

  private static final ImmutableList<String> PROPERTIES =
      ImmutableList.of(SIGNATURE, HASH_METHOD, KEY_TYPE, CERTIFICATE_UUID);
  private static final ImmutableMap<String, Integer> HASH_LENGTHS =
      ImmutableMap.of("SHA-224", 28, "SHA-256", 32, "SHA-384", 48, "SHA-512", 64);
  private static final ImmutableMap<String, Class<? extends PublicKey>> KEY_TYPES =
      ImmutableMap.<String, Class<? extends PublicKey>>builder()
          .put("RSA-PSS", RSAPublicKey.class)
          .put("DSA", DSAPublicKey.class)
          .put("ECC_SECT571K1", ECPublicKey.class)
          .put("ECC_SECT409K1", ECPublicKey.class)
          .put("ECC_SECT571R1", ECPublicKey.class)
          .put("ECC_SECT409R1", ECPublicKey.class)
          .put("ECC_SECP521R1", ECPublicKey.class)
          .put("ECC_SECP384R1", ECPublicKey.class)
          .build();

  private final Signature signature;
  private final byte[] expected;
  private final String certificateId;
  private boolean verified;

  private SignatureVerifier(Signature signature, byte[] expected, String certificateId) {
    this.signature = signature;
    this.expected = expected;
    this.certificateId = certificateId;
  }

  /**
   * {@return whether {@code properties} set any of the four signature properties}
   *
   * @param properties the extra properties by name
   */
  public static boolean isRequested(Map<String, String> properties) {
    return PROPERTIES.stream().anyMatch(properties::containsKey);
  }

  /**
   * A verifier for an image with {@code properties}, or empty when the image sets none of the
   * four signature properties.
   *
   * @param properties the extra properties by name
   * @param certificates where the signing certificate is looked up
   * @param clock the source of the current time
   * @return a verifier for an image with {@code properties}, or empty when the image sets none of
   *     the four signature properties
   * @throws GovernanceException {@link RuleCode#SIGNATURE_INVALID} if only some properties are
   *     set, the signature is not base64, the hash method or key type is unknown, or the
   *     certificate is missing, of another key type, not yet valid, expired, or unsupported
   */
  public static Optional<SignatureVerifier> forImage(
      Map<String, String> properties, CertificateSource certificates, Clock clock) {
    Objects.requireNonNull(certificates, "certificates");
    Objects.requireNonNull(clock, "clock");
    if (!isRequested(properties)) {
      return Optional.empty();
    }
    List<String> missing = new ArrayList<>();
    for (String name : PROPERTIES) {
      if (!properties.containsKey(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw refusal("Required image properties for signature verification do not exist; "
          + "missing: " + String.join(", ", missing));
    }
    byte[] decoded = decodeSignature(properties.get(SIGNATURE));
    String hashMethod = properties.get(HASH_METHOD);
    if (!HASH_LENGTHS.containsKey(hashMethod)) {
      throw refusal("Invalid signature hash method: " + hashMethod
          + " (expected one of " + String.join(", ", HASH_LENGTHS.keySet()) + ")");
    }
    String keyType = properties.get(KEY_TYPE);
    Class<? extends PublicKey> keyClass = KEY_TYPES.get(keyType);
    if (keyClass == null) {
      throw refusal("Invalid signature key type: " + keyType
          + " (expected one of " + String.join(", ", KEY_TYPES.keySet()) + ")");
    }
    String certificateId = properties.get(CERTIFICATE_UUID);
    X509Certificate certificate = certificates.find(certificateId)
        .orElseThrow(() -> refusal("Certificate not found with ID: " + certificateId));
    checkValidity(certificate, certificateId, clock);
    PublicKey key = certificate.getPublicKey();
    if (!keyClass.isInstance(key)) {
      throw refusal("Invalid public key type for signature key type: " + keyType
          + " (certificate " + certificateId + " has a " + key.getAlgorithm() + " key)");
    }
    return Optional.of(new SignatureVerifier(
        initialize(hashMethod, keyType, key, certificateId), decoded, certificateId));
  }

  private static byte[] decodeSignature(String text) {
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(text.replaceAll("\\s+", ""));
    } catch (IllegalArgumentException e) {
      throw refusal("The signature data was not properly encoded using base64", e);
    }
    if (decoded.length == 0) {
      throw refusal("The signature data is empty");
    }
    return decoded;
  }

  private static void checkValidity(X509Certificate cert, String certificateId, Clock clock) {
    try {
      cert.checkValidity(Date.from(clock.instant()));
    } catch (CertificateNotYetValidException e) {
      throw refusal("Certificate " + certificateId + " is not valid before: "
          + cert.getNotBefore().toInstant(), e);
    } catch (CertificateExpiredException e) {
      throw refusal("Certificate " + certificateId + " is not valid after: "
          + cert.getNotAfter().toInstant(), e);
    }
  }

  private static Signature initialize(
      String hashMethod, String keyType, PublicKey key, String certificateId) {
    String digest = hashMethod.replace("-", "");
    try {
      Signature sig;
      if (keyType.equals("RSA-PSS")) {
        sig = Signature.getInstance("RSASSA-PSS");
        int modulusBits = ((RSAPublicKey) key).getModulus().bitLength();
        int encodedLength = (modulusBits - 1 + 7) / 8;
        int saltLength = encodedLength - HASH_LENGTHS.get(hashMethod) - 2;
        if (saltLength < 0) {
          throw refusal("The RSA key of certificate " + certificateId
              + " is too small for " + hashMethod);
        }
        sig.setParameter(new PSSParameterSpec(
            hashMethod, "MGF1", new MGF1ParameterSpec(hashMethod), saltLength, 1));
        sig.initVerify(key);
      } else if (keyType.equals("DSA")) {
        sig = Signature.getInstance(digest + "withDSA");
        sig.initVerify(key);
      } else {
        sig = Signature.getInstance(digest + "withECDSA");
        sig.initVerify(key);
      }
      return sig;
    } catch (InvalidKeyException e) {
      throw refusal("The public key of certificate " + certificateId
          + " is not supported by this Java runtime for " + keyType
          + " (Java 17 has no binary SECT* curves)", e);
    } catch (GeneralSecurityException e) {
      throw refusal("Error occurred while creating the verifier for " + keyType
          + " with " + hashMethod + ": " + e.getMessage(), e);
    }
  }

  /**
   * Feeds {@code length} bytes of image data from {@code bytes} at {@code offset}.
   *
   * @param bytes holds the data
   * @param offset where the bytes start in {@code bytes}
   * @param length how many bytes
   */
  public void update(byte[] bytes, int offset, int length) {
    if (verified) {
      throw new IllegalStateException("verify() was already called");
    }
    try {
      signature.update(bytes, offset, length);
    } catch (SignatureException e) {
      throw new IllegalStateException("verifier is not initialized", e);
    }
  }

  /**
   * A stream that reads {@code data} and feeds every byte it returns to this verifier. Call
   * {@link #verify()} after reading it to the end.
   *
   * @param data the image data, read to the end; not closed
   * @return a stream that reads {@code data} and feeds every byte it returns to this verifier
   */
  public InputStream wrap(InputStream data) {
    return new ObservingInputStream(data) {
      @Override
      protected void onBytes(byte[] b, int off, int len) {
        update(b, off, len);
      }
    };
  }

  /**
   * A sink: bytes written to it are fed to this verifier. Closing it does nothing.
   *
   * @return a sink: bytes written to it are fed to this verifier
   */
  public OutputStream sink() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        update(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        update(b, off, len);
      }
    };
  }

  /**
   * Checks the signature against all the data fed so far. Call once, after the last byte.
   *
   * @throws GovernanceException {@link RuleCode#SIGNATURE_INVALID} if the signature does not
   *     match the data or is malformed
   */
  public void verify() {
    if (verified) {
      throw new IllegalStateException("verify() was already called");
    }
    verified = true;
    boolean ok;
    try {
      ok = signature.verify(expected);
    } catch (SignatureException e) {
      throw refusal("Signature verification failed: the signature is malformed for the key of "
          + "certificate " + certificateId, e);
    }
    if (!ok) {
      throw refusal("Signature verification failed: the image data does not match "
          + "img_signature for certificate " + certificateId);
    }
  }

  private static GovernanceException refusal(String message) {
    return GovernanceException.of(RuleCode.SIGNATURE_INVALID, message);
  }

  private static GovernanceException refusal(String message, Throwable cause) {
    return GovernanceException.of(RuleCode.SIGNATURE_INVALID, message, cause);
  }
}
