package dev.imagegov.image;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.ImageId;
import java.util.Set;

/** Glance's value rules shared by every operation; each failure names the field. */
public final class Validation {
  static final int MAX_NAME = 255;
  static final int MAX_TAG = 255;
  static final int MAX_PROPERTY_KEY = 255;
  public static final int MAX_MEMBER_ID = 255;
  static final long MAX_INT = Integer.MAX_VALUE;

  /** Names a caller may not use as custom properties: Glance's reserved attributes. */
  static final Set<String> RESERVED =
      Set.of(
          "location",
          "deleted",
          "deleted_at",
          "owner",
          "locations",
          "direct_url",
          "self",
          "file",
          "schema",
          "stores");

  /** Read-only base attributes. */
  static final Set<String> READ_ONLY =
      Set.of(
          "created_at",
          "updated_at",
          "status",
          "checksum",
          "size",
          "virtual_size",
          "id",
          "os_hash_algo",
          "os_hash_value");

  /** Writable base attributes, which have fields of their own. */
  static final Set<String> BASE =
      Set.of(
          "name",
          "visibility",
          "protected",
          "os_hidden",
          "disk_format",
          "container_format",
          "min_disk",
          "min_ram",
          "tags");

  /** Glance's reserved namespace for its own bookkeeping properties. */
  static final String RESERVED_NAMESPACE = "os_glance";

  private Validation() {}

  static GovernanceException bad(String message) {
    return GovernanceException.of(ErrorCode.INVALID_VALUE, message);
  }

  /** Whether {@code s} holds a character outside the Basic Multilingual Plane (4-byte UTF-8). */
  static boolean hasFourByteChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** A string field: no 4-byte characters, at most {@code max} characters. */
  public static String text(String field, String value, int max) {
    if (hasFourByteChars(value)) {
      throw bad(field + " can't contain 4 byte unicode characters.");
    }
    if (value.length() > max) {
      throw bad(field + " is too long: " + value.length() + " characters, at most " + max + ".");
    }
    return value;
  }

  /** An integer field in 0..2^31-1. */
  static int nonNegativeInt(String field, long value) {
    if (value < 0) {
      throw bad("Cannot set " + field + " to a negative value: " + value + ".");
    }
    if (value > MAX_INT) {
      throw bad(field + " must be at most " + MAX_INT + ": " + value + ".");
    }
    return (int) value;
  }

  /** A value that must be one of the configured formats. */
  static String format(String field, String value, java.util.List<String> allowed) {
    if (!allowed.contains(value)) {
      throw bad("Invalid " + field + " '" + value + "': it must be one of " + allowed + ".");
    }
    return value;
  }

  /** A caller-supplied image id. */
  static ImageId imageId(String value) {
    if (!ImageId.isValid(value)) {
      throw GovernanceException.of(
          ErrorCode.INVALID_IMAGE_ID, "Invalid id '" + value + "': it must be a UUID.");
    }
    return ImageId.of(value);
  }

  /**
   * A custom property key: not reserved (403), not read-only (403), not a base attribute (400),
   * at most 255 characters without 4-byte characters (400).
   */
  static String propertyKey(String key) {
    if (key.isEmpty()) {
      throw bad("Custom property names must not be empty.");
    }
    if (RESERVED.contains(key) || key.startsWith(RESERVED_NAMESPACE)) {
      throw GovernanceException.of(
          ErrorCode.RESERVED_ATTRIBUTE, "Attribute '" + key + "' is reserved.");
    }
    if (READ_ONLY.contains(key)) {
      throw GovernanceException.of(
          ErrorCode.READ_ONLY_ATTRIBUTE, "Attribute '" + key + "' is read-only.");
    }
    if (BASE.contains(key)) {
      throw bad("'" + key + "' is a base attribute, not a custom property: set its own field.");
    }
    if (key.length() > MAX_PROPERTY_KEY) {
      throw bad("Custom property should not be greater than 255 characters.");
    }
    if (hasFourByteChars(key)) {
      throw bad("Property names can't contain 4 byte unicode.");
    }
    return key;
  }

  /** A custom property value: any string without 4-byte characters. */
  static String propertyValue(String key, String value) {
    if (hasFourByteChars(value)) {
      throw bad("Value of property '" + key + "' can't contain 4 byte unicode characters.");
    }
    return value;
  }

  /** Enforces a per-image quota where a negative quota means unlimited. */
  public static void quota(ErrorCode code, String what, int attempted, int quota, Object imageId) {
    if (quota >= 0 && attempted > quota) {
      throw GovernanceException.of(
          code,
          "The limit has been exceeded on the number of allowed image "
              + what
              + " for image "
              + imageId
              + ". Attempted: "
              + attempted
              + ", Maximum: "
              + quota);
    }
  }
}
