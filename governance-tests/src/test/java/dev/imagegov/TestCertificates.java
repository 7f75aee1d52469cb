package dev.imagegov;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * (A copy of core's test helper, which governance-tests cannot see.) Builds self-signed X.509
 * certificates with a minimal DER encoder: the JDK parses certificates
 * but has no public API to create them, and a dozen lines of DER avoid a test dependency on
 * Bouncy Castle.
 */
final class TestCertificates {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private TestCertificates() {}

  /** A self-signed certificate for {@code keys}, signed with {@code keys} itself. */
  static X509Certificate selfSigned(KeyPair keys, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    String algorithm;
    byte[] algorithmId;
    switch (keys.getPublic().getAlgorithm()) {
      case "RSA":
        algorithm = "SHA256withRSA";
        algorithmId = seq(oid(1, 2, 840, 113549, 1, 1, 11), new byte[] {0x05, 0x00});
        break;
      case "EC":
        algorithm = "SHA256withECDSA";
        algorithmId = seq(oid(1, 2, 840, 10045, 4, 3, 2));
        break;
      case "DSA":
        algorithm = "SHA256withDSA";
        algorithmId = seq(oid(2, 16, 840, 1, 101, 3, 4, 3, 2));
        break;
      default:
        throw new IllegalArgumentException(keys.getPublic().getAlgorithm());
    }
    byte[] name = seq(set(seq(oid(2, 5, 4, 3),
        tlv(0x0C, "imagegov test signer".getBytes(StandardCharsets.UTF_8)))));
    byte[] tbs = seq(
        tlv(0xA0, integer(BigInteger.TWO)),
        integer(BigInteger.valueOf(notBefore.getEpochSecond())),
        algorithmId,
        name,
        seq(time(notBefore), time(notAfter)),
        name,
        keys.getPublic().getEncoded());
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(keys.getPrivate());
    signer.update(tbs);
    byte[] sig = signer.sign();
    byte[] bits = new byte[sig.length + 1];
    System.arraycopy(sig, 0, bits, 1, sig.length);
    byte[] der = seq(tbs, algorithmId, tlv(0x03, bits));
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] time(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] oid(long... arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, arcs[0] * 40 + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      base128(out, arcs[i]);
    }
    return tlv(0x06, out.toByteArray());
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = 1;
    for (long v = value >>> 7; v != 0; v >>>= 7) {
      groups++;
    }
    for (int g = groups - 1; g >= 0; g--) {
      int b = (int) ((value >>> (7 * g)) & 0x7F);
      out.write(g == 0 ? b : b | 0x80);
    }
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n);
    } else {
      out.write(0x83);
      out.write(n >> 16);
      out.write(n >> 8);
      out.write(n);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
