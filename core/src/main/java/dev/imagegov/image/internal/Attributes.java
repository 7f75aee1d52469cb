package dev.imagegov.image.internal;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Visibility;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Glance's attribute and value rules in one table, asked by both front doors: create ({@code
 * Images.create}, the {@link Via#CREATE} door, where base attributes have typed fields and
 * everything else is a custom property) and patch ({@code JsonPatchParser} and {@code
 * PatchApplier}, the {@link Via#PATCH} door, where a path's first token names the attribute).
 *
 * <p>Each {@link Rule} row says, for one attribute, what each door answers when a caller names it
 * ({@link Door}), its {@link Kind} of value, its length limit and the statuses in which patch may
 * change it. Names absent from the table are custom properties. The rows follow Glance's {@code
 * glance/api/v2/images.py} ({@code get_base_properties}, {@code RequestDeserializer}'s
 * disallowed, read-only, reserved and base sets) and {@code glance/domain/__init__.py} ({@code
 * ImageFactory}'s read-only and reserved sets, the format and {@code min_*} setters); the
 * messages are Glance's ({@code glance/common/exception.py}, {@code glance/common/utils.py}
 * {@code no_4byte_params}, {@code glance/db/sqlalchemy/api.py} {@code _validate_db_int}).
 *
 * <p>{@link #check} is the value step of an operation: it validates one change of one attribute
 * and throws the {@link GovernanceException} the caller gets, changing nothing. The quota helpers
 * ({@link #checkTagQuota}, {@link #checkPropertyQuota}, {@link #checkQuota}) carry Glance's
 * per-image limits. Public only so that {@code dev.imagegov.patch} and {@code
 * dev.imagegov.sharing} ask the same table; it is not API. Immutable and thread-safe.
 */
public final class Attributes {
  /** The longest name, owner, tag, custom property key or member id Glance stores. */
  public static final int MAX_TEXT = 255;

  /** Glance's {@code _validate_db_int} bound for {@code min_disk} and {@code min_ram}. */
  public static final long MAX_INT = Integer.MAX_VALUE;

  /** Glance's reserved namespace for its bookkeeping properties ({@code GLANCE_RESERVED_NS}). */
  public static final String RESERVED_NAMESPACE = "os_glance";

  /**
   * imagegov's lifecycle namespace ({@code imagegov_lifecycle_*}): family, version, lifecycle
   * state, replacement and planned dates, stored as ordinary properties plain Glance clients read.
   * Only lifecycle operations ({@code dev.imagegov.lifecycle}) write them: both doors answer a
   * name in it as reserved (403), before property protections are asked, so no protections file
   * can open it.
   */
  public static final String LIFECYCLE_NAMESPACE = "imagegov_lifecycle_";

  /** The front door a change comes through. */
  public enum Via {
    /** {@code POST /v2/images}: typed fields plus a map of custom properties. */
    CREATE,
    /** {@code PATCH /v2/images/{id}}: a JSON-patch path whose first token names the attribute. */
    PATCH
  }

  /** What a door answers when a caller names an attribute. */
  public enum Door {
    /** The attribute has its own field (create) or is a base attribute {@code hasattr} (patch). */
    FIELD,
    /** 403 "Attribute 'X' is read-only." */
    READ_ONLY,
    /** 403 "Attribute 'X' is reserved." */
    RESERVED,
    /** Patch only: Glance's location API ({@code /locations}, §11.3), refused while hidden. */
    LOCATIONS,
    /** The name is an ordinary custom property. */
    PROPERTY
  }

  /** The kind of value an attribute takes, each with its own value rule. */
  public enum Kind {
    /** A string or null of at most {@link Rule#maxLength} characters, no 4-byte characters. */
    TEXT,
    /** A caller-chosen UUID (create only). */
    UUID,
    /** One of {@link Visibility}'s wire names. */
    VISIBILITY,
    /** A boolean. */
    BOOLEAN,
    /** One of the configured formats, or null. */
    FORMAT,
    /** An integer in 0..2^31-1. */
    INTEGER,
    /** A set of strings, each a {@link #TEXT} of at most 255 characters. */
    TAGS,
    /** Set by Glance only. */
    SYSTEM,
    /** The legacy location list. */
    LOCATION_LIST,
    /** A custom property's value: any string without 4-byte characters. */
    PROPERTY
  }

  /**
   * One row of the table.
   *
   * @param name the attribute's name, as a JSON key or a patch path's first token
   * @param onCreate what create answers when the name is set (its field, or a property key)
   * @param onPatch what patch answers when a path names it
   * @param kind the kind of value and so its value rule
   * @param maxLength the longest text accepted ({@code 0} when not text)
   * @param changeableIn the statuses in which patch may change it (empty: any status)
   */
  public record Rule(
      String name,
      Door onCreate,
      Door onPatch,
      Kind kind,
      int maxLength,
      ImmutableSet<ImageStatus> changeableIn) {
    /**
     * Validates the row: every part present, a length limit not negative.
     *
     * @param changeableIn the statuses in which the attribute may change
     * @param kind the type of its values
     * @param maxLength the most characters of a text value; negative for none
     * @param name the attribute's name
     * @param onCreate what create answers when a caller sets it
     * @param onPatch what patch answers when a caller names it
     */
    public Rule {
      if (name == null || onCreate == null || onPatch == null || kind == null
          || changeableIn == null || maxLength < 0) {
        throw new IllegalArgumentException("incomplete attribute rule: " + name);
      }
    }

    /**
     * {@return what {@code via} answers when a caller names this attribute}
     *
     * @param via the operation that names the attribute: create, patch or the property API
     */
    public Door door(Via via) {
      return via == Via.CREATE ? onCreate : onPatch;
    }
  }

  private static final ImmutableSet<ImageStatus> ANY = ImmutableSet.of();
  private static final ImmutableSet<ImageStatus> WHILE_QUEUED =
      ImmutableSet.of(ImageStatus.QUEUED, ImageStatus.IMPORTING);

  /** Every Glance attribute that is not an ordinary custom property, in this order. */
  private static final ImmutableMap<String, Rule> TABLE = buildTable();

  private static ImmutableMap<String, Rule> buildTable() {
    ImmutableMap.Builder<String, Rule> rows = ImmutableMap.builder();
    // writable base attributes: own field on create, base attribute on patch
    both(rows, Door.FIELD, Kind.TEXT, MAX_TEXT, ANY, "name");
    both(rows, Door.FIELD, Kind.VISIBILITY, 0, ANY, "visibility");
    both(rows, Door.FIELD, Kind.BOOLEAN, 0, ANY, "protected", "os_hidden");
    both(rows, Door.FIELD, Kind.FORMAT, 0, WHILE_QUEUED, "disk_format", "container_format");
    both(rows, Door.FIELD, Kind.INTEGER, 0, ANY, "min_disk", "min_ram");
    both(rows, Door.FIELD, Kind.TAGS, MAX_TEXT, ANY, "tags");
    // owner: its own field on create (ImageFactory reserves it as a property name); admin-only
    // on patch (a policy, not a value rule)
    rows.put("owner", new Rule("owner", Door.RESERVED, Door.FIELD, Kind.TEXT, MAX_TEXT, ANY));
    // id: create's typed id field; as a property name or a patch path it is read-only
    both(rows, Door.READ_ONLY, Kind.UUID, 36, ANY, "id");
    // read-only: set by Glance (the deserializer's and ImageFactory's read-only sets); imagegov's
    // typed create refuses os_hash_* instead of dropping them (README); direct_url, self, file
    // and schema are disallowed on create (_check_allowed answers "is read-only.")
    both(rows, Door.READ_ONLY, Kind.SYSTEM, 0, ANY, "status");
    both(rows, Door.READ_ONLY, Kind.SYSTEM, 32, ANY, "checksum");
    both(rows, Door.READ_ONLY, Kind.SYSTEM, 64, ANY, "os_hash_algo");
    both(rows, Door.READ_ONLY, Kind.SYSTEM, 128, ANY, "os_hash_value");
    both(rows, Door.READ_ONLY, Kind.SYSTEM, 0, ANY,
        "size", "virtual_size", "created_at", "updated_at", "direct_url", "self", "file", "schema");
    // stores: disallowed on create; not screened on patch, where it is a custom property (§1.3)
    rows.put("stores", new Rule("stores", Door.READ_ONLY, Door.PROPERTY, Kind.PROPERTY, 0, ANY));
    // reserved names; locations is reserved on create and Glance's location API on patch
    both(rows, Door.RESERVED, Kind.SYSTEM, 0, ANY, "location", "deleted", "deleted_at");
    rows.put(
        "locations",
        new Rule("locations", Door.RESERVED, Door.LOCATIONS, Kind.LOCATION_LIST, 0, ANY));
    return rows.buildOrThrow();
  }

  /** Rows that both doors answer alike. */
  private static void both(
      ImmutableMap.Builder<String, Rule> rows,
      Door door,
      Kind kind,
      int maxLength,
      ImmutableSet<ImageStatus> changeableIn,
      String... names) {
    for (String name : names) {
      rows.put(name, new Rule(name, door, door, kind, maxLength, changeableIn));
    }
  }

  /** The row of a custom property (every name not in the table, outside the namespace). */
  private static final Rule CUSTOM =
      new Rule("", Door.PROPERTY, Door.PROPERTY, Kind.PROPERTY, MAX_TEXT, ANY);

  /** The row of a name in Glance's reserved namespace. */
  private static final Rule NAMESPACE =
      new Rule(RESERVED_NAMESPACE, Door.RESERVED, Door.RESERVED, Kind.SYSTEM, 0, ANY);

  /** The row of a name in imagegov's lifecycle namespace. */
  private static final Rule LIFECYCLE =
      new Rule(LIFECYCLE_NAMESPACE, Door.RESERVED, Door.RESERVED, Kind.SYSTEM, 0, ANY);

  private final List<String> diskFormats;
  private final List<String> containerFormats;

  private Attributes(List<String> diskFormats, List<String> containerFormats) {
    this.diskFormats = List.copyOf(diskFormats);
    this.containerFormats = List.copyOf(containerFormats);
  }

  /**
   * {@return the table with these configured formats ({@code [image_format]} of glance-api.conf)}
   *
   * @param diskFormats the disk formats the deployment accepts
   * @param containerFormats the container formats the deployment accepts
   */
  public static Attributes of(List<String> diskFormats, List<String> containerFormats) {
    return new Attributes(diskFormats, containerFormats);
  }

  /** {@return every row, by name, in the table's order} */
  public static ImmutableMap<String, Rule> table() {
    return TABLE;
  }

  /**
   * The row for {@code name}: its own, the reserved namespace's for {@code os_glance*}, the
   * lifecycle namespace's for {@code imagegov_lifecycle_*}, else the custom-property row.
   *
   * @param name the attribute or property name
   * @return the rule that applies to {@code name}
   */
  public static Rule rule(String name) {
    Rule r = TABLE.get(name);
    if (r != null) {
      return r;
    }
    if (name.startsWith(RESERVED_NAMESPACE)) {
      return NAMESPACE;
    }
    return name.startsWith(LIFECYCLE_NAMESPACE) ? LIFECYCLE : CUSTOM;
  }

  /**
   * Whether {@code key} is a property only the library writes: Glance's {@code os_glance*} or
   * imagegov's {@code imagegov_lifecycle_*}. Such properties do not count against {@code
   * image_property_quota} and never appear in a patch computed between two images.
   *
   * @param key the property name
   * @return {@code true} for a property only the library writes
   */
  public static boolean isSystemProperty(String key) {
    return key.startsWith(RESERVED_NAMESPACE) || key.startsWith(LIFECYCLE_NAMESPACE);
  }

  /**
   * {@return whether patch treats {@code name} as a base attribute (Glance's {@code hasattr(image,
   * x)})}
   *
   * @param name the name a patch path names
   */
  public static boolean isBaseAttribute(String name) {
    Door door = rule(name).onPatch();
    return door == Door.FIELD || door == Door.LOCATIONS;
  }

  /**
   * The value step: validates changing {@code attribute} through {@code via} on an image in {@code
   * status}, with Glance's rules and messages. On create the attribute is set by its typed field
   * (status {@code queued}); on patch it is a path's first token. The value is a {@code String}, a
   * {@link Visibility}, a {@code Boolean}, a {@code Number}, a {@code Collection} of tags, or
   * {@code null} (clearing it). A name outside the table is a custom property ({@link
   * #checkProperty}). For {@link Kind#INTEGER} only the sign is checked here: the upper bound is
   * {@link #checkRange}, checked on the result as Glance checks it at save.
   *
   * @param via the operation that changes it: create, patch or the property API
   * @param status the image's current status
   * @param attribute the base attribute changed
   * @param value the new value; null to clear
   * @throws GovernanceException 403 {@code READ_ONLY_ATTRIBUTE} or {@code RESERVED_ATTRIBUTE} for
   *     a name the door refuses; 403 {@code STATUS_FORBIDS} for a format change after upload; 400
   *     {@code INVALID_VALUE} for a value its rule refuses; 400 {@code INVALID_IMAGE_ID}
   */
  public void check(Via via, ImageStatus status, String attribute, @Nullable Object value) {
    Rule rule = rule(attribute);
    if (rule.onPatch() == Door.PROPERTY) {
      checkProperty(via, attribute, value == null ? "" : String.valueOf(value));
      return;
    }
    boolean field = via == Via.CREATE ? hasCreateField(rule) : rule.onPatch() == Door.FIELD;
    if (!field) {
      checkName(via, attribute);
    }
    if (via == Via.PATCH
        && !rule.changeableIn().isEmpty()
        && !rule.changeableIn().contains(status)) {
      throw GovernanceException.of(
          RuleCode.STATUS_FORBIDS,
          "Attribute " + attribute + " can be only replaced for a queued image.");
    }
    checkValue(rule, value);
  }

  /**
   * Validates setting the custom property {@code key} to {@code value} through {@code via}: the
   * name's door (403 read-only or reserved; 400 for a base attribute, which has its own field or
   * operation), the name rules (400: empty, over 255 characters, 4-byte characters) and the value
   * (400: 4-byte characters).
   *
   * @param via the operation that sets it: create, patch or the property API
   * @param key the property's name
   * @param value the value to set
   * @return the value, once accepted
   */
  public static String checkProperty(Via via, String key, String value) {
    Door door = checkName(via, key).door(via);
    if (door == Door.FIELD || door == Door.LOCATIONS) {
      throw invalid(
          "'" + key + "' is a base attribute, not a custom property: "
              + (via == Via.CREATE ? "set its own field." : "use its own operation."));
    }
    return checkPropertyValue(key, value);
  }

  /** Whether create has a typed field for the row (its id, and every writable base attribute). */
  private static boolean hasCreateField(Rule rule) {
    return rule.onPatch() == Door.FIELD || rule.kind() == Kind.UUID;
  }

  /**
   * Screens a name through {@code via} as a custom property's name would be screened: read-only or
   * reserved (403), then for an ordinary property its name rules (400). Returns the row.
   *
   * @param via the operation that sets it: create, patch or the property API
   * @param name the name to screen
   * @return the name's row of the attribute table
   */
  public static Rule checkName(Via via, String name) {
    Rule rule = rule(name);
    switch (rule.door(via)) {
      case READ_ONLY:
        throw GovernanceException.of(
            RuleCode.READ_ONLY_ATTRIBUTE, "Attribute '" + name + "' is read-only.");
      case RESERVED:
        throw GovernanceException.of(
            RuleCode.RESERVED_ATTRIBUTE, "Attribute '" + name + "' is reserved.");
      case PROPERTY:
        checkPropertyName(name);
        return rule;
      default:
        return rule;
    }
  }

  /**
   * The screening of a patch path's first token before anything else (Glance's {@code
   * _validate_change}): read-only, then reserved, 403.
   *
   * @param root the path's first token
   */
  public static void screenPatchPath(String root) {
    Door door = rule(root).onPatch();
    if (door == Door.READ_ONLY || door == Door.RESERVED) {
      checkName(Via.PATCH, root);
    }
  }

  private static void checkPropertyName(String key) {
    if (key.isEmpty()) {
      throw invalid("Custom property names must not be empty.");
    }
    if (key.length() > MAX_TEXT) {
      throw invalid("Custom property should not be greater than 255 characters.");
    }
    if (hasFourByteChars(key)) {
      throw invalid("Property names can't contain 4 byte unicode.");
    }
  }

  private void checkValue(Rule rule, @Nullable Object value) {
    String name = rule.name();
    switch (rule.kind()) {
      case TEXT:
        if (value != null) {
          text(name, String.valueOf(value), rule.maxLength());
        }
        return;
      case UUID:
        imageId(String.valueOf(value));
        return;
      case FORMAT:
        if (value != null) {
          format(name, String.valueOf(value));
        }
        return;
      case INTEGER:
        nonNegative(name, ((Number) Objects.requireNonNull(value, name)).longValue());
        return;
      case TAGS:
        for (Object tag : (Collection<?>) Objects.requireNonNull(value, name)) {
          tag(String.valueOf(tag));
        }
        return;
      case VISIBILITY:
        if (!(value instanceof Visibility)
            && Visibility.fromWireName(String.valueOf(value)).isEmpty()) {
          throw invalid("Invalid visibility value: " + value);
        }
        return;
      default:
        return;
    }
  }

  /**
   * A text attribute: no 4-byte characters ("Name can't contain 4 byte unicode characters."),
   * at most {@code max} characters.
   *
   * @param field the attribute, for the message
   * @param value the text to check
   * @param max the most characters allowed
   * @return a text attribute: no 4-byte characters ("Name can't contain 4 byte unicode
   *     characters."), at most {@code max} characters
   */
  public static String text(String field, String value, int max) {
    if (hasFourByteChars(value)) {
      throw invalid(title(field) + " can't contain 4 byte unicode characters.");
    }
    if (value.length() > max) {
      throw invalid(
          title(field) + " is too long: " + value.length() + " characters, at most " + max + ".");
    }
    return value;
  }

  /**
   * One tag: at most 255 characters, no 4-byte characters (Glance's tag writer refuses them as a
   * parameter: "Param values can't contain 4 byte unicode.").
   *
   * @param tag the tag to check
   * @return one tag: at most 255 characters, no 4-byte characters (Glance's tag writer refuses them
   *     as a parameter: "Param values can't contain 4 byte unicode.")
   */
  public static String tag(String tag) {
    if (hasFourByteChars(tag)) {
      throw invalid("Param values can't contain 4 byte unicode.");
    }
    return checkTagLength(tag);
  }

  /**
   * {@return a tag's length: at most 255 characters (the schema of {@code tags}' items, 400)}
   *
   * @param tag the tag to check
   */
  public static String checkTagLength(String tag) {
    if (tag.length() > MAX_TEXT) {
      throw invalid("Tag is too long: " + tag.length() + " characters, at most " + MAX_TEXT + ".");
    }
    return tag;
  }

  /** A custom property's value: any string without 4-byte characters. */
  static String checkPropertyValue(String key, String value) {
    if (hasFourByteChars(value)) {
      throw invalid(title(key) + " can't contain 4 byte unicode characters.");
    }
    return value;
  }

  /**
   * {@return the domain setter of {@code min_disk}/{@code min_ram}: not negative (400)}
   *
   * @param field the attribute, for the message
   * @param value the value to check
   */
  public static long nonNegative(String field, long value) {
    if (value < 0) {
      throw invalid(
          "Invalid value '" + value + "' for parameter '" + field
              + "': Cannot be a negative value");
    }
    return value;
  }

  /**
   * {@return Glance's {@code _validate_db_int}: at most 2^31-1 (400)}
   *
   * @param field the attribute, for the message
   * @param value the value to check
   */
  public static int checkRange(String field, long value) {
    if (value > MAX_INT) {
      throw invalid("'" + field + "' value out of range, must not exceed " + MAX_INT + ".");
    }
    return (int) value;
  }

  /**
   * {@return a format value: one of the configured formats of {@code field} (400)}
   *
   * @param field {@code disk_format} or {@code container_format}
   * @param value the format asked for
   */
  public String format(String field, String value) {
    List<String> allowed = field.equals("disk_format") ? diskFormats : containerFormats;
    if (!allowed.contains(value)) {
      throw invalid("Invalid " + field + " '" + value + "': it must be one of " + allowed + ".");
    }
    return value;
  }

  /**
   * {@return a caller-supplied image id (400 {@code INVALID_IMAGE_ID})}
   *
   * @param value the id as the caller sent it
   */
  public static ImageId imageId(String value) {
    if (!ImageId.isValid(value)) {
      throw GovernanceException.of(
          StoreErrorCode.INVALID_IMAGE_ID, "Invalid id '" + value + "': it must be a UUID.");
    }
    return ImageId.of(value);
  }

  /**
   * {@code image_tag_quota} (negative: unlimited), 413.
   *
   * @param attempted the tag count the change would reach
   * @param quota the limit; negative for unlimited
   */
  public static void checkTagQuota(int attempted, int quota) {
    checkQuota(RuleCode.TAG_QUOTA_EXCEEDED, "tags", attempted, quota);
  }

  /**
   * {@code image_property_quota} (negative: unlimited) over {@code keys}, not counting the
   * library's own properties ({@link #isSystemProperty}), 413.
   *
   * @param keys the property names the image would have
   * @param quota the most properties allowed; negative for no limit
   */
  public static void checkPropertyQuota(Set<String> keys, int quota) {
    if (quota < 0) {
      return;
    }
    int counted = 0;
    for (String key : keys) {
      if (!isSystemProperty(key)) {
        counted++;
      }
    }
    checkQuota(RuleCode.PROPERTY_QUOTA_EXCEEDED, "properties", counted, quota);
  }

  /**
   * A per-image limit (negative: unlimited): "The limit has been exceeded on the number of allowed
   * image {@code what}. Attempted: N, Maximum: M".
   *
   * @param code the stable error code, which also fixes the HTTP status
   * @param what what is counted, for the message
   * @param attempted the count the change would reach
   * @param quota the limit; negative for unlimited
   */
  public static void checkQuota(ErrorCode code, String what, int attempted, int quota) {
    if (quota >= 0 && attempted > quota) {
      throw GovernanceException.of(
          code,
          "The limit has been exceeded on the number of allowed image "
              + what
              + ". Attempted: "
              + attempted
              + ", Maximum: "
              + quota);
    }
  }

  /**
   * {@return whether {@code s} holds a character outside the Basic Multilingual Plane (4-byte
   * UTF-8)}
   *
   * @param s the text to scan
   */
  public static boolean hasFourByteChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Python's {@code str.title()}, with which Glance names a field in its 4-byte message: a cased
   * letter is upper case after an uncased character, lower case after a cased one.
   */
  static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean previousCased = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean cased =
          Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
      out.append(cased ? (previousCased ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
      previousCased = cased;
    }
    return out.toString();
  }

  private static GovernanceException invalid(String message) {
    return GovernanceException.of(StoreErrorCode.INVALID_VALUE, message);
  }
}
