package dev.imagegov.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.internal.BoundedJson;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.PatchOperation.Verb;
import dev.imagegov.schema.ImageSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses a JSON-patch document of Glance's two media types into an {@link ImagePatch}, with
 * Glance's rules, in Glance's order: the media type (415), the body (present, a JSON array of
 * objects), each operation's verb and path, the JSON-pointer grammar and its decoding ({@code ~1}
 * is {@code /}, {@code ~0} is {@code ~}), the path depth (one token, except {@code /locations}),
 * the value, then the screening of the attribute (read-only and reserved names 403, asked of the
 * attribute table {@link Attributes#screenPatchPath}) and the schema validation of the single-key
 * partial document (400).
 *
 * <p>{@value #V2_1} is RFC 6902 style ({@code {"op": "add", "path": "/x", "value": ...}}); {@value
 * #V2_0} names the verb as the key ({@code {"add": "/x", "value": ...}}) and its {@code add}
 * refuses a property that is present. Every refusal is a {@link GovernanceException} whose message
 * says which operation (by index) and what was wrong; no parser exception escapes. The document is
 * read with Jackson under {@link PatchLimits}: longer than allowed is 413, nested deeper or with
 * more operations than allowed is 400.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonPatchParser {
  /** The RFC 6902 style media type. */
  public static final String V2_1 = "application/openstack-images-v2.1-json-patch";

  /** The legacy media type. */
  public static final String V2_0 = "application/openstack-images-v2.0-json-patch";

  /** The media types accepted, as Glance lists them in {@code Accept-Patch}. */
  public static final ImmutableList<String> MEDIA_TYPES = ImmutableList.of(V2_0, V2_1);

  private static final ImmutableMap<String, Integer> LOCATION_DEPTH =
      ImmutableMap.of("add", 2, "remove", 2, "replace", 1);
  private static final String OPERATIONS = "add, remove, replace";
  private static final Pattern ADJACENT_SLASHES = Pattern.compile("/\\s*?/");
  private static final Pattern BAD_TILDE = Pattern.compile("~[^01]");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ImageSchema schema;
  private final PatchLimits limits;
  private final BoundedJson reader;

  /**
   * A parser validating values against {@code schema}, within {@code limits}.
   *
   * @param schema the image schema that validates the result
   * @param limits the largest document, deepest nesting and most operations accepted
   */
  public JsonPatchParser(ImageSchema schema, PatchLimits limits) {
    this.schema = schema;
    this.limits = limits;
    this.reader = new BoundedJson(limits.maxDocumentChars(), limits.maxDepth());
  }

  /** {@return the limits in force} */
  public PatchLimits limits() {
    return limits;
  }

  /**
   * Parses {@code body} sent with {@code mediaType} (parameters such as {@code ; charset=utf-8}
   * are ignored).
   *
   * @param mediaType the request's {@code Content-Type}
   * @param body the patch document, a JSON array of operations
   * @return the typed operations, in document order
   * @throws GovernanceException 415 {@code UNSUPPORTED_MEDIA_TYPE} for any other media type; 413
   *     {@code REQUEST_TOO_LARGE} for a body over the limit; 400 {@code MALFORMED_REQUEST} for a
   *     missing, malformed, too deep or too long document, a bad verb, path or missing value; 403
   *     {@code READ_ONLY_ATTRIBUTE} / {@code RESERVED_ATTRIBUTE} for a path naming one; 400 {@code
   *     INVALID_VALUE} for a value the image schema refuses
   */
  public ImagePatch parse(@Nullable String mediaType, @Nullable String body) {
    boolean legacy = dialect(mediaType);
    JsonNode root = reader.read(body);
    if (!root.isArray()) {
      throw malformed("Request body must be a JSON array of operation objects.");
    }
    if (root.size() > limits.maxOperations()) {
      throw malformed(
          "The document has "
              + root.size()
              + " operations; at most "
              + limits.maxOperations()
              + " are accepted.");
    }
    List<PatchOperation> operations = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode raw = root.get(i);
      if (!raw.isObject()) {
        throw malformed("Operations must be JSON objects." + at(i));
      }
      try {
        operations.add(parseOperation((ObjectNode) raw, legacy));
      } catch (GovernanceException e) {
        throw GovernanceException.of(e.code(), e.getMessage() + at(i), e);
      }
    }
    return ImagePatch.of(operations);
  }

  /** The suffix naming an operation in messages. */
  static String at(int index) {
    return " (operation #" + index + ")";
  }

  private static boolean dialect(@Nullable String mediaType) {
    String type = mediaType == null ? "" : mediaType;
    int semicolon = type.indexOf(';');
    if (semicolon >= 0) {
      type = type.substring(0, semicolon);
    }
    type = type.trim().toLowerCase(Locale.ROOT);
    if (type.equals(V2_1)) {
      return false;
    }
    if (type.equals(V2_0)) {
      return true;
    }
    throw GovernanceException.of(
        RuleCode.UNSUPPORTED_MEDIA_TYPE,
        "The media type '"
            + (mediaType == null ? "" : mediaType)
            + "' is not supported for image updates; use one of: "
            + String.join(", ", MEDIA_TYPES)
            + ".");
  }

  private PatchOperation parseOperation(ObjectNode raw, boolean legacy) {
    String op;
    JsonNode pathNode;
    if (legacy) {
      op = legacyVerb(raw);
      pathNode = raw.get(op);
    } else {
      JsonNode opNode = raw.get("op");
      if (opNode == null) {
        throw malformed(
            "Unable to find `op` in JSON Schema change. It must be one of the following: "
                + OPERATIONS
                + ".");
      }
      op = opNode.isTextual() ? opNode.asText() : opNode.toString();
      if (!opNode.isTextual() || !LOCATION_DEPTH.containsKey(op)) {
        throw malformed(
            "Invalid operation: `"
                + op
                + "`. It must be one of the following: "
                + OPERATIONS
                + ".");
      }
      pathNode = raw.get("path");
      if (pathNode == null) {
        throw malformed("Unable to find 'path' in JSON Schema change");
      }
    }
    if (pathNode == null || !pathNode.isTextual()) {
      throw malformed("Pointer `" + pathNode + "` must be a JSON string.");
    }
    List<String> path = decodePointer(pathNode.asText());
    validateDepth(op, path);
    String root = path.get(0);
    JsonNode value = null;
    if (!op.equals("remove")) {
      value = raw.get("value");
      if (value == null) {
        throw malformed("Operation \"" + op + "\" requires a member named \"value\".");
      }
    }
    Attributes.screenPatchPath(root);
    if (value != null) {
      ObjectNode partial = NODES.objectNode();
      if (path.size() == 1) {
        partial.set(root, value);
      } else {
        ArrayNode one = NODES.arrayNode();
        one.add(value);
        partial.set(root, one);
      }
      schema.validate(partial);
    }
    return toOperation(Verb.valueOf(op.toUpperCase(Locale.ROOT)), path, value, legacy);
  }

  private static String legacyVerb(ObjectNode raw) {
    String found = null;
    for (String key : List.of("add", "remove", "replace")) {
      if (raw.has(key)) {
        if (found != null) {
          throw malformed(
              "Operation objects must contain only one member named \"add\", \"remove\", or"
                  + " \"replace\".");
        }
        found = key;
      }
    }
    if (found == null) {
      throw malformed(
          "Operation objects must contain exactly one member named \"add\", \"remove\", or"
              + " \"replace\".");
    }
    return found;
  }

  /**
   * Validates a JSON pointer with Glance's restricted grammar and decodes it into tokens: leading
   * slashes stripped, split on {@code /}, {@code ~1} then {@code ~0} unescaped, each token trimmed.
   */
  static List<String> decodePointer(String pointer) {
    if (isPlainToken(pointer)) {
      // One slash then one token with nothing to unescape, split or strip: every rule below
      // passes and the token is the rest.
      return List.of(pointer.substring(1));
    }
    if (!pointer.startsWith("/")) {
      throw malformed("Pointer `" + pointer + "` does not start with \"/\".");
    }
    if (ADJACENT_SLASHES.matcher(pointer.substring(1)).find()) {
      throw malformed("Pointer `" + pointer + "` contains adjacent \"/\".");
    }
    if (pointer.length() > 1 && pointer.endsWith("/")) {
      throw malformed("Pointer `" + pointer + "` end with \"/\".");
    }
    if (pointer.substring(1).strip().equals("/")) {
      throw malformed("Pointer `" + pointer + "` does not contains valid token.");
    }
    if (BAD_TILDE.matcher(pointer).find() || pointer.endsWith("~")) {
      throw malformed(
          "Pointer `" + pointer + "` contains \"~\" not part of a recognized escape sequence.");
    }
    int start = 0;
    while (start < pointer.length() && pointer.charAt(start) == '/') {
      start++;
    }
    List<String> tokens = new ArrayList<>();
    for (String part : pointer.substring(start).split("/", -1)) {
      tokens.add(part.replace("~1", "/").replace("~0", "~").strip());
    }
    return tokens;
  }

  /**
   * Whether {@code pointer} is {@code /} then one or more printable ASCII characters other than
   * {@code /} and {@code ~} (no space): the common pointer ({@code /name}, {@code /os_distro}).
   */
  private static boolean isPlainToken(String pointer) {
    int length = pointer.length();
    if (length < 2 || pointer.charAt(0) != '/') {
      return false;
    }
    for (int i = 1; i < length; i++) {
      char c = pointer.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '/' || c == '~') {
        return false;
      }
    }
    return true;
  }

  private static void validateDepth(String op, List<String> path) {
    int allowed = path.get(0).equals("locations") ? LOCATION_DEPTH.get(op) : 1;
    if (path.size() != allowed) {
      throw malformed(
          "Invalid JSON pointer for this resource: '/" + String.join("/", path) + "'");
    }
  }

  private PatchOperation toOperation(
      Verb verb, List<String> path, @Nullable JsonNode value, boolean legacy) {
    String root = path.get(0);
    if (root.equals("locations")) {
      Optional<String> position = path.size() > 1 ? Optional.of(path.get(1)) : Optional.empty();
      boolean empty =
          verb == Verb.REPLACE && value != null && (value.isNull() || value.isEmpty());
      return new PatchOperation.LocationChange(verb, position, empty);
    }
    if (verb == Verb.REMOVE) {
      return new PatchOperation.RemoveProperty(root);
    }
    if (value == null) {
      throw malformed("Operation \"" + verb.wireName() + "\" requires a member named \"value\".");
    }
    if (legacy && verb == Verb.ADD) {
      return new PatchOperation.AddProperty(root, text(value), true);
    }
    switch (root) {
      case "name":
        return new PatchOperation.SetName(optionalText(value));
      case "visibility":
        return new PatchOperation.SetVisibility(
            Visibility.fromWireName(value.asText())
                .orElseThrow(() -> invalid("Invalid visibility value: " + value)));
      case "protected":
        return new PatchOperation.SetProtected(value.asBoolean());
      case "os_hidden":
        return new PatchOperation.SetOsHidden(value.asBoolean());
      case "min_disk":
        return new PatchOperation.SetMinDisk(integer(value));
      case "min_ram":
        return new PatchOperation.SetMinRam(integer(value));
      case "disk_format":
        return new PatchOperation.SetDiskFormat(optionalText(value));
      case "container_format":
        return new PatchOperation.SetContainerFormat(optionalText(value));
      case "owner":
        return new PatchOperation.SetOwner(optionalText(value).filter(o -> !o.isEmpty()));
      case "tags":
        List<String> tags = new ArrayList<>();
        value.forEach(t -> tags.add(t.asText()));
        return new PatchOperation.SetTags(tags);
      default:
        String v = value.isNull() ? "" : value.asText();
        return verb == Verb.ADD
            ? new PatchOperation.AddProperty(root, v)
            : new PatchOperation.ReplaceProperty(root, v);
    }
  }

  private static Optional<String> optionalText(JsonNode value) {
    return value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : value.toString();
  }

  /** An integer the schema accepted, clamped to the long range (beyond 2^31-1 is refused later). */
  private static long integer(JsonNode value) {
    if (value.canConvertToLong()) {
      return value.asLong();
    }
    return value.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
  }

  static GovernanceException malformed(String message) {
    return GovernanceException.of(RuleCode.MALFORMED_REQUEST, message);
  }

  private static GovernanceException invalid(String message) {
    return GovernanceException.of(StoreErrorCode.INVALID_VALUE, message);
  }
}
