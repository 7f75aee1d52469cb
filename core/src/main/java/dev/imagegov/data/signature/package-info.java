/**
 * Image signature verification as Glance does it with the {@code cursive} library: when an image
 * carries {@code img_signature}, {@code img_signature_hash_method}, {@code
 * img_signature_key_type} and {@code img_signature_certificate_uuid}, its data must verify
 * against the public key of that certificate.
 *
 * <p>Start with {@link dev.imagegov.data.signature.SignatureVerifier#forImage}; certificates come
 * from a {@link dev.imagegov.data.signature.CertificateSource} such as {@link
 * dev.imagegov.data.signature.InMemoryCertificateSource}.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>The four signature properties (all or none), the hash methods and key types accepted,
 *       the certificate's key family and validity, and the verification of the streamed data.
 * </ul>
 */
@NullMarked
package dev.imagegov.data.signature;

import org.jspecify.annotations.NullMarked;
