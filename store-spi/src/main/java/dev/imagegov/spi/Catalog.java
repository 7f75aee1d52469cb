package dev.imagegov.spi;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Tombstone;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The catalog port: where images live, each stored with its members, tags and properties as one
 * versioned aggregate. A catalog owns no governance rule; it stores what core hands it and
 * guarantees the following.
 *
 * <ol>
 *   <li><b>Read.</b> {@link #find} returns the latest committed version of a live image, never a
 *       deleted one.
 *   <li><b>Insert.</b> {@link #insert} stores a new image at version 1; an id that is live or was
 *       ever deleted is refused with {@link StoreErrorCode#DUPLICATE_IMAGE_ID} (OSSN-0075: ids are
 *       never reused).
 *   <li><b>Compare-and-set.</b> {@link #compareAndSet} replaces an image only if its stored
 *       version still equals the expected one, storing the replacement at the next version, and
 *       answers {@link CompareAndSetResult.Stored}; otherwise it changes nothing and answers
 *       {@link CompareAndSetResult.Stale} (the image is live at another version) or {@link
 *       CompareAndSetResult.Missing} (no live image has the id). It does not throw for either:
 *       losing a race is an expected outcome. Under contention exactly one of several updates
 *       based on the same version is stored.
 *   <li><b>Delete.</b> {@link #delete} removes a live image (with the same version check) and
 *       leaves a {@link Tombstone}; a {@code pending_delete} one keeps the image, which {@link
 *       #undelete} restores until {@link #finishDeletion} makes the tombstone {@code deleted};
 *       {@link #pendingDeletes} lists the ids of the {@code pending_delete} ones.
 *   <li><b>Query.</b> {@link #query} answers exactly what {@link QueryEvaluator#evaluate} answers
 *       over the live images.
 *   <li><b>Atomicity.</b> Every method is linearizable: a reader sees an image wholly before or
 *       wholly after a change.
 * </ol>
 *
 * <p>Implementations must be safe for concurrent use. Bad arguments (null, an image with a
 * deleted status given to insert) are programming errors answered with {@link
 * IllegalArgumentException} or {@link NullPointerException}.
 *
 * <p><b>When the backing database fails</b>, a method throws {@link GovernanceException}
 * (503, the underlying exception as its cause; never a raw {@code SQLException} or {@code
 * IOException}) with: {@link StoreErrorCode#CATALOG_UNAVAILABLE} when the database cannot be
 * reached, lost its connection or the catalog is closed (the message says whether a write's
 * outcome is unknown); {@link StoreErrorCode#CATALOG_CONTENDED} when the database kept aborting
 * the transaction as a serialization failure or deadlock after the catalog's own retries
 * (nothing changed); {@link StoreErrorCode#CATALOG_FAILED} when it refused a statement for
 * another reason (permissions, schema, full disk; with its SQLSTATE); {@link
 * StoreErrorCode#CATALOG_CORRUPT} for damaged files. A failure is never answered as {@link
 * CompareAndSetResult.Stale} or {@link CompareAndSetResult.Missing}: those say the write was
 * refused, and the caller would believe it. A failed write changed nothing or was committed
 * whole; when the catalog cannot know which (a lost commit acknowledgement), it says so, and the
 * caller reads the image again before it retries.
 *
 * <p>A catalog keeps no usage: what each project consumes and has reserved belongs to the usage
 * port, {@link dev.imagegov.spi.usage.UsageStore}, its one owner.
 */
public interface Catalog {
  /**
   * {@return the live image with this id, if any}
   *
   * @param id the image's id
   */
  Optional<Image> find(ImageId id);

  /**
   * {@return the tombstone of a deleted image with this id, if any}
   *
   * @param id the image's id
   */
  Optional<Tombstone> tombstone(ImageId id);

  /**
   * {@return whether this id is live or was ever deleted (and so cannot be inserted again)}
   *
   * @param id the image's id
   */
  default boolean isKnown(ImageId id) {
    return find(id).isPresent() || tombstone(id).isPresent();
  }

  /**
   * Inserts a new image, which must not have a deleted status.
   *
   * @param image the image as stored
   * @return the stored image, at version 1
   * @throws GovernanceException {@link StoreErrorCode#DUPLICATE_IMAGE_ID} if the id is known
   */
  Image insert(Image image);

  /**
   * Replaces a live image if its stored version is {@code expectedVersion}. The replacement's own
   * version is ignored; its status must not be a deleted one (use {@link #delete}).
   *
   * @param expectedVersion the version the change was based on; a different stored version makes it
   *     stale
   * @param replacement the image to store in place of the live one with its id
   * @return {@link CompareAndSetResult.Stored} with the replacement as stored, at {@code
   *     expectedVersion + 1}; {@link CompareAndSetResult.Stale} with the stored version if it
   *     differs; {@link CompareAndSetResult.Missing} if no live image has the replacement's id
   *     (in both refusals nothing changed)
   */
  CompareAndSetResult compareAndSet(long expectedVersion, Image replacement);

  /**
   * Deletes a live image if its stored version is {@code expectedVersion}, leaving a tombstone;
   * a {@code pending_delete} tombstone keeps the image as it was ({@link Tombstone#retained()}).
   *
   * @param finalStatus {@link ImageStatus#DELETED} or {@link ImageStatus#PENDING_DELETE}
   * @param id the image's id
   * @param expectedVersion the version the change was based on; a different stored version makes it
   *     stale
   * @param at when it happens
   * @return the tombstone now standing for the image
   * @throws GovernanceException {@link StoreErrorCode#STALE_VERSION} if the stored version differs;
   *     {@link StoreErrorCode#IMAGE_NOT_FOUND} if no live image has this id
   */
  Tombstone delete(ImageId id, long expectedVersion, ImageStatus finalStatus, Instant at);

  /**
   * Restores a {@code pending_delete} image (Glance's {@code glance-scrubber --restore}): the
   * image its tombstone keeps ({@link Tombstone#retained()}) is live again, exactly as it was
   * when deleted (status, members, properties, locations), with {@code updatedAt} set to {@code
   * at} and a version greater than any it had; the tombstone is gone. Linearizable with every
   * other write: of a restore and a concurrent {@link #finishDeletion}, exactly one succeeds.
   *
   * @param id the image's id
   * @param at when it happens
   * @return the restored image, as stored
   * @throws GovernanceException {@link StoreErrorCode#IMAGE_NOT_PENDING_DELETE} if the image is
   *     live, its deletion is finished, or its tombstone keeps no image; {@link
   *     StoreErrorCode#IMAGE_NOT_FOUND} if the id is unknown (in every refusal nothing changed)
   */
  Image undelete(ImageId id, Instant at);

  /**
   * Finishes the deletion of a {@code pending_delete} image once its data is gone (Glance's
   * scrubber): its tombstone becomes {@code deleted}, keeps its deletion time, and no longer
   * keeps the image, so {@link #undelete} refuses from then on.
   *
   * @param id the image's id
   * @return the tombstone now standing for the image
   * @throws GovernanceException {@link StoreErrorCode#IMAGE_NOT_PENDING_DELETE} if the image is
   *     live or its deletion is finished already; {@link StoreErrorCode#IMAGE_NOT_FOUND} if the id
   *     is unknown (in every refusal nothing changed)
   */
  Tombstone finishDeletion(ImageId id);

  /**
   * The ids of every image pending delete: each id whose tombstone's status is {@code
   * pending_delete} (whether it keeps the image or not), and no other (not a live image, not a
   * {@code deleted} tombstone, not one {@link #finishDeletion finished} or {@link #undelete
   * restored}). The scrub reads it to finish the deletion of an image whose data is gone from
   * every store; it reads each id's tombstone again before it acts, so a list that is out of date
   * by the time it is used does no harm. A scan of the deleted images: an operator's path, not a
   * request's.
   *
   * <p>An implementation must return a list that is not backed by the catalog (a later write does
   * not change it), never {@code null}, with each id once and in no particular order (a caller
   * must not rely on one). Like every method it is linearizable: the ids are those pending delete
   * at one instant during the call, never a mix of before and after a concurrent write.
   *
   * @return the ids of every image pending delete, in no particular order; empty if there is none
   * @throws GovernanceException {@link StoreErrorCode#CATALOG_UNAVAILABLE} (or another code
   *     above) if the database fails
   */
  List<ImageId> pendingDeletes();

  /**
   * One page of a list.
   *
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @return one page of a list
   * @throws GovernanceException {@link StoreErrorCode#INVALID_MARKER} if the marker names no live image
   */
  List<Image> query(CatalogQuery query);

  /** {@return the number of live images} */
  long size();

  /**
   * Calls {@code action} for every live image, in no particular order. The scan is weakly
   * consistent, not a snapshot: every image that is live for the whole scan is visited exactly
   * once, each at a version that was committed (never a torn one); an image inserted, changed or
   * deleted while the scan runs may be visited at its old version, its new one, or (inserted or
   * deleted meanwhile) not at all. A scan never blocks writers for its whole length. Core uses it
   * for reports and to fill a usage store from the catalog at start, never for a rule that needs
   * one consistent view.
   *
   * @param action called once per live image, on the calling thread; must not call back into
   *     this catalog
   * @throws GovernanceException {@link StoreErrorCode#CATALOG_UNAVAILABLE} (or another code
   *     above) if the database fails during the scan (some images may have been visited)
   */
  void forEach(Consumer<Image> action);
}
