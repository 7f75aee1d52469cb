package dev.imagegov.quota;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.ProjectId;
import dev.imagegov.quota.UsageLedger.Resource;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * Which limit applies to each ledger resource, and the refusal Glance answers when it would be
 * exceeded: unified limits when a {@link LimitSource} is configured, else {@code
 * user_storage_quota} for stored bytes and nothing for the rest.
 */
public final class QuotaRules {
  private final GovernanceConfig config;
  private final UsageLedger ledger;

  public QuotaRules(GovernanceConfig config, UsageLedger ledger) {
    this.config = config;
    this.ledger = ledger;
  }

  static @Nullable UnifiedLimit unifiedFor(Resource resource) {
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

  /** The limit of {@code resource} for {@code project} in bytes or images; -1 if unlimited. */
  long limit(ProjectId project, Resource resource) {
    Optional<LimitSource> source = config.unifiedLimits();
    if (source.isPresent()) {
      UnifiedLimit u = unifiedFor(resource);
      return u.toBase(source.get().limit(project, u));
    }
    if (resource == Resource.STORED_BYTES) {
      OptionalLong quota = config.userStorageQuotaBytes();
      return quota.isPresent() ? quota.getAsLong() : -1;
    }
    return -1;
  }

  /** A charge against {@code owner}; an unowned image is charged to no one. */
  public Charge charge(Optional<ProjectId> owner) {
    return new Charge(owner.map(ledger::open).orElse(null));
  }

  GovernanceException refusal(ProjectId project, Resource resource, long delta) {
    long limit = limit(project, resource);
    long usage = ledger.usage(project, resource);
    if (config.unifiedLimits().isPresent()) {
      UnifiedLimit u = unifiedFor(resource);
      long shownDelta = u.isMebibytes() ? (delta + UnifiedLimit.MIB - 1) / UnifiedLimit.MIB : delta;
      return GovernanceException.of(
          ErrorCode.LIMIT_EXCEEDED,
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
        ErrorCode.STORAGE_QUOTA_EXCEEDED,
        "The size of the data "
            + delta
            + " will exceed the limit. "
            + remaining
            + " bytes remaining.");
  }

  /** Reservations of one piece of work; a no-op for unowned images. */
  public final class Charge implements AutoCloseable {
    private final UsageLedger.@Nullable Reservation reservation;

    Charge(UsageLedger.@Nullable Reservation reservation) {
      this.reservation = reservation;
    }

    /** Reserves {@code delta} or refuses with Glance's 413. */
    public void reserve(Resource resource, long delta) {
      if (!tryReserve(resource, delta)) {
        throw QuotaRules.this.refusal(reservation.project(), resource, delta);
      }
    }

    /** Reserves {@code delta} if it fits under the limit; whether it did. */
    public boolean tryReserve(Resource resource, long delta) {
      return reservation == null
          || reservation.tryGrow(resource, delta, limit(reservation.project(), resource));
    }

    /**
     * For a stream of unknown size: refuses when the owner has no room left at all (Glance:
     * remaining ≤ 0 for {@code user_storage_quota}; usage over the limit for unified limits).
     */
    public void requireRoom(Resource resource) {
      if (reservation == null) {
        return;
      }
      long limit = limit(reservation.project(), resource);
      if (limit < 0) {
        return;
      }
      long usage = ledger.usage(reservation.project(), resource);
      boolean full = config.unifiedLimits().isPresent() ? usage > limit : usage >= limit;
      if (full) {
        throw QuotaRules.this.refusal(reservation.project(), resource, 0);
      }
    }

    public GovernanceException refusal(Resource resource, long delta) {
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
