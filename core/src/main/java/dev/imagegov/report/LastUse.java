package dev.imagegov.report;

import dev.imagegov.model.ImageId;
import java.time.Instant;
import java.util.Optional;

/**
 * When each image was last used (booted, attached, downloaded for a launch): the seam through
 * which the hygiene report learns last-used instants. The lifecycle's usage port ({@link
 * dev.imagegov.lifecycle.ImageUsage}) says which images are in use now; this says, for an image
 * no longer in use, when it last was. The report always reads the last use the catalog recorded
 * itself ({@link dev.imagegov.lifecycle.LifecycleInfo#lastUsed()}, written by downloads and
 * download authorizations); an embedding that knows of other uses (boots from a cache, attaches)
 * passes them in {@link HygieneRequest#lastUse}, and the later of the two counts. An image with
 * neither counts from its creation.
 *
 * <p>Implementations must be thread-safe and must not call back into the governance.
 */
@FunctionalInterface
public interface LastUse {
  /**
   * {@return when {@code image} was last used, or empty if no use is known}
   *
   * @param image the image asked about
   */
  Optional<Instant> lastUsedAt(ImageId image);

  /** {@return the seam that knows no use beyond what the catalog recorded (the default)} */
  static LastUse unknown() {
    return image -> Optional.empty();
  }
}
