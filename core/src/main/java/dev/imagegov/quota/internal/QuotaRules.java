package dev.imagegov.quota.internal;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.quota.ImageUsage;
import dev.imagegov.quota.LimitSource;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.spi.usage.UsageCommit;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageStore;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Which limit applies to each usage kind, and the refusal Glance answers when it would be
 * exceeded: unified limits when a {@link dev.imagegov.quota.LimitSource} is configured, else
 * {@code user_storage_quota} for stored bytes and nothing for the rest. Not API: the quota rules
 * of {@code dev.imagegov.quota}, here so that the kernel and the use cases of other packages
 * reserve through them.
 */
public final class QuotaRules {
  private final GovernanceConfig config;
  private final UsageStore usage;

  /**
   * The rules of {@code config}'s limits over the usage in {@code usage}.
   *
   * @param config the configuration whose limits apply
   * @param usage where the usage the limits are checked against is kept
   */
  public QuotaRules(GovernanceConfig config, UsageStore usage) {
    this.config = config;
    this.usage = usage;
  }

  /**
   * Records a committed image change that no reservation covers.
   *
   * @param before the image before the change
   * @param after the image after the change
   */
  public void record(@Nullable Image before, @Nullable Image after) {
    for (UsageDelta d : ImageUsage.change(before, after)) {
      usage.record(d);
    }
  }

  /**
   * The usage of an image change that no reservation covers, to be committed with it.
   *
   * @param before the image before the change
   * @param after the image after the change
   * @return the changes, recorded as they are
   */
  public static UsageCommit recordedOf(@Nullable Image before, @Nullable Image after) {
    return UsageCommit.recorded(ImageUsage.change(before, after));
  }

  /**
   * {@return the unified limit that bounds {@code resource}}
   *
   * @param resource the kind of usage
   */
  public static UnifiedLimit unifiedFor(UsageKind resource) {
    switch (resource) {
      case STORED_BYTES:
        return UnifiedLimit.IMAGE_SIZE_TOTAL;
      case STAGED_BYTES:
        return UnifiedLimit.IMAGE_STAGE_TOTAL;
      case IMAGES:
        return UnifiedLimit.IMAGE_COUNT_TOTAL;
      default:
        return UnifiedLimit.IMAGE_COUNT_UPLOADING;
    }
  }

  /**
   * {@return the limit of {@code resource} for {@code project} in bytes or images; -1 if unlimited}
   *
   * @param project the project the limit applies to
   * @param resource the kind of usage
   */
  public long limit(ProjectId project, UsageKind resource) {
    Optional<LimitSource> source = config.unifiedLimits();
    if (source.isPresent()) {
      UnifiedLimit u = unifiedFor(resource);
      return u.toBase(source.get().limit(project, u));
    }
    if (resource == UsageKind.STORED_BYTES) {
      OptionalLong quota = config.userStorageQuotaBytes();
      return quota.isPresent() ? quota.getAsLong() : -1;
    }
    return -1;
  }

  /**
   * {@return a charge against {@code owner}; an unowned image is charged to no one}
   *
   * @param owner the owning project, if any
   */
  public Charge charge(Optional<ProjectId> owner) {
    return new Charge(owner.map(usage::open).orElse(null));
  }

  /**
   * {@return the 413 that reserving {@code delta} more of {@code resource} for {@code project}
   * would answer now, or {@code null} if it fits} The reservation decides atomically; this is the
   * same comparison, read once, for a check that must report before it reserves ({@code explain}).
   *
   * @param project the project charged
   * @param resource the kind of usage
   * @param delta how much more would be reserved, at least 0
   */
  public @Nullable GovernanceException exceeded(ProjectId project, UsageKind resource, long delta) {
    long limit = limit(project, resource);
    return limit >= 0 && usage.usage(project, resource) + delta > limit
        ? refusal(project, resource, delta)
        : null;
  }

  GovernanceException refusal(ProjectId project, UsageKind resource, long delta) {
    long limit = limit(project, resource);
    long usage = this.usage.usage(project, resource);
    if (config.unifiedLimits().isPresent()) {
      UnifiedLimit u = unifiedFor(resource);
      long shownDelta = u.isMebibytes() ? (delta + UnifiedLimit.MIB - 1) / UnifiedLimit.MIB : delta;
      return GovernanceException.of(
          RuleCode.LIMIT_EXCEEDED,
          u.resourceName()
              + " is over limit of "
              + u.fromBase(limit)
              + " due to current usage "
              + u.fromBase(usage)
              + " and delta "
              + shownDelta);
    }
    long remaining = Math.max(0, limit - usage);
    return GovernanceException.of(
        RuleCode.STORAGE_QUOTA_EXCEEDED,
        "The size of the data "
            + delta
            + " will exceed the limit. "
            + remaining
            + " bytes remaining.");
  }

  /** Reservations of one piece of work; a no-op for unowned images. */
  public final class Charge implements AutoCloseable {
    private final UsageStore.@Nullable Reservation reservation;

    Charge(UsageStore.@Nullable Reservation reservation) {
      this.reservation = reservation;
    }

    /**
     * Reserves {@code delta} or refuses with Glance's 413.
     *
     * @param resource the kind of usage reserved
     * @param delta how much more to reserve
     */
    public void reserve(UsageKind resource, long delta) {
      if (!tryReserve(resource, delta)) {
        throw QuotaRules.this.refusal(reservation.project(), resource, delta);
      }
    }

    /**
     * Reserves {@code delta} more of {@code resource} if it fits the limit; false if it does not.
     *
     * @param resource the kind of usage reserved
     * @param delta how much more to reserve
     * @return whether the reservation grew
     */
    public boolean tryReserve(UsageKind resource, long delta) {
      return reservation == null
          || reservation.tryGrow(resource, delta, limit(reservation.project(), resource));
    }

    /**
     * For a stream of unknown size: refuses when the owner has no room left at all (Glance:
     * remaining ≤ 0 for {@code user_storage_quota}; usage over the limit for unified limits).
     *
     * @param resource the kind of usage the stream adds to
     */
    public void requireRoom(UsageKind resource) {
      if (reservation == null) {
        return;
      }
      long limit = limit(reservation.project(), resource);
      if (limit < 0) {
        return;
      }
      long usage = QuotaRules.this.usage.usage(reservation.project(), resource);
      boolean full = config.unifiedLimits().isPresent() ? usage > limit : usage >= limit;
      if (full) {
        throw QuotaRules.this.refusal(reservation.project(), resource, 0);
      }
    }

    /**
     * The usage of an image change, to be committed with it: each change of the charged project
     * is settled from this charge (so the same bytes are never counted committed and reserved at
     * once), a change of another project is recorded as is.
     *
     * @param before the image before the change
     * @param after the image after the change
     * @return the usage to hand to the usage store with the image change
     */
    public UsageCommit commitOf(@Nullable Image before, @Nullable Image after) {
      List<UsageDelta> changes = ImageUsage.change(before, after);
      return reservation == null
          ? UsageCommit.recorded(changes)
          : UsageCommit.settled(reservation, changes);
    }

    /**
     * The 413 refusal of {@code delta} more of {@code resource}, naming the limit and the usage.
     *
     * @param resource the kind of usage that did not fit
     * @param delta how much more was asked for
     * @return the refusal, to throw
     */
    public GovernanceException refusal(UsageKind resource, long delta) {
      return QuotaRules.this.refusal(reservation.project(), resource, delta);
    }

    @Override
    public void close() {
      if (reservation != null) {
        reservation.close();
      }
    }
  }
}
