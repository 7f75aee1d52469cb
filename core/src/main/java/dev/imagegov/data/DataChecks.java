package dev.imagegov.data;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.data.inspect.FormatInspector;
import dev.imagegov.data.inspect.InspectionResult;
import dev.imagegov.data.inspect.RegionReader;
import dev.imagegov.data.signature.CertificateSource;
import dev.imagegov.data.signature.SignatureVerifier;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The checks image data passes before an image becomes active, on every path that writes data
 * (upload, glance-direct, web-download):
 *
 * <ul>
 *   <li><b>Signature</b>: when the image's properties ask for it, a {@link SignatureVerifier}
 *       (built before any byte is read) follows the data as it streams; the signature is checked
 *       after the last byte, before the image is saved.
 *   <li><b>Format inspection</b>: for {@code bare} containers (as Glance master), the written
 *       blob is inspected through positional reads ({@link BlobStore#read(BlobKey, long, long)}),
 *       so headers at the end of the data (a fixed VHD's footer) and far metadata (VHDX) are seen
 *       as well as the first bytes. With {@code require_image_format_match} unsafe data and data
 *       that is not its {@code disk_format} are refused (415); the header's virtual size is
 *       recorded when the data is safe and matches. Other containers wrap the disk in their own
 *       structure, so their content is neither inspected nor refused.
 * </ul>
 *
 * <p>Writing first and inspecting the stored blob costs one more read of a few small regions;
 * the caller deletes the blob when a check refuses it, so a refused image keeps no data.
 */
final class DataChecks {
  private DataChecks() {}

  /**
   * A verifier for {@code image}'s signature properties, or empty when it asks for none.
   *
   * @throws GovernanceException {@link RuleCode#SIGNATURE_INVALID} (400) for incomplete or
   *     malformed properties or an unusable certificate
   */
  static Optional<SignatureVerifier> verifierFor(
      CertificateSource certificates, Clock clock, Image image) {
    return SignatureVerifier.forImage(image.properties(), certificates, clock);
  }

  /** Whether the format inspector looks at {@code image}'s data (a {@code bare} container). */
  static boolean inspects(Image image) {
    return image.containerFormat().map("bare"::equals).orElse(false);
  }

  /**
   * Inspects the blob of {@code size} bytes under {@code key} in {@code store} against {@code
   * image}'s {@code disk_format}.
   *
   * @return the virtual size to record (empty if the data is not inspected, not recognised as
   *     its format, or unsafe while the match is not required)
   * @throws GovernanceException 415 {@link RuleCode#UNSAFE_IMAGE} or {@link
   *     RuleCode#IMAGE_FORMAT_MISMATCH} with {@code require_image_format_match}; 503 if the store
   *     cannot be read
   */
  static OptionalLong inspect(
      GovernanceConfig config, Image image, BlobStore store, BlobKey key, long size) {
    if (!inspects(image) || image.diskFormat().isEmpty()) {
      return OptionalLong.empty();
    }
    InspectionResult result;
    try {
      result = FormatInspector.inspect(new BlobRegions(store, key, size));
    } catch (UncheckedIOException e) {
      throw GovernanceException.of(
          StoreErrorCode.STORE_FAILED,
          "Store " + store.id() + " failed while the image data was inspected: "
              + e.getCause().getMessage(),
          e);
    }
    String diskFormat = image.diskFormat().get();
    if (config.requireImageFormatMatch()) {
      result.check(diskFormat);
    } else if (!result.isSafe() || !result.matches(diskFormat)) {
      return OptionalLong.empty();
    }
    return result.virtualSize();
  }

  /** Positional reads of a stored blob of known size, for the inspector. */
  private static final class BlobRegions implements RegionReader {
    private final BlobStore store;
    private final BlobKey key;
    private final long size;

    BlobRegions(BlobStore store, BlobKey key, long size) {
      this.store = store;
      this.key = key;
      this.size = size;
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws IOException {
      if (position < 0 || position >= size) {
        return -1;
      }
      int n = (int) Math.min(length, size - position);
      if (n == 0) {
        return 0;
      }
      try (InputStream in = store.read(key, position, n)) {
        return in.readNBytes(buffer, offset, n);
      }
    }

    @Override
    public OptionalLong size() {
      return OptionalLong.of(size);
    }
  }
}
