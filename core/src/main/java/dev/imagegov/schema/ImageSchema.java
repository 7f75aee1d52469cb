package dev.imagegov.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Iterables;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Glance's published JSON schemas ({@code /v2/schemas/image}, {@code /v2/schemas/images}, {@code
 * /v2/schemas/member}, {@code /v2/schemas/members}) for one configuration: the configured disk and
 * container formats and the operator's {@link PropertyDefinitions}. The image schema is permissive:
 * a property it does not declare must have a string value.
 *
 * <p>Immutable and thread-safe; every accessor returns a fresh copy of the tree. {@link
 * #validate(ObjectNode)} checks an image document (whole or partial) against the JSON-schema subset
 * Glance's schemas use (see {@code SchemaValidator}) and answers a violation as a {@link
 * GovernanceException} of code {@code INVALID_VALUE} naming the property.
 */
public final class ImageSchema {
  /** Glance's base property names: the keys of the image schema before any extension. */
  public static final ImmutableSet<String> BASE_PROPERTIES =
      ImmutableSet.of(
          "id", "name", "status", "visibility", "protected", "os_hidden", "checksum",
          "os_hash_algo", "os_hash_value", "owner", "size", "virtual_size", "container_format",
          "disk_format", "created_at", "updated_at", "tags", "direct_url", "min_ram", "min_disk",
          "self", "file", "stores", "schema", "locations");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The base attributes {@link #document} renders, after the custom properties. */
  private static final ImmutableSet<String> DOCUMENT_ATTRIBUTES =
      ImmutableSet.of(
          "id", "name", "status", "visibility", "protected", "os_hidden", "owner", "disk_format",
          "container_format", "size", "virtual_size", "checksum", "os_hash_algo",
          "os_hash_value", "min_disk", "min_ram", "tags", "created_at", "updated_at");
  private static final String UUID_PATTERN =
      "^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$";
  private static final DateTimeFormatter ISO_SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final ImmutableList<String> diskFormats;
  private final ImmutableList<String> containerFormats;
  private final PropertyDefinitions custom;
  private final ObjectNode image;
  private final SchemaValidator validator;

  private ImageSchema(
      List<String> diskFormats, List<String> containerFormats, PropertyDefinitions custom) {
    this.diskFormats = ImmutableList.copyOf(diskFormats);
    this.containerFormats = ImmutableList.copyOf(containerFormats);
    this.custom = custom;
    this.image = buildImage();
    SchemaValidator compiled;
    try {
      compiled = SchemaValidator.compile(validationTree(image));
    } catch (SchemaValidator.InvalidSchema e) {
      throw PropertyDefinitions.invalid(
          "The image schema with the custom property definitions is not a valid JSON schema: "
              + e.getMessage());
    }
    this.validator = compiled;
  }

  /**
   * The schema for these formats and custom definitions.
   *
   * @param diskFormats the disk formats the deployment accepts
   * @param containerFormats the container formats the deployment accepts
   * @param custom the operator's custom property definitions
   * @return the schema for these formats and custom definitions
   * @throws dev.imagegov.error.ConfigurationException if a custom definition redefines a
   *     base property differently, or the merged schema is not a valid JSON schema
   */
  public static ImageSchema of(
      List<String> diskFormats, List<String> containerFormats, PropertyDefinitions custom) {
    return new ImageSchema(diskFormats, containerFormats, custom);
  }

  /**
   * {@return the schema of Glance's default formats without custom definitions}
   *
   * @param diskFormats the disk formats the deployment accepts
   * @param containerFormats the container formats the deployment accepts
   */
  public static ImageSchema defaults(List<String> diskFormats, List<String> containerFormats) {
    return of(diskFormats, containerFormats, PropertyDefinitions.none());
  }

  /** {@return the configured disk formats} */
  public ImmutableList<String> diskFormats() {
    return diskFormats;
  }

  /** {@return the configured container formats} */
  public ImmutableList<String> containerFormats() {
    return containerFormats;
  }

  /** {@return the custom definitions merged in} */
  public PropertyDefinitions customProperties() {
    return custom;
  }

  /**
   * {@return whether {@code name} is declared by the schema (a base property or a custom
   * definition)}
   *
   * @param name the property's name
   */
  public boolean declares(String name) {
    return image.path("properties").has(name);
  }

  /**
   * {@return whether the schema accepts JSON null for the custom property {@code name}}
   *
   * @param name the property's name
   */
  public boolean acceptsNull(String name) {
    JsonNode def = image.path("properties").path(name);
    JsonNode type = def.path("type");
    if (type.isTextual()) {
      return type.asText().equals("null");
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (t.asText().equals("null")) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@return the value of {@code GET /v2/schemas/image}} */
  public ObjectNode image() {
    return image.deepCopy();
  }

  /** {@return {@code GET /v2/schemas/images}: the collection of images with paging links} */
  public ObjectNode images() {
    return collection("images", image());
  }

  /** {@return the value of {@code GET /v2/schemas/member}} */
  public ObjectNode member() {
    return memberSchema();
  }

  /** {@return the value of {@code GET /v2/schemas/members}} */
  public ObjectNode members() {
    ObjectNode c = collection("members", memberSchema());
    return c;
  }

  /**
   * Validates an image document, whole or partial (only the keys present are checked), against the
   * image schema.
   *
   * @param document the keys to check, with their values
   * @throws GovernanceException {@code INVALID_VALUE} naming the first offending property
   */
  public void validate(ObjectNode document) {
    String[] error = validator.firstPropertyError(document);
    if (error == null) {
      return;
    }
    throw GovernanceException.of(
        StoreErrorCode.INVALID_VALUE,
        "Provided object does not match schema 'image': "
            + (error[0] == null ? "" : "property '" + error[0] + "': ")
            + error[1]);
  }

  /**
   * Validates the document of a whole image (its base attributes and custom properties).
   *
   * @param value the image to validate
   */
  public void validate(Image value) {
    validate(document(value));
  }

  /**
   * An image as the schema describes it: custom properties first, then every base attribute
   * (absent values as JSON null), times with second precision, without links or locations.
   *
   * @param value the image to render
   * @return an image as the schema describes it: custom properties first, then every base attribute
   *     (absent values as JSON null), times with second precision, without links or locations
   */
  public static ObjectNode document(Image value) {
    return render(null, value);
  }

  /**
   * The part of {@code after}'s {@link #document} that differs from {@code before}'s: each key
   * whose value is not the one {@code before}'s document holds (a custom property added or
   * changed, a base attribute changed), in {@code after}'s document order, except {@code
   * updated_at} (every change moves it; no client sets it). Built without rendering the
   * attributes that are equal, so that a change is validated at the cost of what it changed.
   *
   * @param before the image before a change
   * @param after the image after it
   * @return the keys of {@code after}'s document whose value changed, with that value
   */
  public static ObjectNode changes(Image before, Image after) {
    return render(before, after);
  }

  /**
   * {@link #document} of {@code value}, or with {@code was} only the keys whose rendering
   * differs from {@code was}'s but the update time ({@link #changes}): each attribute is compared
   * by the value it is rendered from (times by their second), and rendered only when it is kept.
   */
  private static ObjectNode render(@org.jspecify.annotations.Nullable Image was, Image value) {
    ObjectNode doc = NODES.objectNode();
    Map<String, String> before = was == null ? null : was.properties();
    for (Map.Entry<String, String> p : value.properties().entrySet()) {
      if (before == null) {
        doc.put(p.getKey(), p.getValue());
      } else if (!p.getValue().equals(before.get(p.getKey()))
          && !DOCUMENT_ATTRIBUTES.contains(p.getKey())) {
        // (A property named as a base attribute is rendered as the attribute, below.)
        doc.put(p.getKey(), p.getValue());
      }
    }
    if (was == null || !was.id().equals(value.id())) {
      doc.put("id", value.id().value());
    }
    if (was == null || !was.name().equals(value.name())) {
      putNullable(doc, "name", value.name().orElse(null));
    }
    if (was == null || was.status() != value.status()) {
      doc.put("status", value.status().wireName());
    }
    if (was == null || was.visibility() != value.visibility()) {
      doc.put("visibility", value.visibility().wireName());
    }
    if (was == null || was.isProtected() != value.isProtected()) {
      doc.put("protected", value.isProtected());
    }
    if (was == null || was.osHidden() != value.osHidden()) {
      doc.put("os_hidden", value.osHidden());
    }
    if (was == null || !was.owner().equals(value.owner())) {
      putNullable(doc, "owner", value.owner().map(o -> o.value()).orElse(null));
    }
    if (was == null || !was.diskFormat().equals(value.diskFormat())) {
      putNullable(doc, "disk_format", value.diskFormat().orElse(null));
    }
    if (was == null || !was.containerFormat().equals(value.containerFormat())) {
      putNullable(doc, "container_format", value.containerFormat().orElse(null));
    }
    if (was == null || !was.size().equals(value.size())) {
      putNullable(doc, "size", value.size());
    }
    if (was == null || !was.virtualSize().equals(value.virtualSize())) {
      putNullable(doc, "virtual_size", value.virtualSize());
    }
    if (was == null || !was.checksum().equals(value.checksum())) {
      putNullable(doc, "checksum", value.checksum().orElse(null));
    }
    if (was == null || !was.osHashAlgo().equals(value.osHashAlgo())) {
      putNullable(doc, "os_hash_algo", value.osHashAlgo().orElse(null));
    }
    if (was == null || !was.osHashValue().equals(value.osHashValue())) {
      putNullable(doc, "os_hash_value", value.osHashValue().orElse(null));
    }
    if (was == null || was.minDisk() != value.minDisk()) {
      doc.put("min_disk", value.minDisk());
    }
    if (was == null || was.minRam() != value.minRam()) {
      doc.put("min_ram", value.minRam());
    }
    if (was == null || !Iterables.elementsEqual(was.tags(), value.tags())) {
      ArrayNode tags = doc.putArray("tags");
      value.tags().forEach(tags::add);
    }
    if (was == null
        || was.createdAt().getEpochSecond() != value.createdAt().getEpochSecond()) {
      doc.put("created_at", isoTime(value.createdAt()));
    }
    if (was == null) {
      doc.put("updated_at", isoTime(value.updatedAt()));
    }
    return doc;
  }

  private static void putNullable(ObjectNode doc, String key, OptionalLong v) {
    if (v.isPresent()) {
      doc.put(key, v.getAsLong());
    } else {
      doc.putNull(key);
    }
  }

  /**
   * {@return Glance's rendering of a time: {@code YYYY-MM-DDThh:mm:ssZ}}
   *
   * @param t any instant
   */
  public static String isoTime(Instant t) {
    return ISO_SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  private static void putNullable(
      ObjectNode doc, String key, @org.jspecify.annotations.Nullable String v) {
    if (v == null) {
      doc.putNull(key);
    } else {
      doc.put(key, v);
    }
  }

  private ObjectNode buildImage() {
    ObjectNode properties = baseProperties();
    List<String> conflicts = new ArrayList<>();
    for (String name : custom.names()) {
      ObjectNode def = custom.definition(name);
      if (def == null) {
        continue;
      }
      if (properties.has(name)) {
        ObjectNode withoutMark = def.deepCopy();
        withoutMark.remove("is_base");
        if (!properties.get(name).equals(withoutMark)) {
          conflicts.add(name);
        }
        continue;
      }
      def.put("is_base", false);
      properties.set(name, def);
    }
    if (!conflicts.isEmpty()) {
      throw PropertyDefinitions.invalid(
          "custom properties (" + String.join(", ", conflicts) + ") conflict with base properties");
    }
    ObjectNode schema = NODES.objectNode();
    schema.put("name", "image");
    schema.set("properties", properties);
    schema.set("additionalProperties", NODES.objectNode().put("type", "string"));
    ArrayNode links = schema.putArray("links");
    links.add(link("self", "{self}"));
    links.add(link("enclosure", "{file}"));
    links.add(link("describedby", "{schema}"));
    return schema;
  }

  /** The tree handed to the validator: the published schema without its non-standard keys. */
  private static ObjectNode validationTree(ObjectNode published) {
    ObjectNode tree = published.deepCopy();
    tree.remove("links");
    tree.remove("name");
    Iterator<JsonNode> defs = tree.with("properties").elements();
    while (defs.hasNext()) {
      JsonNode def = defs.next();
      if (def.isObject()) {
        ((ObjectNode) def).remove("is_base");
      }
    }
    return tree;
  }

  private ObjectNode baseProperties() {
    ObjectNode p = NODES.objectNode();
    p.set("id", prop("string", "The image's identifier, a UUID.").put("pattern", UUID_PATTERN));
    p.set("name", nullable("string", "A display name; not unique.").put("maxLength", 255));
    ObjectNode status = prop("string", "Where the image is in its lifecycle.");
    status.put("readOnly", true);
    ArrayNode statuses = status.putArray("enum");
    for (String s :
        List.of(
            "queued", "saving", "active", "killed", "deleted", "uploading", "importing",
            "pending_delete", "deactivated")) {
      statuses.add(s);
    }
    p.set("status", status);
    ObjectNode visibility = prop("string", "Who may see and use the image.");
    ArrayNode vis = visibility.putArray("enum");
    for (String v : List.of("community", "public", "private", "shared")) {
      vis.add(v);
    }
    p.set("visibility", visibility);
    p.set("protected", prop("boolean", "Whether deleting the image is refused."));
    p.set("os_hidden", prop("boolean", "Whether default image lists leave the image out."));
    p.set("checksum",
        readOnly(nullable("string", "MD5 digest of the image data.")).put("maxLength", 32));
    p.set(
        "os_hash_algo",
        readOnly(nullable("string", "The algorithm of os_hash_value.")).put("maxLength", 64));
    p.set(
        "os_hash_value",
        readOnly(nullable("string", "Hex digest of the image data under os_hash_algo."))
            .put("maxLength", 128));
    p.set("owner", nullable("string", "The project that owns the image.").put("maxLength", 255));
    p.set("size", readOnly(nullable("integer", "Bytes of image data.")));
    p.set("virtual_size", readOnly(nullable("integer", "Bytes of the virtual disk.")));
    p.set("container_format", formatProperty("The container format.", containerFormats));
    p.set("disk_format", formatProperty("The disk format.", diskFormats));
    p.set("created_at", readOnly(prop("string", "When the image was registered.")));
    p.set("updated_at", readOnly(prop("string", "When the image last changed.")));
    ObjectNode tags = prop("array", "Free-form labels of the image.");
    tags.set("items", NODES.objectNode().put("type", "string").put("maxLength", 255));
    p.set("tags", tags);
    p.set("direct_url", readOnly(prop("string", "A URL of the data in an external store.")));
    p.set("min_ram", prop("integer", "Memory (MB) needed to boot the image."));
    p.set("min_disk", prop("integer", "Disk (GB) needed to boot the image."));
    p.set("self", readOnly(prop("string", "The image's own URL.")));
    p.set("file", readOnly(prop("string", "The URL of the image data.")));
    p.set(
        "stores",
        readOnly(prop("string", "Comma-separated ids of the stores holding the data.")));
    p.set("schema", readOnly(prop("string", "The URL of this schema.")));
    p.set("locations", locations());
    return p;
  }

  private static ObjectNode locations() {
    ObjectNode validation = NODES.objectNode();
    validation.put("description", "Values for the image's checksum and hash properties.");
    validation.put("type", "object");
    validation.put("writeOnly", true);
    validation.put("additionalProperties", false);
    ObjectNode vp = validation.putObject("properties");
    vp.set("checksum",
        NODES.objectNode().put("type", "string").put("minLength", 32).put("maxLength", 32));
    vp.set("os_hash_algo", NODES.objectNode().put("type", "string").put("maxLength", 64));
    vp.set("os_hash_value", NODES.objectNode().put("type", "string").put("maxLength", 128));
    validation.putArray("required").add("os_hash_algo").add("os_hash_value");
    ObjectNode item = NODES.objectNode();
    item.put("type", "object");
    ObjectNode ip = item.putObject("properties");
    ip.set("url", NODES.objectNode().put("type", "string").put("maxLength", 255));
    ip.set("metadata", NODES.objectNode().put("type", "object"));
    ip.set("validation_data", validation);
    item.putArray("required").add("url").add("metadata");
    ObjectNode locations = NODES.objectNode();
    locations.put("type", "array");
    locations.set("items", item);
    locations.put("description", "The URLs of the image data in external stores.");
    return locations;
  }

  private static ObjectNode formatProperty(String description, List<String> formats) {
    ObjectNode f = nullable("string", description);
    ArrayNode values = f.putArray("enum");
    values.addNull();
    formats.forEach(values::add);
    return f;
  }

  private static ObjectNode prop(String type, String description) {
    return NODES.objectNode().put("type", type).put("description", description);
  }

  private static ObjectNode nullable(String type, String description) {
    ObjectNode p = NODES.objectNode();
    p.putArray("type").add("null").add(type);
    p.put("description", description);
    return p;
  }

  private static ObjectNode readOnly(ObjectNode p) {
    return p.put("readOnly", true);
  }

  private static ObjectNode link(String rel, String href) {
    return NODES.objectNode().put("rel", rel).put("href", href);
  }

  private static ObjectNode collection(String name, ObjectNode itemSchema) {
    ObjectNode c = NODES.objectNode();
    c.put("name", name);
    ObjectNode props = c.putObject("properties");
    ObjectNode items = props.putObject(name);
    items.put("type", "array");
    items.set("items", itemSchema);
    props.set("first", NODES.objectNode().put("type", "string"));
    props.set("next", NODES.objectNode().put("type", "string"));
    props.set("schema", NODES.objectNode().put("type", "string"));
    ArrayNode links = c.putArray("links");
    links.add(link("first", "{first}"));
    links.add(link("next", "{next}"));
    links.add(link("describedby", "{schema}"));
    return c;
  }

  private static ObjectNode memberSchema() {
    ObjectNode m = NODES.objectNode();
    m.put("name", "member");
    ObjectNode p = m.putObject("properties");
    p.set("member_id", prop("string", "The member project's identifier."));
    p.set("image_id",
        prop("string", "The shared image's identifier.").put("pattern", UUID_PATTERN));
    p.set("created_at", prop("string", "When the membership was created."));
    p.set("updated_at", prop("string", "When the membership last changed."));
    ObjectNode status = prop("string", "The member's answer to the share.");
    status.putArray("enum").add("pending").add("accepted").add("rejected");
    p.set("status", status);
    p.set("schema", NODES.objectNode().put("type", "string"));
    m.put("additionalProperties", false);
    return m;
  }

  /** {@return the names of the custom properties the operator declared} */
  public Set<String> declaredCustomProperties() {
    return custom.names();
  }
}
