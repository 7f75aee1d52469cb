package dev.imagegov.lifecycle;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle state of an image, stored as {@code imagegov_lifecycle_state}. The moves:
 *
 * <pre>
 *   active ──▶ deprecated ──▶ obsolete ──▶ deleted
 *      ▲           │
 *      └───────────┘   (a deprecation can be withdrawn)
 * </pre>
 *
 * <p>{@link #DELETED} is terminal: it is Glance's deletion (the image becomes {@code deleted} or
 * {@code pending_delete}), so no live image is ever in it. An image without the property is
 * {@link #ACTIVE}.
 */
public enum LifecycleState {
  /** In service: listed, usable, a candidate for {@code latest}. */
  ACTIVE("active"),
  /** Bootable by id and listed, flagged in every view, skipped by {@code latest}. */
  DEPRECATED("deprecated"),
  /**
   * Hidden from lists unless asked for, refused for new use except to admins, still allowed for
   * an instance that already uses it.
   */
  OBSOLETE("obsolete"),
  /** Deleted (terminal). */
  DELETED("deleted");

  private final String wireName;

  LifecycleState(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the value stored in {@code imagegov_lifecycle_state}} */
  public String wireName() {
    return wireName;
  }

  /**
   * {@return the state a stored value names, if any}
   *
   * @param value the stored value
   */
  public static Optional<LifecycleState> fromWireName(String value) {
    for (LifecycleState s : values()) {
      if (s.wireName.equals(value)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** {@return the states this one may move to (empty for {@link #DELETED})} */
  public Set<LifecycleState> successors() {
    switch (this) {
      case ACTIVE:
        return EnumSet.of(DEPRECATED);
      case DEPRECATED:
        return EnumSet.of(ACTIVE, OBSOLETE);
      case OBSOLETE:
        return EnumSet.of(DELETED);
      default:
        return EnumSet.noneOf(LifecycleState.class);
    }
  }

  /**
   * {@return whether this state may move to {@code target}}
   *
   * @param target the state to move to
   */
  public boolean canMoveTo(LifecycleState target) {
    return successors().contains(target);
  }

  /** {@return whether this state is terminal} */
  public boolean isTerminal() {
    return this == DELETED;
  }
}
