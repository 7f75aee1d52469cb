package dev.imagegov.model;

import java.time.Instant;
import org.immutables.value.Value;

/**
 * A project's membership of a shared image. Part of the image aggregate: it is stored and
 * versioned with its {@link Image}.
 */
@Value.Immutable
public abstract class Member {
  /** The image this membership belongs to. */
  public abstract ImageId imageId();

  /** The member project. */
  public abstract ProjectId project();

  /** The membership status; new members are pending. */
  public abstract MemberStatus status();

  /** When the membership was created. */
  public abstract Instant createdAt();

  /** When the membership last changed. */
  public abstract Instant updatedAt();

  /** A builder. */
  public static ImmutableMember.Builder builder() {
    return ImmutableMember.builder();
  }

  /** A pending membership created at {@code at}. */
  public static Member pending(ImageId image, ProjectId project, Instant at) {
    return builder()
        .imageId(image)
        .project(project)
        .status(MemberStatus.PENDING)
        .createdAt(at)
        .updatedAt(at)
        .build();
  }

  /** This membership with another status, changed at {@code at}. */
  public Member withStatus(MemberStatus newStatus, Instant at) {
    return ImmutableMember.copyOf(this).withStatus(newStatus).withUpdatedAt(at);
  }
}
