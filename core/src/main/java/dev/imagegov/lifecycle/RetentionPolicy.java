package dev.imagegov.lifecycle;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A family's retention policy: keep the newest N active versions and deprecate the older ones
 * (rule {@code keep-newest}); make a version obsolete once it has been deprecated for a period
 * ({@code obsolete-after}); delete it once it has been obsolete for a period ({@code
 * delete-after}). Protected versions and versions the usage port reports in use are never
 * touched. {@link Lifecycle#plan} evaluates it to a {@link LifecyclePlan}. Immutable.
 */
public final class RetentionPolicy {
  /** The name of the rule that deprecates versions older than the newest N active ones. */
  public static final String KEEP_NEWEST = "keep-newest";
  /** The name of the rule that obsoletes versions deprecated for long enough. */
  public static final String OBSOLETE_AFTER = "obsolete-after";
  /** The name of the rule that deletes versions obsolete for long enough. */
  public static final String DELETE_AFTER = "delete-after";

  private final int keepNewest;
  private final @Nullable Duration obsoleteAfter;
  private final @Nullable Duration deleteAfter;

  private RetentionPolicy(
      int keepNewest, @Nullable Duration obsoleteAfter, @Nullable Duration deleteAfter) {
    this.keepNewest = keepNewest;
    this.obsoleteAfter = obsoleteAfter;
    this.deleteAfter = deleteAfter;
  }

  /**
   * Keeps the newest {@code n} active versions and deprecates the others.
   *
   * @param n how many active versions to keep, at least 1
   * @return the policy that keeps the newest {@code n} and deprecates the rest
   * @throws GovernanceException 400 {@code INVALID_LIFECYCLE_VALUE} if {@code n < 1}
   */
  public static RetentionPolicy keepNewest(int n) {
    if (n < 1) {
      throw GovernanceException.of(RuleCode.INVALID_LIFECYCLE_VALUE,
          "A retention policy keeps at least 1 version, not " + n + ".");
    }
    return new RetentionPolicy(n, null, null);
  }

  /**
   * {@return this policy, also obsoleting versions deprecated for at least {@code period}}
   *
   * @param period how long a version stays deprecated before it becomes obsolete
   */
  public RetentionPolicy obsoleteAfter(Duration period) {
    return new RetentionPolicy(keepNewest, checked(period), deleteAfter);
  }

  /**
   * {@return this policy, also deleting versions obsolete for at least {@code period}}
   *
   * @param period how long a version stays obsolete before it is deleted
   */
  public RetentionPolicy deleteAfter(Duration period) {
    return new RetentionPolicy(keepNewest, obsoleteAfter, checked(period));
  }

  private static Duration checked(Duration period) {
    Objects.requireNonNull(period, "period");
    if (period.isNegative()) {
      throw GovernanceException.of(RuleCode.INVALID_LIFECYCLE_VALUE,
          "A retention period must not be negative: " + period + ".");
    }
    return period;
  }

  /** {@return how many active versions are kept} */
  public int keepNewestCount() {
    return keepNewest;
  }

  /**
   * {@return how long a version stays deprecated before it becomes obsolete, if the policy says}
   */
  public Optional<Duration> obsoleteAfterPeriod() {
    return Optional.ofNullable(obsoleteAfter);
  }

  /** {@return how long a version stays obsolete before it is deleted, if the policy says} */
  public Optional<Duration> deleteAfterPeriod() {
    return Optional.ofNullable(deleteAfter);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetentionPolicy p
        && keepNewest == p.keepNewest
        && Objects.equals(obsoleteAfter, p.obsoleteAfter)
        && Objects.equals(deleteAfter, p.deleteAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keepNewest, obsoleteAfter, deleteAfter);
  }

  @Override
  public String toString() {
    return KEEP_NEWEST + " " + keepNewest
        + (obsoleteAfter == null ? "" : ", " + OBSOLETE_AFTER + " " + obsoleteAfter)
        + (deleteAfter == null ? "" : ", " + DELETE_AFTER + " " + deleteAfter);
  }
}
