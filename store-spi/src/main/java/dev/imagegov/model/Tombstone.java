package dev.imagegov.model;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What remains of a deleted image: its id (which can never be reused, OSSN-0075), its owner,
 * its final status ({@code deleted} or {@code pending_delete}) and when it was deleted.
 */
@Value.Immutable
public abstract class Tombstone {
  /** {@return the deleted image's id} */
  public abstract ImageId id();

  /** {@return the deleted image's owner, if it had one} */
  public abstract Optional<ProjectId> owner();

  /** {@return {@link ImageStatus#DELETED} or {@link ImageStatus#PENDING_DELETE}} */
  public abstract ImageStatus status();

  /** {@return when the image was deleted} */
  public abstract Instant deletedAt();

  @Value.Check
  void check() {
    if (!status().isDeleted()) {
      throw new IllegalArgumentException("a tombstone's status must be deleted or pending_delete");
    }
  }

  /**
   * {@return a tombstone}
   *
   * @param id the image's id
   * @param owner the owning project, if any
   * @param status the final status: {@code deleted} or {@code pending_delete}
   * @param at when it happens
   */
  public static Tombstone of(ImageId id, Optional<ProjectId> owner, ImageStatus status, Instant at) {
    return ImmutableTombstone.builder().id(id).owner(owner).status(status).deletedAt(at).build();
  }
}
