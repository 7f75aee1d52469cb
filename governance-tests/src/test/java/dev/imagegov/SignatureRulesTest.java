package dev.imagegov;

import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.data.imports.ImportRequest;
import dev.imagegov.data.imports.ImportTask;
import dev.imagegov.data.imports.TaskStatus;
import dev.imagegov.data.signature.InMemoryCertificateSource;
import dev.imagegov.data.signature.SignatureVerifier;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.testkit.fixture.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signature verification on upload and import (reference §10.5): when an image's properties ask
 * for it, its data must match {@code img_signature} under the certificate the {@code
 * CertificateSource} gives; otherwise 400 (or a failed import task), the image back in {@code
 * queued}, nothing stored and no usage. Keys and certificates are generated in the test.
 */
class SignatureRulesTest {
  private static final byte[] DATA =
      "the bytes of a signed golden image ".repeat(2000).getBytes(StandardCharsets.US_ASCII);
  private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2027-01-01T00:00:00Z");

  private static KeyPair rsa;
  private static KeyPair ec;

  private final InMemoryCertificateSource certificates = new InMemoryCertificateSource();
  private final ImportFixtures f =
      new ImportFixtures(
          GovernanceConfig.defaults(), b -> b.certificates(certificates), Long.MAX_VALUE);

  @BeforeAll
  static void generateKeys() throws GeneralSecurityException {
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(2048);
    rsa = r.generateKeyPair();
    KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
    e.initialize(new ECGenParameterSpec("secp384r1"));
    ec = e.generateKeyPair();
  }

  /** Signs as cursive's users do: RSA-PSS with MGF1 and the largest salt, else DER ECDSA. */
  private static String sign(KeyPair keys, String keyType, byte[] data)
      throws GeneralSecurityException {
    Signature s;
    if (keyType.equals("RSA-PSS")) {
      s = Signature.getInstance("RSASSA-PSS");
      int bits = ((RSAPublicKey) keys.getPublic()).getModulus().bitLength();
      int salt = (bits - 1 + 7) / 8 - MessageDigest.getInstance("SHA-256").getDigestLength() - 2;
      s.setParameter(
          new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, salt, 1));
    } else {
      s = Signature.getInstance("SHA256withECDSA");
    }
    s.initSign(keys.getPrivate());
    s.update(data);
    return Base64.getEncoder().encodeToString(s.sign());
  }

  private Image signedImage(KeyPair keys, String keyType, byte[] signedData)
      throws GeneralSecurityException {
    String certificateId = "cert-" + keyType;
    certificates.put(certificateId, TestCertificates.selfSigned(keys, FROM, TO));
    Map<String, String> p = new HashMap<>();
    p.put(SignatureVerifier.SIGNATURE, sign(keys, keyType, signedData));
    p.put(SignatureVerifier.HASH_METHOD, "SHA-256");
    p.put(SignatureVerifier.KEY_TYPE, keyType);
    p.put(SignatureVerifier.CERTIFICATE_UUID, certificateId);
    return f.governance.images().create(
        PRODUCER,
        NewImage.builder().diskFormat("raw").containerFormat("bare").properties(p).build());
  }

  private void assertQueuedWithNothing(Image image) {
    Image after = f.stored(image.id());
    assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(after.size()).isEmpty();
    assertThat(after.locations()).isEmpty();
    assertThat(f.leftNothing(image.id(), PRODUCER)).isTrue();
  }

  @Test
  void uploadWithAGoodRsaPssSignatureBecomesActive() throws Exception {
    Image image = signedImage(rsa, "RSA-PSS", DATA);
    assertThat(f.upload(PRODUCER, image.id(), DATA).status()).isEqualTo(ImageStatus.ACTIVE);
  }

  @Test
  void uploadWithAGoodEccSignatureBecomesActive() throws Exception {
    Image image = signedImage(ec, "ECC_SECP384R1", DATA);
    assertThat(f.upload(PRODUCER, image.id(), DATA).status()).isEqualTo(ImageStatus.ACTIVE);
  }

  @Test
  void uploadOfDataThatDoesNotMatchTheSignatureIsRefusedAndLeavesNothing() throws Exception {
    Image image = signedImage(rsa, "RSA-PSS", "other bytes".getBytes(StandardCharsets.US_ASCII));
    Expect.fails(RuleCode.SIGNATURE_INVALID, () -> f.upload(PRODUCER, image.id(), DATA));
    assertQueuedWithNothing(image);
  }

  @Test
  void uploadWithAnUnknownCertificateIsRefusedBeforeAnyDataIsRead() throws Exception {
    Image image = signedImage(ec, "ECC_SECP384R1", DATA);
    certificates.remove("cert-ECC_SECP384R1");
    Expect.fails(RuleCode.SIGNATURE_INVALID, () -> f.upload(PRODUCER, image.id(), DATA));
    assertQueuedWithNothing(image);
  }

  @Test
  void uploadWithOnlySomeSignaturePropertiesIsRefused() {
    Image image = f.governance.images().create(
        PRODUCER,
        NewImage.builder().diskFormat("raw").containerFormat("bare")
            .putProperties(SignatureVerifier.SIGNATURE, "c2ln").build());
    Expect.fails(RuleCode.SIGNATURE_INVALID, () -> f.upload(PRODUCER, image.id(), DATA));
    assertQueuedWithNothing(image);
  }

  @Test
  void theDefaultCertificateSourceHasNoCertificates() throws Exception {
    ImportFixtures bare = new ImportFixtures();
    KeyPair keys = ec;
    Map<String, String> p = new HashMap<>();
    p.put(SignatureVerifier.SIGNATURE, sign(keys, "ECC_SECP384R1", DATA));
    p.put(SignatureVerifier.HASH_METHOD, "SHA-256");
    p.put(SignatureVerifier.KEY_TYPE, "ECC_SECP384R1");
    p.put(SignatureVerifier.CERTIFICATE_UUID, "anything");
    Image image = bare.governance.images().create(
        PRODUCER,
        NewImage.builder().diskFormat("raw").containerFormat("bare").properties(p).build());
    Expect.fails(RuleCode.SIGNATURE_INVALID, () -> bare.upload(PRODUCER, image.id(), DATA));
  }

  @Test
  void glanceDirectImportVerifiesTheSignature() throws Exception {
    Image good = signedImage(rsa, "RSA-PSS", DATA);
    f.stage(PRODUCER, good.id(), DATA);
    ImportTask ok = f.imports().importImage(PRODUCER, good.id(), ImportRequest.glanceDirect());
    assertThat(ok.status()).isEqualTo(TaskStatus.SUCCESS);
    assertThat(f.stored(good.id()).status()).isEqualTo(ImageStatus.ACTIVE);
  }

  @Test
  void glanceDirectImportOfBadlySignedDataFailsAndLeavesTheImageQueuedWithNothing()
      throws Exception {
    Image bad = signedImage(rsa, "RSA-PSS", "tampered".getBytes(StandardCharsets.US_ASCII));
    f.stage(PRODUCER, bad.id(), DATA);
    ImportTask task = f.imports().importImage(
        PRODUCER, bad.id(),
        ImportRequest.glanceDirect().withStores(
            java.util.List.of(ImportFixtures.FAST, ImportFixtures.CHEAP))
            .withAllStoresMustSucceed(false));
    assertThat(task.status()).isEqualTo(TaskStatus.FAILURE);
    assertThat(task.message()).contains("Signature verification failed");
    assertQueuedWithNothing(bad);
  }
}
