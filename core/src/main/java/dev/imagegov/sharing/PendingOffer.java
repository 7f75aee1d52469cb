package dev.imagegov.sharing;

import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A share offered and not answered: a pending membership of a shared image, as {@link
 * Sharing#pendingOffers} reports it. Immutable.
 *
 * @param image the image's id
 * @param owner the image's owner, if any
 * @param member the project that has not answered
 * @param pendingSince when the membership became pending (its last change)
 * @param age how long it has been pending at the time of the report
 */
public record PendingOffer(
    ImageId image, Optional<ProjectId> owner, ProjectId member, Instant pendingSince,
    Duration age) {
  /**
   * Checks every component is present.
   *
   * @param image the image's id
   * @param owner the image's owner, if any
   * @param member the project that has not answered
   * @param pendingSince when the membership became pending
   * @param age how long it has been pending at the time of the report
   */
  public PendingOffer {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(pendingSince, "pendingSince");
    Objects.requireNonNull(age, "age");
  }
}
