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
  /** The UUID's 128 bits, high then low: equal ids have equal bits. */
  private final long high;
  private final long low;
  /** {@code value.hashCode()}, kept here so that hashing reads only this object. */
  private final int hash;
  /** Whether {@link #value} has no upper-case digit: two such ids are equal when their bits are. */
  private final boolean lowerCase;

  private ImageId(String value, long high, long low, boolean lowerCase) {
    this.value = value;
    this.high = high;
    this.low = low;
    this.hash = value.hashCode();
    this.lowerCase = lowerCase;
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
   * @return the id, its text kept exactly as given
   * @throws GovernanceException {@link StoreErrorCode#INVALID_IMAGE_ID} (400) if {@code text} is not a
   *     UUID in 8-4-4-4-12 form
   */
  public static ImageId of(String text) {
    Objects.requireNonNull(text, "text");
    if (!isValid(text)) {
      throw GovernanceException.of(
          StoreErrorCode.INVALID_IMAGE_ID, "Invalid image id '" + text + "': it must be a UUID.");
    }
    long high = 0;
    long low = 0;
    boolean lowerCase = true;
    int digits = 0;
    for (int i = 0; i < LENGTH; i++) {
      char c = text.charAt(i);
      if (c == '-') {
        continue;
      }
      int nibble = c <= '9' ? c - '0' : c >= 'a' ? c - 'a' + 10 : c - 'A' + 10;
      lowerCase &= c <= '9' || c >= 'a';
      if (digits++ < 16) {
        high = high << 4 | nibble;
      } else {
        low = low << 4 | nibble;
      }
    }
    return new ImageId(text, high, low, lowerCase);
  }

  /**
   * {@return an id for a UUID, in lower case}
   *
   * @param uuid any UUID
   */
  public static ImageId of(UUID uuid) {
    return new ImageId(
        uuid.toString(), uuid.getMostSignificantBits(), uuid.getLeastSignificantBits(), true);
  }

  /** {@return the id's text} */
  public String value() {
    return value;
  }

  /**
   * Orders ids as their texts order ({@link String#compareTo}). Two lower-case ids compare by their
   * bits: the hyphens stand at the same places in both, and the digits {@code 0-9} sort before
   * {@code a-f} as their values do, so the first digit that differs decides either way.
   */
  @Override
  public int compareTo(ImageId other) {
    if (lowerCase && other.lowerCase) {
      int c = Long.compareUnsigned(high, other.high);
      return c != 0 ? c : Long.compareUnsigned(low, other.low);
    }
    return value.compareTo(other.value);
  }

  /**
   * Two ids are equal when their texts are. Two lower-case ids are compared by their bits alone,
   * which reads only the two id objects: a lookup by id touches no string.
   */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof ImageId other) || high != other.high || low != other.low) {
      return false;
    }
    return lowerCase && other.lowerCase || value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return value;
  }
}
