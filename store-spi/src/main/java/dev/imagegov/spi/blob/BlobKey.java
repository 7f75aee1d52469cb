package dev.imagegov.spi.blob;

import static com.google.common.base.Preconditions.checkArgument;

import dev.imagegov.model.ImageId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of one blob inside a store. Keys are short, safe for any medium (letters, digits,
 * {@code . _ -}, at most 255 characters, not starting with a dot) so a file store may use them
 * as file names. An image's data in a store is keyed by its id ({@link #of(ImageId)}).
 */
public final class BlobKey implements Comparable<BlobKey> {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}");

  private final String value;

  private BlobKey(String value) {
    this.value = value;
  }

  /**
   * A key from raw text.
   *
   * @param value the key's text; not blank
   * @return a key from raw text
   * @throws IllegalArgumentException if the text is not a safe key
   */
  public static BlobKey of(String value) {
    Objects.requireNonNull(value, "value");
    checkArgument(SAFE.matcher(value).matches(), "not a safe blob key: '%s'", value);
    return new BlobKey(value);
  }

  /**
   * {@return the key of an image's data: its id, exactly as given}
   *
   * @param image the image's id
   */
  public static BlobKey of(ImageId image) {
    // An image id is a UUID in 8-4-4-4-12 form (hex digits and hyphens, 36 characters), always a
    // safe key: no pattern to match.
    return new BlobKey(image.value());
  }

  /** {@return the raw key} */
  public String value() {
    return value;
  }

  @Override
  public int compareTo(BlobKey other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlobKey && ((BlobKey) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
