package dev.imagegov.spi.usage;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CompareAndSetResult;
import java.time.Instant;
import java.util.Objects;

/**
 * The usage port: what each project consumes (committed usage) and what work in progress holds
 * (reservations: bytes being uploaded or staged, uploads in progress, images being created). It
 * is the one owner of usage: catalogs keep none, and core reads every figure it reports or checks
 * a limit against from here. A usage store owns no rule: core decides what an image change
 * contributes ({@link UsageDelta}) and which limit applies; the store adds up and guarantees the
 * following.
 *
 * <ol>
 *   <li><b>Check-and-reserve is atomic.</b> {@link Reservation#tryGrow} grows a reservation only
 *       if the project's committed usage of the kind plus everything reserved of it (by every
 *       reservation, of every node sharing the store) plus the growth stays within the limit,
 *       decided in one step: concurrent reservations never together overshoot a limit.
 *   <li><b>Settling is one step.</b> {@link Reservation#settle} records a committed change and
 *       converts what the reservation holds of each kind the change increases into committed
 *       usage at once: no reader ever sees the same bytes both committed and reserved, and no
 *       concurrent reservation is refused because of such a double count.
 *   <li><b>Release.</b> {@link Reservation#close} releases what the reservation still holds;
 *       closing twice releases nothing more.
 *   <li><b>Record.</b> {@link #record} adds a committed change no reservation covers.
 *   <li><b>Read.</b> {@link #snapshot} is one project's committed and reserved usage read in one
 *       step; every figure is exactly the sum of what was recorded, settled, held and released.
 *   <li><b>Image change and usage together.</b> {@link #compareAndSet}, {@link #insert}, {@link
 *       #delete} and {@link #undelete} make a catalog write and apply the {@link UsageCommit} it
 *       causes if, and only if, the catalog accepted the write. The defaults make the two calls one
 *       after the other (right for a store in this JVM, where a crash loses both); a store that
 *       shares a transaction with its catalog overrides them to commit both in that one
 *       transaction, so that a node that dies between the two cannot leave the catalog changed and
 *       the usage not (or the reverse). Core's kernel makes every image write through them.
 * </ol>
 *
 * <p>Limits are given by the caller per call (a negative limit is no limit): the store does not
 * know them. Implementations must be safe for concurrent use.
 *
 * <p><b>Implementing it on a shared database</b>, so that several application nodes on one
 * catalog hold hard quotas together: keep a committed row per project (and per store for stored
 * bytes) and a row per open reservation. {@code tryGrow} is one transaction that locks the
 * project's committed row, sums it with the live reservation rows and either raises this
 * reservation's row or changes nothing; {@code settle} is one transaction that adds to the
 * committed rows and lowers the reservation's row; {@code close} deletes the row. Give each
 * reservation row a lease renewed by every call on it, and count only unexpired rows, so that the
 * reservations of a node that died lapse instead of holding a quota forever. The memory
 * implementation ({@link MemoryUsageStore}) serves one JVM and needs no lease.
 */
public interface UsageStore {
  /**
   * Opens an empty reservation for {@code project}; close it when the work ends.
   *
   * @param project the project the reservation holds usage for
   * @return the reservation, holding nothing yet
   */
  Reservation open(ProjectId project);

  /**
   * Adds a committed change that no reservation covers.
   *
   * @param delta the committed change, of one project
   */
  void record(UsageDelta delta);

  /**
   * {@return {@code project}'s committed and reserved usage, read in one step}
   *
   * @param project the project whose usage is read
   */
  UsageSnapshot snapshot(ProjectId project);

  /**
   * {@return committed plus reserved usage of {@code kind} for {@code project}}
   *
   * @param project the project whose usage is read
   * @param kind the kind of usage (bytes stored, bytes staged, uploads, images)
   */
  default long usage(ProjectId project, UsageKind kind) {
    return snapshot(project).usage(kind);
  }

  /**
   * {@link Catalog#compareAndSet} and, if the replacement was stored, {@code usage} applied with
   * it: both or neither.
   *
   * @param catalog the catalog the image lives in
   * @param expectedVersion the version the change was based on
   * @param replacement the image to store in place of the live one with its id
   * @param usage the usage the change causes (computed from the current image and {@code
   *     replacement})
   * @return what {@link Catalog#compareAndSet} answers; on a refusal no usage changed
   */
  default CompareAndSetResult compareAndSet(
      Catalog catalog, long expectedVersion, Image replacement, UsageCommit usage) {
    Objects.requireNonNull(usage, "usage");
    CompareAndSetResult result = catalog.compareAndSet(expectedVersion, replacement);
    if (result instanceof CompareAndSetResult.Stored) {
      usage.applyTo(this);
    }
    return result;
  }

  /**
   * {@link Catalog#insert} and, if it inserted, {@code usage} applied with it: both or neither.
   *
   * @param catalog the catalog the image is inserted in
   * @param image the image as stored
   * @param usage the usage the new image causes
   * @return the stored image, at version 1
   * @throws GovernanceException as {@link Catalog#insert} (no usage changed)
   */
  default Image insert(Catalog catalog, Image image, UsageCommit usage) {
    Objects.requireNonNull(usage, "usage");
    Image stored = catalog.insert(image);
    usage.applyTo(this);
    return stored;
  }

  /**
   * {@link Catalog#delete} and, if it deleted, {@code usage} applied with it: both or neither.
   *
   * @param catalog the catalog the image lives in
   * @param id the image's id
   * @param expectedVersion the version the deletion was based on
   * @param finalStatus {@link ImageStatus#DELETED} or {@link ImageStatus#PENDING_DELETE}
   * @param at when it happens
   * @param usage the usage the deletion causes (computed from the current image)
   * @return the tombstone now standing for the image
   * @throws GovernanceException as {@link Catalog#delete} (no usage changed)
   */
  default Tombstone delete(Catalog catalog, ImageId id, long expectedVersion,
      ImageStatus finalStatus, Instant at, UsageCommit usage) {
    Objects.requireNonNull(usage, "usage");
    Tombstone tombstone = catalog.delete(id, expectedVersion, finalStatus, at);
    usage.applyTo(this);
    return tombstone;
  }

  /**
   * {@link Catalog#undelete} and, if it restored the image, {@code usage} applied with it: both or
   * neither. Core computes {@code usage} from the image the tombstone keeps before it calls this;
   * if the image was restored or its deletion finished meanwhile, the catalog refuses and no usage
   * is applied. The default makes the two calls one after the other (a crash between them loses
   * both in a store of this JVM); a store sharing a transaction with the catalog commits both in
   * it. Null arguments are refused before the catalog is called. Safe for concurrent use, as the
   * store is.
   *
   * @param catalog the catalog that holds the image pending delete
   * @param id the image's id
   * @param at when it happens
   * @param usage the usage the restored image brings back (computed from the image its tombstone
   *     kept)
   * @return the restored image, as {@link Catalog#undelete} answers it
   * @throws GovernanceException as {@link Catalog#undelete}: {@link
   *     dev.imagegov.error.StoreErrorCode#IMAGE_NOT_PENDING_DELETE} if the image is live, its
   *     deletion is finished or its tombstone keeps no image, {@link
   *     dev.imagegov.error.StoreErrorCode#IMAGE_NOT_FOUND} if the id is unknown (in every refusal
   *     neither the catalog nor the usage changed)
   * @throws NullPointerException if an argument is null (nothing changed)
   */
  default Image undelete(Catalog catalog, ImageId id, Instant at, UsageCommit usage) {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(usage, "usage");
    Image restored = catalog.undelete(id, at);
    usage.applyTo(this);
    return restored;
  }

  /**
   * Amounts held for one piece of work in one project. Grow it before consuming, settle what the
   * work committed, close it when the work ends. Not for use by several threads at once.
   */
  interface Reservation extends AutoCloseable {
    /** {@return the project charged} */
    ProjectId project();

    /**
     * Reserves {@code amount} more of {@code kind} if the project's committed usage plus
     * everything reserved plus {@code amount} stays within {@code limit} (negative: unlimited),
     * in one atomic step.
     *
     * @param kind the kind of usage (bytes stored, bytes staged, uploads, images)
     * @param amount how much more to reserve, at least 0
     * @param limit the project's limit of {@code kind}
     * @return whether the reservation grew (if not, nothing changed)
     * @throws IllegalArgumentException if {@code amount} is negative
     * @throws IllegalStateException if the reservation is closed
     */
    boolean tryGrow(UsageKind kind, long amount, long limit);

    /**
     * {@return what this reservation holds of {@code kind}}
     *
     * @param kind the kind of usage (bytes stored, bytes staged, uploads, images)
     */
    long held(UsageKind kind);

    /**
     * Records {@code committed}, a change of this reservation's project, and in the same atomic
     * step converts what this reservation holds into it: for every kind the change increases,
     * the held amount drops by as much of the increase as it covers. Usage (committed plus
     * reserved) thus grows only by the part of the change the reservation did not cover.
     *
     * @param committed the change that committed, of this reservation's project
     * @throws IllegalArgumentException if {@code committed} is of another project
     * @throws IllegalStateException if the reservation is closed
     */
    void settle(UsageDelta committed);

    /** Releases everything still held; harmless if already closed. */
    @Override
    void close();
  }
}
