package dev.imagegov.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.error.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Operator-supplied definitions of custom image properties, as Glance reads them from {@code
 * schema-image.json}: a JSON object mapping each property name to a JSON-schema definition (for
 * example a nullable UUID pattern for {@code kernel_id}). The definitions are merged into the image
 * schema as non-base properties and validated on create and update.
 *
 * <p>Immutable. A malformed file (not JSON, not an object, a definition that is not an object,
 * arrays and objects nested deeper than 64 levels) is
 * refused when loaded with a {@link dev.imagegov.error.ConfigurationException}; a
 * definition that redefines a base property differently is refused when the schema is built.
 */
public final class PropertyDefinitions {
  /**
   * The deepest nesting of arrays and objects a definitions file may have (the file's object is
   * 1): schemas are compiled, copied and validated by recursive code, so deeper ones are refused.
   */
  static final int MAX_DEPTH = 64;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          com.fasterxml.jackson.core.JsonFactory.builder()
              .streamReadConstraints(
                  com.fasterxml.jackson.core.StreamReadConstraints.builder()
                      .maxNestingDepth(MAX_DEPTH)
                      .build())
              .build());
  private static final PropertyDefinitions NONE = new PropertyDefinitions(new LinkedHashMap<>());

  private final Map<String, ObjectNode> definitions;

  private PropertyDefinitions(Map<String, ObjectNode> definitions) {
    this.definitions = definitions;
  }

  /** {@return no custom definitions: the schema has only Glance's base properties} */
  public static PropertyDefinitions none() {
    return NONE;
  }

  /**
   * Definitions from the text of a {@code schema-image.json} file.
   *
   * @param json the file's text
   * @return the definitions the text holds
   * @throws ConfigurationException if the text is not a JSON object of
   *     object-valued definitions
   */
  public static PropertyDefinitions parse(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
      throw invalid(
          "schema-image.json nests arrays and objects deeper than " + MAX_DEPTH + " levels.");
    } catch (JsonProcessingException e) {
      throw invalid("schema-image.json is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw invalid("schema-image.json must hold a JSON object of property definitions.");
    }
    Map<String, ObjectNode> defs = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (!field.getValue().isObject()) {
        throw invalid(
            "schema-image.json: the definition of '" + field.getKey() + "' must be a JSON object.");
      }
      defs.put(field.getKey(), ((ObjectNode) field.getValue()).deepCopy());
    }
    return new PropertyDefinitions(defs);
  }

  /**
   * Definitions read from a {@code schema-image.json} file.
   *
   * @param file the {@code schema-image.json} file
   * @return the definitions the file holds
   * @throws ConfigurationException if the file cannot be read or is
   *     malformed
   */
  public static PropertyDefinitions load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw invalid("Cannot read the schema properties file " + file + ": " + e.getMessage());
    }
    return parse(text);
  }

  /** {@return the property names defined} */
  public Set<String> names() {
    return java.util.Collections.unmodifiableSet(definitions.keySet());
  }

  /** A copy of the definition of {@code name}, or null when it is not defined. */
  @Nullable ObjectNode definition(String name) {
    ObjectNode d = definitions.get(name);
    return d == null ? null : d.deepCopy();
  }

  /** {@return whether no property is defined} */
  public boolean isEmpty() {
    return definitions.isEmpty();
  }

  static ConfigurationException invalid(String message) {
    return new ConfigurationException(message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PropertyDefinitions
        && ((PropertyDefinitions) o).definitions.equals(definitions);
  }

  @Override
  public int hashCode() {
    return definitions.hashCode();
  }

  @Override
  public String toString() {
    return "PropertyDefinitions" + definitions.keySet();
  }
}
