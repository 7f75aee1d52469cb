package dev.imagegov.model;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A project's membership of a shared image. Part of the image aggregate: it is stored and
 * versioned with its {@link Image}.
 *
 * <p>A membership is either <em>direct</em> ({@link #via()} empty: the owner added this project;
 * when the tenancy directory knows projects below it, the row also offers the image to each of
 * them, see {@link Image#membershipOf}), or a <em>group answer</em> ({@link #via()} names the
 * group: the project's own status for an image offered to a parent project or domain above it).
 * A group answer grants nothing by itself: it counts only while its group is still above the
 * project and still a direct member.
 */
@Value.Immutable
public abstract class Member {
  /** {@return the image this membership belongs to} */
  public abstract ImageId imageId();

  /** {@return the member project} */
  public abstract ProjectId project();

  /** {@return the membership status; new members are pending} */
  public abstract MemberStatus status();

  /**
   * The group this row answers: empty for a direct membership, else the parent project or
   * domain (a direct member of the image) through which the image was offered to {@link
   * #project()}.
   *
   * @return the group this row answers, or empty for a direct membership
   */
  public abstract Optional<ProjectId> via();

  /** {@return whether the owner added this project itself (not a group answer)} */
  public boolean isDirect() {
    return via().isEmpty();
  }

  /** {@return when the membership was created} */
  public abstract Instant createdAt();

  /** {@return when the membership last changed} */
  public abstract Instant updatedAt();

  /**
   * When the membership ends (an imagegov extension; Glance's members never expire). From this
   * instant on the member is treated exactly as if it had been removed; empty for a membership
   * that never expires.
   *
   * @return the instant the membership ends, if it has one
   */
  public abstract Optional<Instant> expiresAt();

  /**
   * {@return whether the membership has ended at {@code at}: it has an expiry no later than it}
   *
   * @param at the instant to judge the membership at
   */
  public boolean isExpiredAt(Instant at) {
    return expiresAt().isPresent() && !expiresAt().get().isAfter(at);
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return a pending membership created at {@code at}}
   *
   * @param image the image's id
   * @param project the member project the image is shared with
   * @param at when it happens
   */
  public static Member pending(ImageId image, ProjectId project, Instant at) {
    return builder()
        .imageId(image)
        .project(project)
        .status(MemberStatus.PENDING)
        .createdAt(at)
        .updatedAt(at)
        .build();
  }

  /**
   * This membership with another status, changed at {@code at}.
   *
   * @param newStatus the member's new answer
   * @param at when it happens
   * @return a copy of this membership with {@code newStatus} and the update time {@code at}
   */
  public Member withStatus(MemberStatus newStatus, Instant at) {
    return toBuilder().status(newStatus).updatedAt(at).build();
  }

  @Value.Check
  void check() {
    if (via().filter(project()::equals).isPresent()) {
      throw new IllegalArgumentException("member " + project() + " cannot answer through itself");
    }
  }

  /** {@return a builder holding this value's attributes} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * A builder of {@code Member}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableMember.Builder {
    Builder() {}
  }
}
