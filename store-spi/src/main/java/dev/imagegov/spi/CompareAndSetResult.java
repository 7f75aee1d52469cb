package dev.imagegov.spi;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Catalog#compareAndSet} did: exactly one of {@link Stored} (the replacement is
 * stored, at the next version), {@link Stale} (the stored version differs; nothing changed) or
 * {@link Missing} (no live image has the id; nothing changed). A lost race is an ordinary answer,
 * not an exception: the caller re-reads and retries, or gives up with {@link #orElseThrow}.
 *
 * <pre>{@code
 * CompareAndSetResult r = catalog.compareAndSet(current.version(), replacement);
 * if (r instanceof CompareAndSetResult.Stored s) { ... s.image() ... }
 * else if (r.isStale()) { ... re-read and retry ... }
 * else { ... the image is gone ... }
 * }</pre>
 */
public sealed interface CompareAndSetResult
    permits CompareAndSetResult.Stored, CompareAndSetResult.Refusal {

  /** Nothing changed: {@link Stale} or {@link Missing}. */
  sealed interface Refusal extends CompareAndSetResult
      permits CompareAndSetResult.Stale, CompareAndSetResult.Missing {}

  /** The replacement was stored; {@code image} is it as stored, at its new version. */
  record Stored(Image image) implements CompareAndSetResult {
    /**
     * Refuses a null image.
     *
     * @param image the replacement as stored, at its new version
     */
    public Stored {
      Objects.requireNonNull(image, "image");
    }
  }

  /** The image is live but at {@code storedVersion}, not the expected version; nothing changed. */
  record Stale(ImageId id, long expectedVersion, long storedVersion) implements Refusal {
    /**
     * Refuses a null id.
     *
     * @param id the image's id
     * @param expectedVersion the version the replacement was based on
     * @param storedVersion the version actually stored
     */
    public Stale {
      Objects.requireNonNull(id, "id");
    }
  }

  /** No live image has {@code id} (never inserted, or deleted); nothing changed. */
  record Missing(ImageId id) implements Refusal {
    /**
     * Refuses a null id.
     *
     * @param id the id no live image has
     */
    public Missing {
      Objects.requireNonNull(id, "id");
    }
  }

  /** {@return the stored image, if the replacement was stored} */
  default Optional<Image> stored() {
    return this instanceof Stored s ? Optional.of(s.image()) : Optional.empty();
  }

  /** {@return whether the image was live at another version} */
  default boolean isStale() {
    return this instanceof Stale;
  }

  /** {@return whether no live image had the id} */
  default boolean isMissing() {
    return this instanceof Missing;
  }

  /**
   * The stored image, or the refusal as an exception, for a caller that does not retry.
   *
   * @return the stored image, or the refusal as an exception, for a caller that does not retry
   * @throws GovernanceException {@link StoreErrorCode#STALE_VERSION} if {@link Stale}; {@link
   *     StoreErrorCode#IMAGE_NOT_FOUND} if {@link Missing}
   */
  default Image orElseThrow() {
    if (this instanceof Stored s) {
      return s.image();
    }
    if (this instanceof Stale s) {
      throw GovernanceException.of(
          StoreErrorCode.STALE_VERSION,
          "Image "
              + s.id()
              + " was changed concurrently: expected version "
              + s.expectedVersion()
              + ", found "
              + s.storedVersion());
    }
    throw GovernanceException.of(
        StoreErrorCode.IMAGE_NOT_FOUND, "No image found with ID " + ((Missing) this).id());
  }
}
