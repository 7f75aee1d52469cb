package dev.imagegov.model;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The status of a membership. A new member is {@link #PENDING}; the member may move its own
 * membership between any two of the three statuses, including back to pending (Glance allows
 * every transition among them). None is terminal. The status governs listing only: a member of
 * any status may get and boot a shared image by id.
 */
public enum MemberStatus {
  /** Shared with the member, who has not answered yet; the image is not in its default list. */
  PENDING,
  /** The member accepted the share; the image is in its default list. */
  ACCEPTED,
  /** The member declined the share; the image stays readable by id but is not listed by default. */
  REJECTED;

  /**
   * {@return whether Glance allows moving from this status to {@code target}: always, but to
   * itself}
   *
   * @param target the status to move to
   */
  public boolean canTransitionTo(MemberStatus target) {
    return target != this;
  }

  /** {@return the statuses this one may move to} */
  public Set<MemberStatus> targets() {
    Set<MemberStatus> all = EnumSet.allOf(MemberStatus.class);
    all.remove(this);
    return all;
  }

  /**
   * Glance's wire name, e.g. {@code accepted}.
   *
   * @return Glance's wire name, e.g
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the status with this wire name, if any (exact, lower case)}
   *
   * @param name a status as Glance writes it ({@code pending}, {@code accepted}, {@code rejected})
   */
  public static Optional<MemberStatus> fromWireName(String name) {
    for (MemberStatus s : values()) {
      if (s.wireName().equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
