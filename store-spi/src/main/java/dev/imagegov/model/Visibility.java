package dev.imagegov.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Who can see an image besides its owner and admins.
 *
 * <ul>
 *   <li>{@link #PUBLIC}: everyone, and listed for everyone;
 *   <li>{@link #COMMUNITY}: everyone by id, listed only when asked for (or to the owner);
 *   <li>{@link #SHARED}: projects with a membership row of any status by id; listed for members
 *       whose status matches the list's member-status filter (accepted by default);
 *   <li>{@link #PRIVATE}: owner and admins only; member rows stay dormant.
 * </ul>
 *
 * <p>Any visibility may change to any other (the table is complete); who may set each value is
 * policy, decided in core. Member rows are never changed by a visibility change.
 */
public enum Visibility {
  /** Visible to and listed for every project. */
  PUBLIC,
  /** Visible to every project by id; listed only on request, or for the owner. */
  COMMUNITY,
  /** Visible to the owner and to member projects; listed for members by member status. */
  SHARED,
  /** Visible to the owner and admins only. */
  PRIVATE;

  /**
   * {@return whether members may be added to, listed on or removed from an image of this
   * visibility}
   */
  public boolean canHaveMembers() {
    return this == SHARED;
  }

  /**
   * {@return whether the table allows changing to {@code target}: always}
   *
   * @param target the visibility to change to
   */
  public boolean canTransitionTo(Visibility target) {
    return true;
  }

  /**
   * Glance's wire name, e.g. {@code community}.
   *
   * @return Glance's wire name, e.g
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the visibility with this wire name, if any (exact, lower case)}
   *
   * @param name a visibility as Glance writes it ({@code public}, {@code community}, ...)
   */
  public static Optional<Visibility> fromWireName(String name) {
    for (Visibility v : values()) {
      if (v.wireName().equals(name)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
