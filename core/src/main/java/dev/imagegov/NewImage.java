package dev.imagegov;

import dev.imagegov.image.Images;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * What a caller asks for when creating an image: the writable base attributes of Glance's
 * create request, plus custom properties. Nothing is validated here; {@link
 * Images#create} validates everything and answers a {@code GovernanceException} naming the
 * offending field.
 *
 * <p>Raw strings are used for the id and owner so that malformed input reaches the validator
 * and is answered like Glance answers it.
 */
@Value.Immutable
public abstract class NewImage {
  /** {@return a caller-chosen id: a UUID never used before; random when absent} */
  public abstract Optional<String> id();

  /** {@return the name, at most 255 characters} */
  public abstract Optional<String> name();

  /** {@return the visibility; {@code shared} when absent} */
  public abstract Optional<dev.imagegov.model.Visibility> visibility();

  /**
   * The owner; the caller's project when absent. Only admins may name another project.
   *
   * @return the owner; the caller's project when absent
   */
  public abstract Optional<String> owner();

  /** {@return whether the image is protected from deletion} */
  @Value.Default
  public boolean isProtected() {
    return false;
  }

  /** {@return whether the image is hidden from default lists} */
  @Value.Default
  public boolean osHidden() {
    return false;
  }

  /** {@return the disk format, one of the configured ones} */
  public abstract Optional<String> diskFormat();

  /** {@return the container format, one of the configured ones} */
  public abstract Optional<String> containerFormat();

  /** {@return minimum disk in GB, 0 to 2^31-1} */
  @Value.Default
  public long minDisk() {
    return 0;
  }

  /** {@return minimum RAM in MB, 0 to 2^31-1} */
  @Value.Default
  public long minRam() {
    return 0;
  }

  /** {@return tags; duplicates fold, order is kept} */
  public abstract List<String> tags();

  /** {@return custom properties} */
  public abstract Map<String, String> properties();

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this value's attributes} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * A builder of {@code NewImage}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableNewImage.Builder {
    Builder() {}
  }
}
