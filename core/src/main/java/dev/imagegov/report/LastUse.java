package dev.imagegov.report;

import dev.imagegov.model.ImageId;
import java.time.Instant;
import java.util.Optional;

/**
 * When each image was last used (booted, attached, downloaded for a launch): the seam through
 * which the hygiene report learns last-used instants. The lifecycle's usage port ({@link
 * dev.imagegov.lifecycle.ImageUsage}) says which images are in use now; this says, for an image
 * no longer in use, when it last was. An embedding that records last-used instants passes them
 * in {@link HygieneRequest#lastUse}; without one ({@link #unknown()}), an image never reported in
 * use counts from its creation.
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

  /** {@return the seam that knows no use (the default)} */
  static LastUse unknown() {
    return image -> Optional.empty();
  }
}
