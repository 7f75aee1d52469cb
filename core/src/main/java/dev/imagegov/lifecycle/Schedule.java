package dev.imagegov.lifecycle;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The planned dates of an image's lifecycle steps: deprecate at, obsolete at, delete at (each
 * optional). {@link Lifecycle#advance} applies every step that is due. The dates must not go
 * backwards: deprecate ≤ obsolete ≤ delete, where set. Immutable.
 */
public final class Schedule {
  private static final Schedule NONE = new Schedule(null, null, null);

  private final @Nullable Instant deprecateAt;
  private final @Nullable Instant obsoleteAt;
  private final @Nullable Instant deleteAt;

  private Schedule(
      @Nullable Instant deprecateAt, @Nullable Instant obsoleteAt, @Nullable Instant deleteAt) {
    this.deprecateAt = deprecateAt;
    this.obsoleteAt = obsoleteAt;
    this.deleteAt = deleteAt;
  }

  /** {@return the empty schedule: no planned step} */
  public static Schedule none() {
    return NONE;
  }

  /**
   * {@return this schedule, deprecating at {@code at}}
   *
   * @param at when to deprecate the image
   */
  public Schedule deprecateAt(Instant at) {
    return checked(Objects.requireNonNull(at, "at"), obsoleteAt, deleteAt);
  }

  /**
   * {@return this schedule, obsoleting at {@code at}}
   *
   * @param at when to make the image obsolete
   */
  public Schedule obsoleteAt(Instant at) {
    return checked(deprecateAt, Objects.requireNonNull(at, "at"), deleteAt);
  }

  /**
   * {@return this schedule, deleting at {@code at}}
   *
   * @param at when to delete the image
   */
  public Schedule deleteAt(Instant at) {
    return checked(deprecateAt, obsoleteAt, Objects.requireNonNull(at, "at"));
  }

  /**
   * A schedule of these dates.
   *
   * @throws GovernanceException 400 {@code INVALID_LIFECYCLE_VALUE} if a later step is planned
   *     before an earlier one
   */
  static Schedule checked(
      @Nullable Instant deprecate, @Nullable Instant obsolete, @Nullable Instant delete) {
    Instant previous = null;
    for (Instant at : new Instant[] {deprecate, obsolete, delete}) {
      if (at == null) {
        continue;
      }
      if (previous != null && at.isBefore(previous)) {
        throw GovernanceException.of(RuleCode.INVALID_LIFECYCLE_VALUE,
            "A schedule's dates must not go backwards: deprecate at " + deprecate
                + ", obsolete at " + obsolete + ", delete at " + delete + ".");
      }
      previous = at;
    }
    return deprecate == null && obsolete == null && delete == null
        ? NONE
        : new Schedule(deprecate, obsolete, delete);
  }

  /** {@return when the image is to be deprecated, if planned} */
  public Optional<Instant> deprecateAt() {
    return Optional.ofNullable(deprecateAt);
  }

  /** {@return when the image is to become obsolete, if planned} */
  public Optional<Instant> obsoleteAt() {
    return Optional.ofNullable(obsoleteAt);
  }

  /** {@return when the image is to be deleted, if planned} */
  public Optional<Instant> deleteAt() {
    return Optional.ofNullable(deleteAt);
  }

  /** The planned date of the step into {@code state}, if any. */
  Optional<Instant> dateOf(LifecycleState state) {
    switch (state) {
      case DEPRECATED:
        return deprecateAt();
      case OBSOLETE:
        return obsoleteAt();
      case DELETED:
        return deleteAt();
      default:
        return Optional.empty();
    }
  }

  /** {@return whether no step is planned} */
  public boolean isEmpty() {
    return this == NONE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schedule s
        && Objects.equals(deprecateAt, s.deprecateAt)
        && Objects.equals(obsoleteAt, s.obsoleteAt)
        && Objects.equals(deleteAt, s.deleteAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deprecateAt, obsoleteAt, deleteAt);
  }

  @Override
  public String toString() {
    return "Schedule{deprecateAt=" + deprecateAt + ", obsoleteAt=" + obsoleteAt + ", deleteAt="
        + deleteAt + "}";
  }
}
