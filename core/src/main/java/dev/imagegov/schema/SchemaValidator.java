package dev.imagegov.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * A compiled JSON schema of the draft-4 subset Glance's image schema and operators' {@code
 * schema-image.json} files use, checked the way Glance's {@code jsonschema} library checks it.
 *
 * <p>Keywords: {@code type} (one name or a list; {@code integer} excludes fractions, as in draft
 * 4), {@code enum}, {@code minLength}/{@code maxLength} (counted in code points), {@code pattern}
 * (searched, not anchored), {@code minimum}/{@code maximum} with the draft-4 boolean {@code
 * exclusiveMinimum}/{@code exclusiveMaximum}, {@code multipleOf}, {@code items} (one schema or a
 * tuple), {@code additionalItems}, {@code minItems}/{@code maxItems}, {@code uniqueItems}, {@code
 * properties}, {@code patternProperties}, {@code additionalProperties} (a boolean or a schema),
 * {@code required}, {@code minProperties}/{@code maxProperties}, {@code allOf}, {@code anyOf},
 * {@code oneOf} and {@code not}. Annotations ({@code description}, {@code title}, {@code default},
 * {@code readOnly}, {@code writeOnly}, {@code format}, which Glance does not check, …) are ignored;
 * {@code $ref} is refused when compiled, since no file Glance ships uses it.
 *
 * <p>Compilation and validation recurse only along the schema, which is at most {@link
 * PropertyDefinitions#MAX_DEPTH} levels deep (compile refuses a deeper one), so neither recurses
 * without a bound. Messages read like {@code jsonschema}'s ({@code '1' is not of type 'integer'}).
 * Immutable and thread-safe.
 */
final class SchemaValidator {
  private static final Set<String> TYPES =
      Set.of("string", "integer", "number", "boolean", "null", "array", "object", "any");

  private final List<String> types;
  private final @Nullable JsonNode enumValues;
  private final long minLength;
  private final long maxLength;
  private final @Nullable Pattern pattern;
  private final @Nullable BigDecimal minimum;
  private final boolean exclusiveMinimum;
  private final @Nullable BigDecimal maximum;
  private final boolean exclusiveMaximum;
  private final @Nullable BigDecimal multipleOf;
  private final @Nullable SchemaValidator items;
  private final List<SchemaValidator> tupleItems;
  private final @Nullable SchemaValidator additionalItems;
  private final boolean additionalItemsAllowed;
  private final long minItems;
  private final long maxItems;
  private final boolean uniqueItems;
  private final Map<String, SchemaValidator> properties;
  private final Map<Pattern, SchemaValidator> patternProperties;
  private final @Nullable SchemaValidator additionalProperties;
  private final boolean additionalPropertiesAllowed;
  private final List<String> required;
  private final long minProperties;
  private final long maxProperties;
  private final List<SchemaValidator> allOf;
  private final List<SchemaValidator> anyOf;
  private final List<SchemaValidator> oneOf;
  private final @Nullable SchemaValidator not;

  /** Thrown while compiling: names the keyword and what is wrong with it. */
  static final class InvalidSchema extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidSchema(String message) {
      super(message, null, false, false);
    }
  }

  private SchemaValidator(JsonNode schema, int depth) {
    if (!schema.isObject()) {
      throw new InvalidSchema("a schema must be a JSON object, not " + repr(schema));
    }
    if (depth > PropertyDefinitions.MAX_DEPTH) {
      throw new InvalidSchema(
          "schemas nest deeper than " + PropertyDefinitions.MAX_DEPTH + " levels");
    }
    if (schema.has("$ref")) {
      throw new InvalidSchema("'$ref' is not supported");
    }
    types = typeNames(schema.get("type"));
    JsonNode e = schema.get("enum");
    if (e != null && (!e.isArray() || e.isEmpty())) {
      throw new InvalidSchema("'enum' must be a non-empty array");
    }
    enumValues = e;
    minLength = count(schema, "minLength", 0);
    maxLength = count(schema, "maxLength", Long.MAX_VALUE);
    pattern = regex(schema.get("pattern"), "pattern");
    minimum = number(schema, "minimum");
    maximum = number(schema, "maximum");
    exclusiveMinimum = flag(schema, "exclusiveMinimum", false);
    exclusiveMaximum = flag(schema, "exclusiveMaximum", false);
    multipleOf = number(schema, "multipleOf");
    if (multipleOf != null && multipleOf.signum() <= 0) {
      throw new InvalidSchema("'multipleOf' must be greater than 0");
    }
    JsonNode it = schema.get("items");
    items = it != null && it.isObject() ? new SchemaValidator(it, depth + 1) : null;
    tupleItems = it != null && it.isArray() ? list(it, "items", depth) : List.of();
    if (it != null && !it.isObject() && !it.isArray()) {
      throw new InvalidSchema("'items' must be a schema or an array of schemas");
    }
    JsonNode ai = schema.get("additionalItems");
    additionalItems = subschema(ai, "additionalItems", depth);
    additionalItemsAllowed = ai == null || !ai.isBoolean() || ai.booleanValue();
    minItems = count(schema, "minItems", 0);
    maxItems = count(schema, "maxItems", Long.MAX_VALUE);
    uniqueItems = flag(schema, "uniqueItems", false);
    properties = new java.util.LinkedHashMap<>();
    JsonNode props = schema.get("properties");
    if (props != null) {
      if (!props.isObject()) {
        throw new InvalidSchema("'properties' must be an object of schemas");
      }
      props.fields().forEachRemaining(
          f -> properties.put(f.getKey(), new SchemaValidator(f.getValue(), depth + 1)));
    }
    patternProperties = new java.util.LinkedHashMap<>();
    JsonNode pp = schema.get("patternProperties");
    if (pp != null) {
      if (!pp.isObject()) {
        throw new InvalidSchema("'patternProperties' must be an object of schemas");
      }
      pp.fields()
          .forEachRemaining(
              f ->
                  patternProperties.put(
                      regex(new com.fasterxml.jackson.databind.node.TextNode(f.getKey()),
                          "patternProperties"),
                      new SchemaValidator(f.getValue(), depth + 1)));
    }
    JsonNode ap = schema.get("additionalProperties");
    additionalProperties = subschema(ap, "additionalProperties", depth);
    additionalPropertiesAllowed = ap == null || !ap.isBoolean() || ap.booleanValue();
    required = new ArrayList<>();
    JsonNode req = schema.get("required");
    if (req != null) {
      if (!req.isArray()) {
        throw new InvalidSchema("'required' must be an array of names");
      }
      for (JsonNode r : req) {
        if (!r.isTextual()) {
          throw new InvalidSchema("'required' must be an array of names");
        }
        required.add(r.asText());
      }
    }
    minProperties = count(schema, "minProperties", 0);
    maxProperties = count(schema, "maxProperties", Long.MAX_VALUE);
    allOf = combinator(schema, "allOf", depth);
    anyOf = combinator(schema, "anyOf", depth);
    oneOf = combinator(schema, "oneOf", depth);
    JsonNode n = schema.get("not");
    not = n == null ? null : new SchemaValidator(n, depth + 1);
  }

  /**
   * Compiles {@code schema} (the schema's own object is depth 1).
   *
   * @param schema a JSON-schema object of the supported subset
   * @return the validator of that schema
   * @throws InvalidSchema naming the keyword that is malformed or unsupported
   */
  static SchemaValidator compile(ObjectNode schema) {
    return new SchemaValidator(schema, 1);
  }

  /**
   * The first violation of the schema by {@code instance}, in document order.
   *
   * @param instance the JSON value to check
   * @return the violation's message in {@code jsonschema}'s words, or null if the value is valid
   */
  @Nullable String firstError(JsonNode instance) {
    return check(instance, null);
  }

  /**
   * The first violation of the object schema by one member of {@code document}.
   *
   * @param document the JSON object to check
   * @return the member that violates the schema first and the message, or null if the document
   *     is valid; the member is null when the violation concerns the object as a whole
   */
  String @Nullable [] firstPropertyError(ObjectNode document) {
    String[] where = new String[1];
    String message = check(document, where);
    return message == null ? null : new String[] {where[0], message};
  }

  /** Checks {@code v}; on a member's violation at the top, {@code where[0]} names the member. */
  private @Nullable String check(JsonNode v, String @Nullable [] where) {
    if (!types.isEmpty() && types.stream().noneMatch(t -> isType(v, t))) {
      return repr(v) + " is not of type "
          + String.join(", ", types.stream().map(t -> "'" + t + "'").toList());
    }
    if (enumValues != null && !contains(enumValues, v)) {
      return repr(v) + " is not one of " + repr(enumValues);
    }
    if (v.isTextual()) {
      String s = v.textValue();
      long length = s.codePointCount(0, s.length());
      if (length > maxLength) {
        return repr(v) + " is too long";
      }
      if (length < minLength) {
        return repr(v) + " is too short";
      }
      if (pattern != null && !pattern.matcher(s).find()) {
        return repr(v) + " does not match " + repr(pattern.pattern());
      }
    }
    if (v.isNumber()) {
      String bad = numberError(v);
      if (bad != null) {
        return bad;
      }
    }
    if (v.isArray()) {
      String bad = arrayError(v);
      if (bad != null) {
        return bad;
      }
    }
    if (v.isObject()) {
      String bad = objectError(v, where);
      if (bad != null) {
        return bad;
      }
    }
    return combinatorError(v);
  }

  private @Nullable String numberError(JsonNode v) {
    BigDecimal d = v.decimalValue();
    if (minimum != null) {
      int c = d.compareTo(minimum);
      if (c < 0 || (exclusiveMinimum && c == 0)) {
        return repr(v)
            + (exclusiveMinimum
                ? " is less than or equal to the minimum of "
                : " is less than the minimum of ")
            + minimum.toPlainString();
      }
    }
    if (maximum != null) {
      int c = d.compareTo(maximum);
      if (c > 0 || (exclusiveMaximum && c == 0)) {
        return repr(v)
            + (exclusiveMaximum
                ? " is greater than or equal to the maximum of "
                : " is greater than the maximum of ")
            + maximum.toPlainString();
      }
    }
    if (multipleOf != null && d.remainder(multipleOf).signum() != 0) {
      return repr(v) + " is not a multiple of " + multipleOf.toPlainString();
    }
    return null;
  }

  private @Nullable String arrayError(JsonNode v) {
    if (v.size() < minItems) {
      return repr(v) + " is too short";
    }
    if (v.size() > maxItems) {
      return repr(v) + " is too long";
    }
    if (uniqueItems) {
      Set<JsonNode> seen = new HashSet<>();
      for (JsonNode e : v) {
        if (!seen.add(e)) {
          return repr(v) + " has non-unique elements";
        }
      }
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      SchemaValidator s;
      if (items != null) {
        s = items;
      } else if (i < tupleItems.size()) {
        s = tupleItems.get(i);
      } else if (!tupleItems.isEmpty() && !additionalItemsAllowed) {
        return "Additional items are not allowed (" + repr(e) + " was unexpected)";
      } else {
        s = !tupleItems.isEmpty() ? additionalItems : null;
      }
      String bad = s == null ? null : s.check(e, null);
      if (bad != null) {
        return bad;
      }
    }
    return null;
  }

  private @Nullable String objectError(JsonNode v, String @Nullable [] where) {
    for (String r : required) {
      if (!v.has(r)) {
        return repr(r) + " is a required property";
      }
    }
    if (v.size() < minProperties) {
      return repr(v) + " does not have enough properties";
    }
    if (v.size() > maxProperties) {
      return repr(v) + " has too many properties";
    }
    Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String bad = memberError(f.getKey(), f.getValue());
      if (bad != null) {
        if (where != null) {
          where[0] = f.getKey();
        }
        return bad;
      }
    }
    return null;
  }

  private @Nullable String memberError(String name, JsonNode value) {
    boolean matched = false;
    SchemaValidator declared = properties.get(name);
    if (declared != null) {
      matched = true;
      String bad = declared.check(value, null);
      if (bad != null) {
        return bad;
      }
    }
    for (Map.Entry<Pattern, SchemaValidator> p : patternProperties.entrySet()) {
      if (p.getKey().matcher(name).find()) {
        matched = true;
        String bad = p.getValue().check(value, null);
        if (bad != null) {
          return bad;
        }
      }
    }
    if (matched) {
      return null;
    }
    if (!additionalPropertiesAllowed) {
      return "Additional properties are not allowed (" + repr(name) + " was unexpected)";
    }
    return additionalProperties == null ? null : additionalProperties.check(value, null);
  }

  private @Nullable String combinatorError(JsonNode v) {
    for (SchemaValidator s : allOf) {
      String bad = s.check(v, null);
      if (bad != null) {
        return bad;
      }
    }
    if (!anyOf.isEmpty() && anyOf.stream().allMatch(s -> s.check(v, null) != null)) {
      return repr(v) + " is not valid under any of the given schemas";
    }
    if (!oneOf.isEmpty()) {
      long valid = oneOf.stream().filter(s -> s.check(v, null) == null).count();
      if (valid == 0) {
        return repr(v) + " is not valid under any of the given schemas";
      }
      if (valid > 1) {
        return repr(v) + " is valid under each of " + valid + " of the given schemas";
      }
    }
    if (not != null && not.check(v, null) == null) {
      return repr(v) + " should not be valid under the 'not' schema";
    }
    return null;
  }

  private static boolean isType(JsonNode v, String type) {
    switch (type) {
      case "string":
        return v.isTextual();
      case "integer":
        return v.isIntegralNumber();
      case "number":
        return v.isNumber();
      case "boolean":
        return v.isBoolean();
      case "null":
        return v.isNull();
      case "array":
        return v.isArray();
      case "object":
        return v.isObject();
      default:
        return true; // "any"
    }
  }

  /** JSON equality, except that numbers compare by value (1 equals 1.0). */
  private static boolean contains(JsonNode values, JsonNode v) {
    for (JsonNode e : values) {
      if (e.equals(v)
          || (e.isNumber() && v.isNumber() && e.decimalValue().compareTo(v.decimalValue()) == 0)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> typeNames(@Nullable JsonNode type) {
    if (type == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    if (type.isTextual()) {
      names.add(type.asText());
    } else if (type.isArray() && !type.isEmpty()) {
      type.forEach(t -> names.add(t.isTextual() ? t.asText() : "?"));
    } else {
      throw new InvalidSchema("'type' must be a type name or a non-empty array of type names");
    }
    for (String n : names) {
      if (!TYPES.contains(n)) {
        throw new InvalidSchema("'type' names an unknown type: " + repr(type));
      }
    }
    return List.copyOf(names);
  }

  private static long count(JsonNode schema, String keyword, long absent) {
    JsonNode n = schema.get(keyword);
    if (n == null) {
      return absent;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
      throw new InvalidSchema("'" + keyword + "' must be a non-negative integer");
    }
    return n.longValue();
  }

  private static @Nullable BigDecimal number(JsonNode schema, String keyword) {
    JsonNode n = schema.get(keyword);
    if (n == null) {
      return null;
    }
    if (!n.isNumber()) {
      throw new InvalidSchema("'" + keyword + "' must be a number");
    }
    return n.decimalValue();
  }

  private static boolean flag(JsonNode schema, String keyword, boolean absent) {
    JsonNode n = schema.get(keyword);
    if (n == null) {
      return absent;
    }
    if (!n.isBoolean()) {
      throw new InvalidSchema("'" + keyword + "' must be a boolean");
    }
    return n.booleanValue();
  }

  private static @Nullable Pattern regex(@Nullable JsonNode n, String keyword) {
    if (n == null) {
      return null;
    }
    if (!n.isTextual()) {
      throw new InvalidSchema("'" + keyword + "' must be a regular expression");
    }
    try {
      return Pattern.compile(n.asText());
    } catch (PatternSyntaxException e) {
      throw new InvalidSchema(
          "'" + keyword + "' is not a valid regular expression: " + repr(n.asText()));
    }
  }

  private static @Nullable SchemaValidator subschema(
      @Nullable JsonNode n, String keyword, int depth) {
    if (n == null || n.isBoolean()) {
      return null;
    }
    if (!n.isObject()) {
      throw new InvalidSchema("'" + keyword + "' must be a boolean or a schema");
    }
    return new SchemaValidator(n, depth + 1);
  }

  private static List<SchemaValidator> combinator(JsonNode schema, String keyword, int depth) {
    JsonNode n = schema.get(keyword);
    if (n == null) {
      return List.of();
    }
    if (!n.isArray() || n.isEmpty()) {
      throw new InvalidSchema("'" + keyword + "' must be a non-empty array of schemas");
    }
    return list(n, keyword, depth);
  }

  private static List<SchemaValidator> list(JsonNode array, String keyword, int depth) {
    List<SchemaValidator> out = new ArrayList<>();
    for (JsonNode s : array) {
      if (!s.isObject()) {
        throw new InvalidSchema("'" + keyword + "' must hold schemas (JSON objects)");
      }
      out.add(new SchemaValidator(s, depth + 1));
    }
    return List.copyOf(out);
  }

  private static String repr(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * A value as Python prints it ({@code 'text'}, {@code None}, {@code True}, {@code ['a', 1]}),
   * which is how Glance's messages show it; containers are shown to one level and then elided,
   * so the rendering never recurses deeply.
   */
  private static String repr(JsonNode v) {
    return repr(v, 2);
  }

  private static String repr(JsonNode v, int levels) {
    if (v.isTextual()) {
      return repr(v.textValue());
    }
    if (v.isNull()) {
      return "None";
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? "True" : "False";
    }
    if (v.isNumber()) {
      return v.asText();
    }
    if (levels == 0) {
      return v.isArray() ? "[...]" : "{...}";
    }
    List<String> parts = new ArrayList<>();
    if (v.isArray()) {
      v.forEach(e -> parts.add(repr(e, levels - 1)));
      return "[" + String.join(", ", parts) + "]";
    }
    v.fields().forEachRemaining(
        f -> parts.add(repr(f.getKey()) + ": " + repr(f.getValue(), levels - 1)));
    return "{" + String.join(", ", parts) + "}";
  }
}
