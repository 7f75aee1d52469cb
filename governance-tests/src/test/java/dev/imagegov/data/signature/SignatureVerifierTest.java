package dev.imagegov.data.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.testkit.fixture.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final byte[] DATA = "the bytes of a golden image".repeat(1000)
      .getBytes(StandardCharsets.UTF_8);

  private static KeyPair rsa;
  private static KeyPair ecP384;
  private static KeyPair ecP521;
  private static KeyPair dsa;
  private final InMemoryCertificateSource certificates = new InMemoryCertificateSource();

  @BeforeAll
  static void generateKeys() throws GeneralSecurityException {
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(2048);
    rsa = r.generateKeyPair();
    KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
    e.initialize(new ECGenParameterSpec("secp384r1"));
    ecP384 = e.generateKeyPair();
    e.initialize(new ECGenParameterSpec("secp521r1"));
    ecP521 = e.generateKeyPair();
    KeyPairGenerator d = KeyPairGenerator.getInstance("DSA");
    d.initialize(2048);
    dsa = d.generateKeyPair();
  }

  private String certify(KeyPair keys, Instant notBefore, Instant notAfter)
      throws GeneralSecurityException {
    String id = java.util.UUID.nameUUIDFromBytes(keys.getPublic().getEncoded()) + "-"
        + notBefore.getEpochSecond();
    certificates.put(id, TestCertificates.selfSigned(keys, notBefore, notAfter));
    return id;
  }

  private String certify(KeyPair keys) throws GeneralSecurityException {
    return certify(keys, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
  }

  /** Signs as cursive's users do: RSA-PSS with MGF1(hash) and the maximum salt length. */
  private static String sign(KeyPair keys, String keyType, String hash, byte[] data)
      throws GeneralSecurityException {
    Signature s;
    String digest = hash.replace("-", "");
    if (keyType.equals("RSA-PSS")) {
      s = Signature.getInstance("RSASSA-PSS");
      int bits = ((RSAPublicKey) keys.getPublic()).getModulus().bitLength();
      int hashLength = java.security.MessageDigest.getInstance(hash).getDigestLength();
      int salt = (bits - 1 + 7) / 8 - hashLength - 2;
      s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt, 1));
    } else if (keyType.equals("DSA")) {
      s = Signature.getInstance(digest + "withDSA");
    } else {
      s = Signature.getInstance(digest + "withECDSA");
    }
    s.initSign(keys.getPrivate());
    s.update(data);
    return Base64.getEncoder().encodeToString(s.sign());
  }

  private static Map<String, String> properties(
      String signature, String hash, String keyType, String certificateId) {
    Map<String, String> p = new HashMap<>();
    p.put(SignatureVerifier.SIGNATURE, signature);
    p.put(SignatureVerifier.HASH_METHOD, hash);
    p.put(SignatureVerifier.KEY_TYPE, keyType);
    p.put(SignatureVerifier.CERTIFICATE_UUID, certificateId);
    p.put("os_distro", "debian");
    return p;
  }

  private SignatureVerifier verifier(Map<String, String> properties) {
    return SignatureVerifier.forImage(properties, certificates, CLOCK).orElseThrow();
  }

  private static void feed(SignatureVerifier verifier, byte[] data) {
    for (int off = 0; off < data.length; off += 1000) {
      verifier.update(data, off, Math.min(1000, data.length - off));
    }
  }

  private static GovernanceException refusal(Runnable action) {
    GovernanceException e = catchThrowableOfType(GovernanceException.class, action::run);
    assertThat(e).as("expected a refusal").isNotNull();
    assertThat(e.code()).isEqualTo(RuleCode.SIGNATURE_INVALID);
    assertThat(e.httpStatus()).isEqualTo(400);
    return e;
  }

  @Test
  void goodSignaturesVerifyForEveryKeyTypeAndHash() throws Exception {
    String rsaCert = certify(rsa);
    String p384Cert = certify(ecP384);
    String p521Cert = certify(ecP521);
    String dsaCert = certify(dsa);
    for (String hash : new String[] {"SHA-224", "SHA-256", "SHA-384", "SHA-512"}) {
      Object[][] cases = {
        {rsa, "RSA-PSS", rsaCert}, {ecP384, "ECC_SECP384R1", p384Cert},
        {ecP521, "ECC_SECP521R1", p521Cert}, {dsa, "DSA", dsaCert}
      };
      for (Object[] c : cases) {
        KeyPair keys = (KeyPair) c[0];
        String keyType = (String) c[1];
        SignatureVerifier v = verifier(
            properties(sign(keys, keyType, hash, DATA), hash, keyType, (String) c[2]));
        feed(v, DATA);
        assertThatCode(v::verify).as(keyType + " " + hash).doesNotThrowAnyException();
      }
    }
  }

  @Test
  void signatureMadeByPythonCryptographyAsCursiveVerifiesIt() throws Exception {
    byte[] data = "imagegov cross-check: signed by python cryptography as cursive verifies"
        .getBytes(StandardCharsets.US_ASCII);
    certificates.put("rsa-vector", parse(CursiveVectors.RSA_CERT));
    certificates.put("ec-vector", parse(CursiveVectors.EC_CERT));
    SignatureVerifier rsaPss = verifier(
        properties(CursiveVectors.RSA_PSS_SHA256_SIG, "SHA-256", "RSA-PSS", "rsa-vector"));
    feed(rsaPss, data);
    rsaPss.verify();
    SignatureVerifier ecdsa = verifier(
        properties(CursiveVectors.ECDSA_SHA384_SIG, "SHA-384", "ECC_SECP384R1", "ec-vector"));
    feed(ecdsa, data);
    ecdsa.verify();
  }

  private static X509Certificate parse(String base64Der) throws GeneralSecurityException {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Der)));
  }

  @Test
  void tamperedDataIsRefused() throws Exception {
    String cert = certify(rsa);
    SignatureVerifier v =
        verifier(properties(sign(rsa, "RSA-PSS", "SHA-256", DATA), "SHA-256", "RSA-PSS", cert));
    byte[] tampered = DATA.clone();
    tampered[tampered.length / 2] ^= 1;
    feed(v, tampered);
    assertThat(refusal(v::verify)).hasMessageContaining("does not match");
  }

  @Test
  void truncatedDataIsRefused() throws Exception {
    String cert = certify(ecP384);
    SignatureVerifier v = verifier(properties(
        sign(ecP384, "ECC_SECP384R1", "SHA-384", DATA), "SHA-384", "ECC_SECP384R1", cert));
    feed(v, java.util.Arrays.copyOf(DATA, DATA.length - 1));
    refusal(v::verify);
  }

  @Test
  void signatureOfAnotherKeyIsRefused() throws Exception {
    KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
    r.initialize(2048);
    KeyPair other = r.generateKeyPair();
    String cert = certify(rsa);
    SignatureVerifier v = verifier(
        properties(sign(other, "RSA-PSS", "SHA-256", DATA), "SHA-256", "RSA-PSS", cert));
    feed(v, DATA);
    refusal(v::verify);
  }

  @Test
  void wrongHashMethodDoesNotVerify() throws Exception {
    String cert = certify(rsa);
    SignatureVerifier v =
        verifier(properties(sign(rsa, "RSA-PSS", "SHA-256", DATA), "SHA-512", "RSA-PSS", cert));
    feed(v, DATA);
    refusal(v::verify);
  }

  @Test
  void rsaPssWithShortSaltIsRefusedAsCursiveRefusesIt() throws Exception {
    String cert = certify(rsa);
    Signature s = Signature.getInstance("RSASSA-PSS");
    s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    s.initSign(rsa.getPrivate());
    s.update(DATA);
    String sig = Base64.getEncoder().encodeToString(s.sign());
    SignatureVerifier v = verifier(properties(sig, "SHA-256", "RSA-PSS", cert));
    feed(v, DATA);
    refusal(v::verify);
  }

  @Test
  void unknownHashMethodIsRefusedBeforeAnyData() throws Exception {
    String cert = certify(rsa);
    assertThat(refusal(() -> verifier(properties("AAAA", "MD5", "RSA-PSS", cert))))
        .hasMessageContaining("Invalid signature hash method: MD5");
    refusal(() -> verifier(properties("AAAA", "sha-256", "RSA-PSS", cert)));
  }

  @Test
  void unknownKeyTypeIsRefused() throws Exception {
    String cert = certify(rsa);
    assertThat(refusal(() -> verifier(properties("AAAA", "SHA-256", "RSA-PKCS1", cert))))
        .hasMessageContaining("Invalid signature key type: RSA-PKCS1");
  }

  @Test
  void certificateOfAnotherKeyFamilyIsRefused() throws Exception {
    String cert = certify(ecP384);
    assertThat(refusal(() -> verifier(properties("AAAA", "SHA-256", "RSA-PSS", cert))))
        .hasMessageContaining("Invalid public key type");
    String dsaCert = certify(dsa);
    refusal(() -> verifier(properties("AAAA", "SHA-256", "ECC_SECP384R1", dsaCert)));
  }

  @Test
  void missingCertificateIsRefused() {
    assertThat(refusal(() -> verifier(properties("AAAA", "SHA-256", "RSA-PSS", "no-such-id"))))
        .hasMessage("Certificate not found with ID: no-such-id");
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    String cert = certify(rsa, NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1)));
    assertThat(refusal(() -> verifier(properties("AAAA", "SHA-256", "RSA-PSS", cert))))
        .hasMessageContaining("is not valid after");
  }

  @Test
  void certificateNotYetValidIsRefused() throws Exception {
    String cert = certify(rsa, NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(400)));
    assertThat(refusal(() -> verifier(properties("AAAA", "SHA-256", "RSA-PSS", cert))))
        .hasMessageContaining("is not valid before");
  }

  @Test
  void signatureThatIsNotBase64IsRefused() throws Exception {
    String cert = certify(rsa);
    assertThat(refusal(() -> verifier(properties("@@@", "SHA-256", "RSA-PSS", cert))))
        .hasMessageContaining("base64");
    refusal(() -> verifier(properties("QUJD=X", "SHA-256", "RSA-PSS", cert)));
  }

  @Test
  void malformedEcdsaSignatureIsRefusedAtVerify() throws Exception {
    String cert = certify(ecP384);
    SignatureVerifier v = verifier(properties(
        Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}), "SHA-384", "ECC_SECP384R1",
        cert));
    feed(v, DATA);
    refusal(v::verify);
  }

  @Test
  void noSignaturePropertiesMeansNoVerification() {
    assertThat(SignatureVerifier.forImage(Map.of("os_distro", "debian"), certificates, CLOCK))
        .isEmpty();
  }

  @Test
  void someButNotAllSignaturePropertiesAreRefused() {
    Map<String, String> partial = Map.of(
        SignatureVerifier.SIGNATURE, "AAAA", SignatureVerifier.HASH_METHOD, "SHA-256");
    assertThat(refusal(() -> SignatureVerifier.forImage(partial, certificates, CLOCK)))
        .hasMessageContaining("img_signature_key_type")
        .hasMessageContaining("img_signature_certificate_uuid");
  }

  @Test
  void wrappedStreamFeedsTheVerifier() throws Exception {
    String cert = certify(dsa);
    SignatureVerifier v =
        verifier(properties(sign(dsa, "DSA", "SHA-256", DATA), "SHA-256", "DSA", cert));
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    try (InputStream in = v.wrap(new ByteArrayInputStream(DATA))) {
      copy.write(in.read());
      in.transferTo(copy);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(copy.toByteArray()).isEqualTo(DATA);
    v.verify();
  }

  @Test
  void sinkFeedsTheVerifier() throws Exception {
    String cert = certify(ecP521);
    SignatureVerifier v = verifier(properties(
        sign(ecP521, "ECC_SECP521R1", "SHA-512", DATA), "SHA-512", "ECC_SECP521R1", cert));
    v.sink().write(DATA);
    v.verify();
  }
}
