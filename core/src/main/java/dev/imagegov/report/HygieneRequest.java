package dev.imagegov.report;

import com.google.common.collect.ImmutableSet;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.ProjectId;
import dev.imagegov.sharing.TenancyDirectory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a hygiene report looks at: the tenancy directory (an owner it does not know is orphaned),
 * the producer projects (the only ones that should own public or community images), the scope
 * (the whole catalog, or one owner), the periods after which an image is stale, a membership has
 * been pending too long and an image in a transient status is stuck, and the last-used instants.
 * Immutable; each {@code with} method returns a changed copy.
 *
 * <p>Defaults: the producers of the exposure guardrail in force ({@link
 * dev.imagegov.exposure.ExposureGuardrail#producers()}: its list with {@code producers-only}, none
 * otherwise), the whole catalog, stale after 90 days, members pending for 30 days, stuck after 1
 * day, no last-used instants beyond those the catalog recorded ({@link LastUse#unknown()}; the
 * report always reads {@code LifecycleInfo.lastUsed}).
 */
public final class HygieneRequest {
  private final TenancyDirectory tenancy;
  private final @Nullable ImmutableSet<ProjectId> producers;
  private final @Nullable ProjectId owner;
  private final Duration stalePeriod;
  private final Duration pendingPeriod;
  private final Duration stuckPeriod;
  private final LastUse lastUse;

  private HygieneRequest(TenancyDirectory tenancy, @Nullable ImmutableSet<ProjectId> producers,
      @Nullable ProjectId owner, Duration stalePeriod, Duration pendingPeriod,
      Duration stuckPeriod, LastUse lastUse) {
    this.tenancy = tenancy;
    this.producers = producers;
    this.owner = owner;
    this.stalePeriod = stalePeriod;
    this.pendingPeriod = pendingPeriod;
    this.stuckPeriod = stuckPeriod;
    this.lastUse = lastUse;
  }

  /**
   * {@return a request over the whole catalog with the default periods}
   *
   * @param tenancy the directory of known projects
   */
  public static HygieneRequest of(TenancyDirectory tenancy) {
    return new HygieneRequest(Objects.requireNonNull(tenancy, "tenancy"), null, null,
        Duration.ofDays(90), Duration.ofDays(30), Duration.ofDays(1), LastUse.unknown());
  }

  /**
   * {@return this request with {@code producers} as the projects that may own public images}
   *
   * @param producers the producer projects, instead of the exposure guardrail's list
   */
  public HygieneRequest withProducers(Set<ProjectId> producers) {
    return new HygieneRequest(tenancy, ImmutableSet.copyOf(producers), owner, stalePeriod,
        pendingPeriod, stuckPeriod, lastUse);
  }

  /**
   * {@return this request limited to the images of {@code owner}}
   *
   * @param owner the one owner reported on; blobs with no image are then left out
   */
  public HygieneRequest withOwner(ProjectId owner) {
    return new HygieneRequest(tenancy, producers, Objects.requireNonNull(owner, "owner"),
        stalePeriod, pendingPeriod, stuckPeriod, lastUse);
  }

  /**
   * {@return this request with {@code period} as the time without use after which an image is
   * stale}
   *
   * @param period at least zero
   * @throws GovernanceException 400 {@code INVALID_REPORT_VALUE} if negative
   */
  public HygieneRequest withStalePeriod(Duration period) {
    return new HygieneRequest(tenancy, producers, owner, checked("stale", period), pendingPeriod,
        stuckPeriod, lastUse);
  }

  /**
   * {@return this request with {@code period} as the time after which a pending membership is
   * reported}
   *
   * @param period at least zero
   * @throws GovernanceException 400 {@code INVALID_REPORT_VALUE} if negative
   */
  public HygieneRequest withPendingPeriod(Duration period) {
    return new HygieneRequest(tenancy, producers, owner, stalePeriod, checked("pending", period),
        stuckPeriod, lastUse);
  }

  /**
   * {@return this request with {@code period} as the time after which an image in a transient
   * status is stuck}
   *
   * @param period at least zero
   * @throws GovernanceException 400 {@code INVALID_REPORT_VALUE} if negative
   */
  public HygieneRequest withStuckPeriod(Duration period) {
    return new HygieneRequest(tenancy, producers, owner, stalePeriod, pendingPeriod,
        checked("stuck", period), lastUse);
  }

  /**
   * {@return this request with {@code lastUse} as the source of last-used instants}
   *
   * @param lastUse when each image was last used
   */
  public HygieneRequest withLastUse(LastUse lastUse) {
    return new HygieneRequest(tenancy, producers, owner, stalePeriod, pendingPeriod, stuckPeriod,
        Objects.requireNonNull(lastUse, "lastUse"));
  }

  private static Duration checked(String what, Duration period) {
    Objects.requireNonNull(period, what + " period");
    if (period.isNegative()) {
      throw GovernanceException.of(RuleCode.INVALID_REPORT_VALUE,
          "The " + what + " period of a hygiene report must not be negative: " + period + ".");
    }
    return period;
  }

  /** {@return the directory of known projects} */
  public TenancyDirectory tenancy() {
    return tenancy;
  }

  /**
   * {@return the projects that may own public and community images, or empty when the report
   * takes the exposure guardrail's producer list}
   */
  public Optional<ImmutableSet<ProjectId>> producers() {
    return Optional.ofNullable(producers);
  }

  /** {@return the one owner reported on, or empty for the whole catalog} */
  public Optional<ProjectId> owner() {
    return Optional.ofNullable(owner);
  }

  /** {@return the time without use after which an active image is stale} */
  public Duration stalePeriod() {
    return stalePeriod;
  }

  /** {@return the time after which a pending membership is reported} */
  public Duration pendingPeriod() {
    return pendingPeriod;
  }

  /** {@return the time after which an image in a transient status is stuck} */
  public Duration stuckPeriod() {
    return stuckPeriod;
  }

  /** {@return the source of last-used instants} */
  public LastUse lastUse() {
    return lastUse;
  }
}
