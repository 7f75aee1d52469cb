package dev.imagegov.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The status of an image, with Glance's transition table ({@code glance/domain Image
 * .valid_state_targets}).
 *
 * <pre>
 *   queued ──► saving ──► active ◄──► deactivated
 *     │  ╲        │  ╲      │   ╲
 *     │   ► uploading ► importing ► active       active ──► pending_delete ──► deleted
 *     └──────────────────────────────► deleted   saving ──► killed ──► deleted
 * </pre>
 *
 * <p>Setting the same status again is not a transition ({@code active → active} is illegal).
 * {@link #DELETED} is terminal. {@link #isDeleted()} holds for the two statuses whose image is
 * soft-deleted and invisible to every caller.
 */
public enum ImageStatus {
  /** Registered, with no data yet; the only status in which formats may change. */
  QUEUED,
  /** Data is being uploaded through the legacy upload call. */
  SAVING,
  /** Data is stored and the image may be booted. */
  ACTIVE,
  /** An upload failed; the image holds no usable data. */
  KILLED,
  /** Deleted: a tombstone only, never visible, its id never reused. */
  DELETED,
  /** Deleted while delayed delete keeps its data for the scrubber; never visible. */
  PENDING_DELETE,
  /** Data kept but not downloadable or bootable by non-admins until reactivated. */
  DEACTIVATED,
  /** Data has been staged for an import that has not started yet. */
  UPLOADING,
  /** An import task is moving the data into the stores. */
  IMPORTING;

  private Set<ImageStatus> targets;

  static {
    QUEUED.targets = EnumSet.of(SAVING, UPLOADING, IMPORTING, ACTIVE, DELETED);
    SAVING.targets = EnumSet.of(QUEUED, ACTIVE, DELETED, KILLED);
    UPLOADING.targets = EnumSet.of(QUEUED, IMPORTING, DELETED);
    IMPORTING.targets = EnumSet.of(QUEUED, ACTIVE, DELETED);
    ACTIVE.targets = EnumSet.of(DEACTIVATED, PENDING_DELETE, DELETED);
    DEACTIVATED.targets = EnumSet.of(ACTIVE, DELETED);
    PENDING_DELETE.targets = EnumSet.of(ACTIVE, DELETED);
    KILLED.targets = EnumSet.of(DELETED);
    DELETED.targets = EnumSet.noneOf(ImageStatus.class);
  }

  /**
   * {@return whether Glance's table allows moving from this status to {@code target}}
   *
   * @param target the status to move to
   */
  public boolean canTransitionTo(ImageStatus target) {
    return targets.contains(target);
  }

  /** {@return the statuses this one may move to, as an unmodifiable set} */
  public Set<ImageStatus> targets() {
    return java.util.Collections.unmodifiableSet(targets);
  }

  /** {@return whether no transition leaves this status} */
  public boolean isTerminal() {
    return targets.isEmpty();
  }

  /**
   * {@return whether an image in this status is soft-deleted ({@code deleted} or {@code
   * pending_delete})}
   */
  public boolean isDeleted() {
    return this == DELETED || this == PENDING_DELETE;
  }

  /**
   * Glance's wire name, e.g. {@code pending_delete}.
   *
   * @return Glance's wire name, e.g
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the status with this wire name, if any (exact, lower case)}
   *
   * @param name a status as Glance writes it ({@code queued}, {@code pending_delete}, ...)
   */
  public static Optional<ImageStatus> fromWireName(String name) {
    for (ImageStatus s : values()) {
      if (s.wireName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
