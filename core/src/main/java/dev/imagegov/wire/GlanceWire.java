package dev.imagegov.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageList;
import dev.imagegov.NewImage;
import dev.imagegov.data.Imports;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.internal.BoundedJson;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.schema.ImageSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Glance's wire forms of images and members for one configuration (Glance's {@code
 * glance/api/v2/images.py} {@code ResponseSerializer} and {@code RequestDeserializer}, {@code
 * glance/api/v2/image_members.py}): what an HTTP front end writes and reads, so that it needs no
 * glue of its own.
 *
 * <ul>
 *   <li>{@link #image} is an image as Glance's JSON: its custom properties flattened at the top
 *       level (except {@code os_glance_stage_host}, which Glance hides), every base attribute
 *       (absent ones as {@code null}), times to the second, {@code
 *       tags} in order, the {@code self}, {@code file} and {@code schema} links, and the {@code
 *       locations} ({@code show_multiple_locations}), {@code direct_url} ({@code
 *       show_image_direct_url}) keys only as the given image carries locations: pass the image a
 *       use case returned, which is the caller's view and has locations only when the
 *       configuration and {@code get_image_location} allow them; the {@code stores} key from the
 *       store ids given to {@link #image(Image, List)} ({@code images().storesOf}), which Glance
 *       shows whatever the location options say.
 *   <li>{@link #member} and {@link #members} are a member and a member list;
 *   <li>{@link #images} is a list page with {@code first}, {@code next} (only when there is a
 *       next page) and {@code schema};
 *   <li>{@link #newImage} reads a {@code POST /v2/images} body into a {@link NewImage}, with
 *       Glance's checks and answers.
 * </ul>
 *
 * <p>Links are Glance's ({@code /v2/images/{id}}, {@code /v2/schemas/image}, ...), prefixed with
 * the base URL given to {@link #withBaseUrl} (none by default: Glance's own links are paths). The
 * error body of a refusal is {@link GlanceErrors#body}. Immutable and thread-safe; every method
 * returns a fresh tree, whose {@code toString()} is its JSON text.
 */
public final class GlanceWire {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final GovernanceConfig config;
  private final Attributes attributes;
  private final String baseUrl;
  private final BodyLimits limits;
  private final BoundedJson reader;

  private GlanceWire(GovernanceConfig config, String baseUrl, BodyLimits limits) {
    this.config = config;
    this.attributes = Attributes.of(config.diskFormats(), config.containerFormats());
    this.baseUrl = baseUrl;
    this.limits = limits;
    this.reader = new BoundedJson(limits.maxBodyChars(), limits.maxDepth());
  }

  /**
   * The wire forms of a governance built with {@code config} (its formats, image schema and
   * location options), with Glance's path links and {@link BodyLimits#defaults()}.
   *
   * @param config the governance whose formats, image schema and location options the forms follow
   * @return the wire forms with path links and default body limits
   */
  public static GlanceWire of(GovernanceConfig config) {
    return new GlanceWire(Objects.requireNonNull(config, "config"), "", BodyLimits.defaults());
  }

  /**
   * These forms with links prefixed by {@code baseUrl} ({@code https://images.example.com} gives
   * {@code https://images.example.com/v2/images/{id}}); a trailing {@code /} is dropped.
   *
   * @param baseUrl the prefix of every link, such as {@code https://images.example.com}
   * @return these forms with absolute links
   */
  public GlanceWire withBaseUrl(String baseUrl) {
    String base = Objects.requireNonNull(baseUrl, "baseUrl");
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return new GlanceWire(config, base, limits);
  }

  /**
   * These forms reading request bodies within {@code limits}.
   *
   * @param limits the bounds on the size and depth of request bodies
   * @return these forms with the given limits
   */
  public GlanceWire withLimits(BodyLimits limits) {
    return new GlanceWire(config, baseUrl, Objects.requireNonNull(limits, "limits"));
  }

  /** {@return the base URL of links, without a trailing {@code /}; empty for path links} */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@return the limits these forms read request bodies within} */
  public BodyLimits limits() {
    return limits;
  }

  // images

  /**
   * An image as Glance's JSON ({@code GET /v2/images/{id}}), from the image a use case returned
   * to the caller (see the class comment for locations), with {@code stores} from the locations
   * the view carries. When the configuration hides locations, use {@link #image(Image, List)}.
   *
   * @param view the image as a use case returned it to the caller
   * @return the image's Glance JSON
   */
  public ObjectNode image(Image view) {
    return image(view, storesOf(view));
  }

  /**
   * An image as Glance's JSON with the {@code stores} key a multi-store Glance shows ({@code
   * ResponseSerializer._format_image}): the ids of the stores holding its data, comma-joined, in
   * location order, whether or not the configuration shows the locations themselves ({@code
   * images().storesOf(caller, id)} gives them). The key is absent when {@code stores} is empty;
   * when present it replaces a custom property named {@code stores}, as in Glance.
   *
   * @param view the image as a use case returned it to the caller
   * @param stores the ids of the stores holding its data, in location order
   * @return the image's Glance JSON
   */
  public ObjectNode image(Image view, List<StoreId> stores) {
    Objects.requireNonNull(stores, "stores");
    ObjectNode json = ImageSchema.document(view);
    // ResponseSerializer._hidden_properties: the staging host is never shown.
    json.remove(Imports.STAGE_HOST);
    String id = view.id().value();
    List<Location> locations = view.locations();
    if (config.showMultipleLocations()) {
      ArrayNode list = json.putArray("locations");
      for (Location location : locations) {
        ObjectNode l = list.addObject();
        l.put("url", location.url());
        ObjectNode metadata = l.putObject("metadata");
        location.metadata().forEach(metadata::put);
        metadata.put("store", location.store().value());
      }
    }
    if (config.showImageDirectUrl() && !locations.isEmpty()) {
      json.put("direct_url", locations.get(0).url());
    }
    if (!stores.isEmpty()) {
      StringBuilder joined = new StringBuilder();
      for (StoreId store : stores) {
        joined.append(joined.length() == 0 ? "" : ",").append(store.value());
      }
      json.put("stores", joined.toString());
    }
    json.put("self", baseUrl + "/v2/images/" + id);
    json.put("file", baseUrl + "/v2/images/" + id + "/file");
    json.put("schema", baseUrl + "/v2/schemas/image");
    return json;
  }

  /** The store ids of the locations a view carries, in order. */
  private static List<StoreId> storesOf(Image view) {
    List<StoreId> stores = new ArrayList<>(view.locations().size());
    view.locations().forEach(l -> stores.add(l.store()));
    return stores;
  }

  /**
   * A list page as Glance's JSON ({@code GET /v2/images}): {@code images}, {@code first}, {@code
   * schema}, and {@code next} when the page has a next one ({@link ImageList#next()}, the request
   * with its marker replaced); each image's {@code stores} from the locations its view carries.
   *
   * @param page a list page as a use case returned it
   * @return the page's Glance JSON, with {@code next} only when there is a next page
   */
  public ObjectNode images(ImageList page) {
    return images(page, GlanceWire::storesOf);
  }

  /**
   * A list page as Glance's JSON, each image with the {@code stores} that {@code storesOf} gives
   * it (see {@link #image(Image, List)}), such as {@code image -> images().storesOf(caller,
   * image.id())}.
   *
   * @param page a list page as a use case returned it
   * @param storesOf the ids of the stores holding an image's data, in location order
   * @return the page's Glance JSON, with {@code next} only when there is a next page
   */
  public ObjectNode images(ImageList page, Function<? super Image, List<StoreId>> storesOf) {
    Objects.requireNonNull(storesOf, "storesOf");
    ObjectNode json = NODES.objectNode();
    ArrayNode images = json.putArray("images");
    for (Image image : page.images()) {
      images.add(image(image, storesOf.apply(image)));
    }
    json.put("first", baseUrl + page.first());
    json.put("schema", baseUrl + "/v2/schemas/images");
    page.next().ifPresent(next -> json.put("next", baseUrl + next));
    return json;
  }

  // members

  /**
   * A member as Glance's JSON ({@code GET /v2/images/{id}/members/{member_id}}).
   *
   * @param member the membership to show
   * @return the member's Glance JSON
   */
  public ObjectNode member(Member member) {
    ObjectNode json = NODES.objectNode();
    json.put("created_at", ImageSchema.isoTime(member.createdAt()));
    json.put("image_id", member.imageId().value());
    json.put("member_id", member.project().value());
    json.put("schema", baseUrl + "/v2/schemas/member");
    json.put("status", member.status().wireName());
    json.put("updated_at", ImageSchema.isoTime(member.updatedAt()));
    return json;
  }

  /**
   * A member list as Glance's JSON ({@code GET /v2/images/{id}/members}).
   *
   * @param members the memberships to show, in order
   * @return the list's Glance JSON under {@code members}
   */
  public ObjectNode members(List<Member> members) {
    ObjectNode json = NODES.objectNode();
    ArrayNode list = json.putArray("members");
    for (Member member : members) {
      list.add(member(member));
    }
    json.put("schema", baseUrl + "/v2/schemas/members");
    return json;
  }

  // POST /v2/images

  /**
   * Reads a {@code POST /v2/images} body into the {@link NewImage} to pass to {@code
   * images().create}, with Glance's answers, in this order: the body (bounded by {@link
   * BodyLimits}: longer is 413, deeper or malformed 400, not a JSON object 400); every name that
   * is not one of the request's fields, asked of the attribute table ({@code
   * Attributes.checkName}: read-only names such as {@code status}, {@code self} or {@code stores}
   * 403 {@code READ_ONLY_ATTRIBUTE}, reserved ones such as {@code os_glance_*}, {@code location}
   * or {@code locations} 403 {@code RESERVED_ATTRIBUTE}, a bad custom property name 400); the
   * image schema of the configuration (400 {@code INVALID_VALUE}: a value of the wrong type, an
   * unknown visibility, a malformed id, a format that is not configured, a non-string custom
   * property); then each value through the table's value rule (lengths, 4-byte characters,
   * {@code min_*} range). {@code null} for {@code name} or a format means absent, and for {@code
   * owner} the empty owner (an unowned image, for an admin), as Glance reads them. Create checks
   * what only the catalog and the caller decide (policy, quotas, a reused id).
   *
   * @param body the request body, or {@code null} for none
   * @return the new image's request, checked as far as the body alone decides
   * @throws GovernanceException as above; nothing is created or changed
   */
  public NewImage newImage(@Nullable String body) {
    JsonNode root = reader.read(body);
    if (!root.isObject()) {
      throw GovernanceException.of(
          RuleCode.MALFORMED_REQUEST,
          "Provided object does not match schema 'image': the body is not a JSON object.");
    }
    ObjectNode document = (ObjectNode) root;
    for (Iterator<String> names = document.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        Attributes.checkName(Attributes.Via.CREATE, name);
      }
    }
    config.imageSchema().validate(document);
    NewImage.Builder image = NewImage.builder();
    Map<String, String> properties = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = document.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      read(image, properties, field.getKey(), field.getValue());
    }
    return image.properties(properties).build();
  }

  /** The names a create request has a field for; every other name is a custom property. */
  private static final java.util.Set<String> FIELDS =
      java.util.Set.of(
          "id", "name", "visibility", "owner", "protected", "os_hidden", "disk_format",
          "container_format", "min_disk", "min_ram", "tags");

  private void read(
      NewImage.Builder image, Map<String, String> properties, String name, JsonNode value) {
    ImageStatus queued = ImageStatus.QUEUED;
    Attributes.Via via = Attributes.Via.CREATE;
    switch (name) {
      case "id":
        image.id(Attributes.imageId(text(name, value)).value());
        return;
      case "name":
        if (!value.isNull()) {
          image.name(checked(name, text(name, value)));
        }
        return;
      case "owner":
        image.owner(value.isNull() ? "" : checked(name, text(name, value)));
        return;
      case "disk_format":
      case "container_format":
        if (!value.isNull()) {
          String format = checked(name, text(name, value));
          if (name.equals("disk_format")) {
            image.diskFormat(format);
          } else {
            image.containerFormat(format);
          }
        }
        return;
      case "visibility":
        String wire = text(name, value);
        attributes.check(via, queued, name, wire);
        image.visibility(Visibility.fromWireName(wire).orElseThrow());
        return;
      case "protected":
        image.isProtected(bool(name, value));
        return;
      case "os_hidden":
        image.osHidden(bool(name, value));
        return;
      case "min_disk":
        image.minDisk(integer(name, value));
        return;
      case "min_ram":
        image.minRam(integer(name, value));
        return;
      case "tags":
        List<String> tags = new ArrayList<>();
        if (!value.isArray()) {
          throw wrongType(name, value, "array");
        }
        for (JsonNode tag : value) {
          tags.add(text(name, tag));
        }
        attributes.check(via, queued, name, tags);
        image.tags(tags);
        return;
      default:
        properties.put(name, Attributes.checkProperty(via, name, text(name, value)));
    }
  }

  /** A text field through its value rule. */
  private String checked(String name, String value) {
    attributes.check(Attributes.Via.CREATE, ImageStatus.QUEUED, name, value);
    return value;
  }

  private long integer(String name, JsonNode value) {
    if (!value.isIntegralNumber()) {
      throw wrongType(name, value, "integer");
    }
    long n = value.canConvertToLong() ? value.longValue() : Long.MAX_VALUE;
    attributes.check(Attributes.Via.CREATE, ImageStatus.QUEUED, name, n);
    Attributes.checkRange(name, n);
    return n;
  }

  private static String text(String name, JsonNode value) {
    if (!value.isTextual()) {
      throw wrongType(name, value, "string");
    }
    return value.textValue();
  }

  private static boolean bool(String name, JsonNode value) {
    if (!value.isBoolean()) {
      throw wrongType(name, value, "boolean");
    }
    return value.booleanValue();
  }

  /** The schema's answer for a value of the wrong JSON type (400). */
  private static GovernanceException wrongType(String name, JsonNode value, String type) {
    String shown = value.toString();
    if (shown.length() > 64) {
      shown = shown.substring(0, 64) + "...";
    }
    return GovernanceException.of(
        StoreErrorCode.INVALID_VALUE,
        "Provided object does not match schema 'image': property '"
            + name
            + "': "
            + shown
            + " is not of type '"
            + type
            + "'");
  }
}
