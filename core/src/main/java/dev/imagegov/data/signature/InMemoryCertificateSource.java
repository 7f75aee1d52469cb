package dev.imagegov.data.signature;

import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CertificateSource} held in memory: certificates are added and removed by id.
 * Thread-safe.
 */
public final class InMemoryCertificateSource implements CertificateSource {
  private final Map<String, X509Certificate> certificates = new ConcurrentHashMap<>();

  /**
   * Stores {@code certificate} under {@code certificateId}, replacing any earlier one.
   *
   * @param certificateId the certificate's UUID
   * @param certificate the signing certificate
   * @return this object, for chaining
   */
  public InMemoryCertificateSource put(String certificateId, X509Certificate certificate) {
    certificates.put(
        Objects.requireNonNull(certificateId, "certificateId"),
        Objects.requireNonNull(certificate, "certificate"));
    return this;
  }

  /**
   * Removes the certificate stored under {@code certificateId}, if any.
   *
   * @param certificateId the certificate's UUID
   */
  public void remove(String certificateId) {
    certificates.remove(certificateId);
  }

  @Override
  public Optional<X509Certificate> find(String certificateId) {
    return Optional.ofNullable(certificates.get(certificateId));
  }
}
