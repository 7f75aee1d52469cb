package dev.imagegov.model;

import java.time.Instant;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What remains of a deleted image: its id (which can never be reused, OSSN-0075), its owner,
 * its final status ({@code deleted} or {@code pending_delete}) and when it was deleted. A
 * {@code pending_delete} tombstone may also carry the image as it was when deleted ({@link
 * #retained()}), which a catalog keeps until the deletion is finished so that the image can be
 * restored ({@code Catalog.undelete}).
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

  /**
   * The image as it was when deleted, kept while the tombstone is {@code pending_delete} so that
   * it can be restored; empty for a {@code deleted} tombstone, and for a pending-delete one whose
   * catalog did not keep it (deleted before the catalog kept images). Not part of equality: two
   * tombstones of one deletion are equal whether or not they carry the image.
   *
   * @return the image as it was when deleted, if kept
   */
  @Value.Auxiliary
  public abstract Optional<Image> retained();

  @Value.Check
  void check() {
    if (!status().isDeleted()) {
      throw new IllegalArgumentException("a tombstone's status must be deleted or pending_delete");
    }
    if (retained().isPresent()
        && (status() != ImageStatus.PENDING_DELETE || !retained().get().id().equals(id()))) {
      throw new IllegalArgumentException(
          "only a pending_delete tombstone keeps an image, and only its own");
    }
  }

  /**
   * {@return a {@code pending_delete} tombstone that keeps {@code image}, as it was when deleted}
   *
   * @param image the image as it was when deleted
   * @param at when it happens
   */
  public static Tombstone pending(Image image, Instant at) {
    return ImmutableTombstone.builder().id(image.id()).owner(image.owner())
        .status(ImageStatus.PENDING_DELETE).deletedAt(at).retained(image).build();
  }

  /**
   * {@return this tombstone, {@code deleted}, without the image it kept: a finished deletion}
   */
  public Tombstone finished() {
    return of(id(), owner(), ImageStatus.DELETED, deletedAt());
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
