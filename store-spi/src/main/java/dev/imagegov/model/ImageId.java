package dev.imagegov.model;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.util.Objects;
import java.util.UUID;

/**
 * An image id: a UUID in its canonical 8-4-4-4-12 hexadecimal form, either case, kept exactly as
 * given (Glance stores an upper-case id as supplied). Two ids are equal only if their text is
 * equal.
 */
public final class ImageId implements Comparable<ImageId> {
  /** The length of a UUID's 8-4-4-4-12 form. */
  private static final int LENGTH = 36;

  private final String value;

  private ImageId(String value) {
    this.value = value;
  }

  /**
   * {@return whether {@code text} is a well-formed image id}
   *
   * @param text any text, or null
   */
  public static boolean isValid(String text) {
    // A hand-written check of the 8-4-4-4-12 form (hex digits of either case, hyphens at 8, 13,
    // 18 and 23): every id a report, a blob key or a request parses goes through it.
    if (text == null || text.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = text.charAt(i);
      boolean hyphen = i == 8 || i == 13 || i == 18 || i == 23;
      boolean hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
      if (hyphen ? c != '-' : !hex) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses an id.
   *
   * @param text a UUID in its canonical 8-4-4-4-12 hex form, any case
   * @return the id, in lower case
   * @throws GovernanceException {@link StoreErrorCode#INVALID_IMAGE_ID} (400) if {@code text} is not a
   *     UUID in 8-4-4-4-12 form
   */
  public static ImageId of(String text) {
    Objects.requireNonNull(text, "text");
    if (!isValid(text)) {
      throw GovernanceException.of(
          StoreErrorCode.INVALID_IMAGE_ID, "Invalid image id '" + text + "': it must be a UUID.");
    }
    return new ImageId(text);
  }

  /**
   * {@return an id for a UUID, in lower case}
   *
   * @param uuid any UUID
   */
  public static ImageId of(UUID uuid) {
    return new ImageId(uuid.toString());
  }

  /** {@return the id's text} */
  public String value() {
    return value;
  }

  @Override
  public int compareTo(ImageId other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageId && ((ImageId) o).value.equals(value);
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
