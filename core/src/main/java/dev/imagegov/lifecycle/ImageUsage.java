package dev.imagegov.lifecycle;

import dev.imagegov.model.ImageId;
import java.util.List;

/**
 * The usage port: which images the embedding application's running instances and volumes use,
 * and since when. The application implements it (from its compute and volume inventory);
 * imagegov asks it before a lifecycle step and in the download check of an obsolete image.
 *
 * <p>{@link #none()}, the default, knows nothing: it reports no use, and {@link #knowsAll()} is
 * false, so a caller's claim of an {@link Use#EXISTING_INSTANCE} is believed. {@link
 * MemoryImageUsage} is a complete in-memory implementation for tests and small embeddings.
 * Implementations must be thread-safe; calls must not call back into the governance.
 */
public interface ImageUsage {
  /**
   * {@return the known uses of {@code image}; empty if none is known}
   *
   * @param image the image asked about
   */
  List<ImageUse> usesOf(ImageId image);

  /**
   * {@return whether the image has a known use}
   *
   * @param image the image asked about
   */
  default boolean inUse(ImageId image) {
    return !usesOf(image).isEmpty();
  }

  /**
   * Whether the port reports every use: then a use it does not report does not exist (a claimed
   * existing instance without a reported use is a new launch). {@code false} by default.
   *
   * @return {@code true} if every use is reported
   */
  default boolean knowsAll() {
    return false;
  }

  /** {@return the port that knows nothing (the default)} */
  static ImageUsage none() {
    return image -> List.of();
  }
}
