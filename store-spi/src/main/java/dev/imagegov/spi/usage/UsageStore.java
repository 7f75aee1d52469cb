package dev.imagegov.spi.usage;

import dev.imagegov.model.ProjectId;

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
