package dev.imagegov.lifecycle;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An image's lifecycle, read from its {@code imagegov_lifecycle_*} properties: its family and
 * version, its state and since when, its replacement, its schedule, whether {@code latest} skips it
 * and when it was last used (downloaded or authorized for download). A value that does not parse
 * (written by something other than the lifecycle operations, straight into a store) reads as
 * absent; a missing state is {@link LifecycleState#ACTIVE}. Immutable.
 */
public final class LifecycleInfo {
  private final @Nullable Family family;
  private final @Nullable String version;
  private final LifecycleState state;
  private final @Nullable Instant since;
  private final @Nullable ImageId replacement;
  private final Schedule schedule;
  private final boolean excludedFromLatest;
  private final @Nullable Instant lastUsed;

  private LifecycleInfo(@Nullable Family family, @Nullable String version, LifecycleState state,
      @Nullable Instant since, @Nullable ImageId replacement, Schedule schedule,
      boolean excludedFromLatest, @Nullable Instant lastUsed) {
    this.family = family;
    this.version = version;
    this.state = state;
    this.since = since;
    this.replacement = replacement;
    this.schedule = schedule;
    this.excludedFromLatest = excludedFromLatest;
    this.lastUsed = lastUsed;
  }

  /**
   * {@return the lifecycle of {@code image}}
   *
   * @param image the image whose reserved properties are read
   */
  public static LifecycleInfo of(Image image) {
    Map<String, String> p = image.properties();
    String familyName = p.get(Keys.FAMILY);
    Family family = null;
    if (familyName != null && image.owner().isPresent()) {
      try {
        family = new Family(image.owner().get(), familyName);
      } catch (RuntimeException e) {
        family = null; // not written by the lifecycle operations: no family
      }
    }
    LifecycleState state = stateOf(image);
    String replacement = p.get(Keys.REPLACEMENT);
    Schedule schedule;
    try {
      schedule = Schedule.checked(
          instant(p.get(Keys.DEPRECATE_AT)), instant(p.get(Keys.OBSOLETE_AT)),
          instant(p.get(Keys.DELETE_AT)));
    } catch (RuntimeException e) {
      schedule = Schedule.none();
    }
    return new LifecycleInfo(family, p.get(Keys.VERSION), state, instant(p.get(Keys.SINCE)),
        replacement != null && ImageId.isValid(replacement) ? ImageId.of(replacement) : null,
        schedule, "true".equals(p.get(Keys.EXCLUDE_FROM_LATEST)),
        lastUsedOf(image).orElse(null));
  }

  /**
   * {@return the image's last use the catalog recorded alone: {@code of(image).lastUsed()}, without
   * parsing the rest} The hygiene report asks it of every active image.
   *
   * @param image the image as stored
   */
  public static Optional<Instant> lastUsedOf(Image image) {
    return Optional.ofNullable(instant(image.properties().get(Keys.LAST_USED)));
  }

  /**
   * {@return the image's lifecycle state alone: {@code active} unless its state property names
   * another} The same reading as {@link #of}'s, without parsing the rest (a list asks it of every
   * row).
   *
   * @param image the image as stored
   */
  public static LifecycleState stateOf(Image image) {
    String stored = image.properties().get(Keys.STATE);
    return stored == null
        ? LifecycleState.ACTIVE
        : LifecycleState.fromWireName(stored).orElse(LifecycleState.ACTIVE);
  }

  private static @Nullable Instant instant(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@return the family the image belongs to, if any} */
  public Optional<Family> family() {
    return Optional.ofNullable(family);
  }

  /** The owner of the family, if the image has one. */
  Optional<ProjectId> familyOwner() {
    return family().map(Family::owner);
  }

  /**
   * {@return the explicit version, if one was given (else versions are ordered by creation time)}
   */
  public Optional<String> version() {
    return Optional.ofNullable(version);
  }

  /** {@return the lifecycle state} */
  public LifecycleState state() {
    return state;
  }

  /** {@return when the image entered its state, if it ever moved} */
  public Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** {@return the image that replaces this one, if its deprecation named one} */
  public Optional<ImageId> replacement() {
    return Optional.ofNullable(replacement);
  }

  /** {@return the planned steps} */
  public Schedule schedule() {
    return schedule;
  }

  /** {@return whether {@code latest} skips this version even while it is active} */
  public boolean excludedFromLatest() {
    return excludedFromLatest;
  }

  /**
   * When the image was last used: the last successful download or download authorization that
   * was recorded. Recording is coalesced ({@code GovernanceConfig.lastUseInterval()}), so the
   * instant may be up to one interval older than the latest use; it is truncated to seconds.
   *
   * @return the recorded last use, empty if the image was never used since recording began
   */
  public Optional<Instant> lastUsed() {
    return Optional.ofNullable(lastUsed);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LifecycleInfo i
        && Objects.equals(family, i.family)
        && Objects.equals(version, i.version)
        && state == i.state
        && Objects.equals(since, i.since)
        && Objects.equals(replacement, i.replacement)
        && schedule.equals(i.schedule)
        && excludedFromLatest == i.excludedFromLatest
        && Objects.equals(lastUsed, i.lastUsed);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        family, version, state, since, replacement, schedule, excludedFromLatest, lastUsed);
  }

  @Override
  public String toString() {
    return "LifecycleInfo{family=" + family + ", version=" + version + ", state="
        + state.wireName() + ", since=" + since + ", replacement=" + replacement + ", "
        + schedule + ", excludedFromLatest=" + excludedFromLatest + ", lastUsed=" + lastUsed + "}";
  }
}
