package dev.imagegov.spi;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Tombstone;
import org.jspecify.annotations.Nullable;

/**
 * The refusals the {@link Catalog} contract names, with the messages Glance gives, so that every
 * catalog implementation refuses alike: a known id on insert, and a missing or stale image on
 * compare-and-set or delete.
 */
public final class CatalogRefusals {
  private CatalogRefusals() {}

  /**
   * {@return {@link StoreErrorCode#DUPLICATE_IMAGE_ID}: {@code Image ID <id> already exists!}}
   *
   * @param id the image's id
   */
  public static GovernanceException duplicateId(ImageId id) {
    return GovernanceException.of(
        StoreErrorCode.DUPLICATE_IMAGE_ID, "Image ID " + id + " already exists!");
  }

  /**
   * {@return {@link StoreErrorCode#IMAGE_NOT_PENDING_DELETE}, Glance's {@code image_restore}
   * refusal: {@code cannot restore the image from <status> to active (wanted
   * from_state=pending_delete)}}
   *
   * @param id the image's id
   * @param status the image's status now ({@code active}, {@code deleted}, ...)
   * @param what what was asked: {@code restore} or {@code finish the deletion of}
   */
  public static GovernanceException notPendingDelete(ImageId id, String status, String what) {
    return GovernanceException.of(StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
        "Image " + id + ": cannot " + what + " the image from " + status
            + " (wanted from_state=pending_delete)");
  }

  /**
   * The refusal of {@link Catalog#undelete} or {@link Catalog#finishDeletion} of {@code id}, given
   * what the catalog holds; null if {@code tombstone} is pending delete (and, for a restore, keeps
   * its image).
   *
   * @param id the image's id
   * @param live the live image with this id, or null
   * @param tombstone the tombstone of this id, or null
   * @param restore whether a restore is asked (it also needs the kept image)
   * @return the refusal to throw, or null if the change may proceed
   */
  public static @Nullable GovernanceException notRestorable(ImageId id, @Nullable Image live,
      @Nullable Tombstone tombstone, boolean restore) {
    String what = restore ? "restore" : "finish the deletion of";
    if (live != null) {
      return notPendingDelete(id, live.status().wireName(), what);
    }
    if (tombstone == null) {
      return GovernanceException.of(StoreErrorCode.IMAGE_NOT_FOUND, "No image found with ID " + id);
    }
    if (tombstone.status() != ImageStatus.PENDING_DELETE) {
      return notPendingDelete(id, tombstone.status().wireName(), what);
    }
    if (restore && tombstone.retained().isEmpty()) {
      return GovernanceException.of(StoreErrorCode.IMAGE_NOT_PENDING_DELETE, "Image " + id
          + " was deleted before its catalog kept pending-delete images: it cannot be restored");
    }
    return null;
  }

  /**
   * The refusal of a compare-and-set or delete of {@code id} at {@code expectedVersion}, given
   * {@code found}, the live image {@code id} or null if there is none: {@link
   * CompareAndSetResult.Missing}, {@link CompareAndSetResult.Stale}, or null if {@code found} is
   * at the expected version and the write may proceed.
   *
   * @param id the image's id
   * @param found the image the lookup found
   * @param expectedVersion the version the change was based on; a different stored version makes it
   *     stale
   * @return the refusal of a compare-and-set or delete of {@code id} at {@code expectedVersion},
   *     given {@code found}, the live image {@code id} or null if there is none: {@link
   *     CompareAndSetResult.Missing}, {@link CompareAndSetResult.Stale}, or null if {@code found}
   *     is at the expected version and the write may proceed
   */
  public static CompareAndSetResult.@Nullable Refusal refusal(
      ImageId id, @Nullable Image found, long expectedVersion) {
    if (found == null) {
      return new CompareAndSetResult.Missing(id);
    }
    if (found.version() != expectedVersion) {
      return new CompareAndSetResult.Stale(id, expectedVersion, found.version());
    }
    return null;
  }

  /**
   * {@code found}, the live image {@code id} or null if there is none, if it is at {@code
   * expectedVersion}.
   *
   * <p>For {@link Catalog#delete} (which throws rather than answers). It decides on {@code found}
   * as read: the caller must hold whatever makes that read and its write one atomic step (the
   * catalog's lock, or a database transaction that locks the row, {@code SELECT … FOR UPDATE}). A
   * catalog that reads without such a lock and writes with a version condition ({@code UPDATE …
   * WHERE version = ?}) must check the write's row count too, and a count of zero means the image
   * changed between the read and the write: read again and call this again (retry) rather than
   * answer stale from the old read, since the new version may be the expected one no longer or
   * the image may be gone. A {@code STALE_VERSION} this answers is final for the catalog: core's
   * kernel retries it by re-reading the image and re-running its change, so a catalog must not
   * retry the caller's write on its own (it may retry a transaction the database aborted for a
   * serialization failure, which is not a stale version).
   *
   * @param id the image's id
   * @param found the image the lookup found
   * @param expectedVersion the version the change was based on; a different stored version makes it
   *     stale
   * @return {@code found}, the live image {@code id} or null if there is none, if it is at {@code
   *     expectedVersion}
   * @throws GovernanceException {@link StoreErrorCode#IMAGE_NOT_FOUND} if {@code found} is null; {@link
   *     StoreErrorCode#STALE_VERSION} if its version is not {@code expectedVersion}
   */
  public static Image atVersion(ImageId id, @Nullable Image found, long expectedVersion) {
    CompareAndSetResult refusal = refusal(id, found, expectedVersion);
    if (refusal != null) {
      refusal.orElseThrow();
    }
    return found;
  }
}
