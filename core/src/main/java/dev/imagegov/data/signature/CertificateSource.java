package dev.imagegov.data.signature;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Where signing certificates come from, by the id an image names in {@code
 * img_signature_certificate_uuid} (Glance asks its key manager, Barbican, through castellan).
 * Implementations must be thread-safe. An implementation that cannot reach its backend may throw
 * a {@link dev.imagegov.error.GovernanceException}; an unknown id is {@link Optional#empty()}.
 */
@FunctionalInterface
public interface CertificateSource {

  /**
   * {@return the certificate stored under {@code certificateId}, if there is one}
   *
   * @param certificateId the UUID of {@code img_signature_certificate_uuid}
   */
  Optional<X509Certificate> find(String certificateId);
}
