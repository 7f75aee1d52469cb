package dev.imagegov.spi;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import org.jspecify.annotations.Nullable;

/**
 * The refusals the {@link Catalog} contract names, with the messages Glance gives, so that every
 * catalog implementation refuses alike: a known id on insert, and a missing or stale image on
 * compare-and-set or delete.
 */
public final class CatalogRefusals {
  private CatalogRefusals() {}

  /** {@link ErrorCode#DUPLICATE_IMAGE_ID}: {@code Image ID <id> already exists!}. */
  public static GovernanceException duplicateId(ImageId id) {
    return GovernanceException.of(
        ErrorCode.DUPLICATE_IMAGE_ID, "Image ID " + id + " already exists!");
  }

  /**
   * {@code found}, the live image {@code id} or null if there is none, if it is at {@code
   * expectedVersion}.
   *
   * @throws GovernanceException {@link ErrorCode#IMAGE_NOT_FOUND} if {@code found} is null; {@link
   *     ErrorCode#STALE_VERSION} if its version is not {@code expectedVersion}
   */
  public static Image atVersion(ImageId id, @Nullable Image found, long expectedVersion) {
    if (found == null) {
      throw GovernanceException.of(ErrorCode.IMAGE_NOT_FOUND, "No image found with ID " + id);
    }
    if (found.version() != expectedVersion) {
      throw GovernanceException.of(
          ErrorCode.STALE_VERSION,
          "Image "
              + id
              + " was changed concurrently: expected version "
              + expectedVersion
              + ", found "
              + found.version());
    }
    return found;
  }
}
