package dev.imagegov.spi.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The image, member and tombstone JSON of imagegov's stores: the codec the
 * file store writes into its journal and snapshots, public so that a store of your own can
 * persist the model without writing one. It depends on the model and Jackson only.
 *
 * <p>Encoding: field names follow Glance's wire names ({@code disk_format}, {@code os_hidden},
 * {@code member_id}, ...); absent optional values are left out; instants are ISO-8601 UTC strings
 * with their full precision ({@link Instant#toString}); tags, properties, locations and members
 * are written in the order the image holds them. The output is UTF-8 JSON, one object. A member
 * that answers a group's offer (hierarchical sharing) carries {@code via}, the group's id; a
 * direct member has none, so the members written before hierarchical sharing existed read as the
 * direct members they were.
 *
 * <p>Round trip: {@code decodeImage(encode(image))} equals {@code image} for every image, and
 * keeps more than equality asks: the order of tags, of properties, of locations and of members,
 * and every instant to the nanosecond. The same holds for {@link #encodeMember}/{@link
 * #decodeMember} and for tombstones.
 *
 * <p>Decoding is strict: a payload that is not one JSON object, a missing required field, a field
 * of the wrong type, an unknown field or a duplicate key is refused (a payload this version does
 * not fully understand is never half read) with an {@link IllegalArgumentException} whose message
 * names the field; a store reports it as a damaged record. It is not meant for caller input:
 * Glance's request bodies are read by core's {@code dev.imagegov.wire}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ImageCodec {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final JsonFactory FACTORY = MAPPER.getFactory();
  private static final Set<String> IMAGE_FIELDS =
      Set.of(
          "id", "name", "status", "visibility", "owner", "protected", "os_hidden", "disk_format",
          "container_format", "size", "virtual_size", "checksum", "os_hash_algo", "os_hash_value",
          "min_disk", "min_ram", "tags", "properties", "locations", "members", "created_at",
          "updated_at", "version");
  private static final Set<String> TOMBSTONE_FIELDS =
      Set.of("id", "owner", "status", "deleted_at", "version", "image");
  private static final Set<String> LOCATION_FIELDS = Set.of("store", "url", "metadata");
  private static final Set<String> MEMBER_FIELDS =
      Set.of("member_id", "status", "via", "created_at", "updated_at", "expires_at");

  private ImageCodec() {}

  /**
   * {@return an image as JSON, members included}
   *
   * @param image the image to encode
   */
  public static byte[] encode(Image image) {
    return write(g -> imageBody(g, image));
  }

  private static void imageBody(JsonGenerator g, Image image) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", image.id().value());
    optional(g, "name", image.name());
    g.writeStringField("status", image.status().wireName());
    g.writeStringField("visibility", image.visibility().wireName());
    optional(g, "owner", image.owner().map(ProjectId::value));
    g.writeBooleanField("protected", image.isProtected());
    g.writeBooleanField("os_hidden", image.osHidden());
    optional(g, "disk_format", image.diskFormat());
    optional(g, "container_format", image.containerFormat());
    if (image.size().isPresent()) {
      g.writeNumberField("size", image.size().getAsLong());
    }
    if (image.virtualSize().isPresent()) {
      g.writeNumberField("virtual_size", image.virtualSize().getAsLong());
    }
    optional(g, "checksum", image.checksum());
    optional(g, "os_hash_algo", image.osHashAlgo());
    optional(g, "os_hash_value", image.osHashValue());
    g.writeNumberField("min_disk", image.minDisk());
    g.writeNumberField("min_ram", image.minRam());
    g.writeArrayFieldStart("tags");
    for (String tag : image.tags()) {
      g.writeString(tag);
    }
    g.writeEndArray();
    stringMap(g, "properties", image.properties());
    g.writeArrayFieldStart("locations");
    for (Location location : image.locations()) {
      g.writeStartObject();
      g.writeStringField("store", location.store().value());
      g.writeStringField("url", location.url());
      stringMap(g, "metadata", location.metadata());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("members");
    for (Member member : image.members().values()) {
      member(g, member);
    }
    g.writeEndArray();
    g.writeStringField("created_at", image.createdAt().toString());
    g.writeStringField("updated_at", image.updatedAt().toString());
    g.writeNumberField("version", image.version());
    g.writeEndObject();
  }

  /**
   * A member as JSON: {@code member_id}, {@code status}, {@code via} (a group answer only),
   * {@code created_at}, {@code updated_at} and, for an expiring membership only, {@code
   * expires_at} (the image's id is not written; {@link #decodeMember} takes it).
   *
   * @param member the membership to encode
   * @return its JSON bytes
   */
  public static byte[] encodeMember(Member member) {
    return write(g -> member(g, member));
  }

  /**
   * The member that {@link #encodeMember} wrote, as a member of {@code image}.
   *
   * @param image the image the member belongs to
   * @param json the bytes {@link #encodeMember} wrote
   * @return the decoded member
   * @throws IllegalArgumentException if {@code json} is not such a member, naming the field
   */
  public static Member decodeMember(ImageId image, byte[] json) {
    return member(image, read(json));
  }

  /**
   * {@return a tombstone as JSON, with the version the image had when it was deleted, and the
   * image it keeps ({@code image}) if any}
   *
   * @param tombstone the deleted image's tombstone
   * @param version the image's version when it was deleted, 0 if unknown
   */
  public static byte[] encode(Tombstone tombstone, long version) {
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("id", tombstone.id().value());
          optional(g, "owner", tombstone.owner().map(ProjectId::value));
          g.writeStringField("status", tombstone.status().wireName());
          g.writeStringField("deleted_at", tombstone.deletedAt().toString());
          g.writeNumberField("version", version);
          if (tombstone.retained().isPresent()) {
            g.writeFieldName("image");
            imageBody(g, tombstone.retained().get());
          }
          g.writeEndObject();
        });
  }

  /**
   * A decoded tombstone with the version the image had when it was deleted.
   *
   * @param tombstone the tombstone
   * @param version the image's last version, 0 if unknown
   */
  public record DeletedImage(Tombstone tombstone, long version) {}

  /**
   * The image that {@link #encode(Image)} wrote.
   *
   * @param json the bytes {@link #encode(Image)} wrote
   * @return the decoded image
   * @throws IllegalArgumentException if {@code json} is not such an image, naming the field
   */
  public static Image decodeImage(byte[] json) {
    return image(read(json));
  }

  private static Image image(JsonNode node) {
    known(node, IMAGE_FIELDS, "image");
    ImageId id = imageId(node);
    Image.Builder b =
        Image.builder()
            .id(id)
            .name(optionalText(node, "name"))
            .status(enumValue(node, "status", ImageStatus::fromWireName))
            .visibility(enumValue(node, "visibility", Visibility::fromWireName))
            .owner(optionalText(node, "owner").map(ProjectId::of))
            .isProtected(bool(node, "protected"))
            .osHidden(bool(node, "os_hidden"))
            .diskFormat(optionalText(node, "disk_format"))
            .containerFormat(optionalText(node, "container_format"))
            .checksum(optionalText(node, "checksum"))
            .osHashAlgo(optionalText(node, "os_hash_algo"))
            .osHashValue(optionalText(node, "os_hash_value"))
            .minDisk(integer(node, "min_disk"))
            .minRam(integer(node, "min_ram"))
            .createdAt(instant(node, "created_at"))
            .updatedAt(instant(node, "updated_at"))
            .version(number(node, "version"));
    if (node.has("size")) {
      b.size(number(node, "size"));
    }
    if (node.has("virtual_size")) {
      b.virtualSize(number(node, "virtual_size"));
    }
    for (JsonNode tag : array(node, "tags")) {
      b.addTags(text(tag, "tags[]"));
    }
    b.properties(stringMap(node, "properties"));
    for (JsonNode location : array(node, "locations")) {
      known(location, LOCATION_FIELDS, "location");
      b.addLocations(
          Location.builder()
              .store(StoreId.of(requiredText(location, "store")))
              .url(requiredText(location, "url"))
              .metadata(stringMap(location, "metadata"))
              .build());
    }
    for (JsonNode row : array(node, "members")) {
      Member member = member(id, row);
      b.putMembers(member.project(), member);
    }
    return b.build();
  }

  /**
   * The tombstone that {@link #encode(Tombstone, long)} wrote, with its version.
   *
   * @param json the bytes {@link #encode(Tombstone, long)} wrote
   * @return the tombstone and the version it was written with
   * @throws IllegalArgumentException if {@code json} is not such a tombstone, naming the field
   */
  public static DeletedImage decodeTombstone(byte[] json) {
    JsonNode node = read(json);
    known(node, TOMBSTONE_FIELDS, "tombstone");
    Tombstone tombstone =
        Tombstone.of(
            imageId(node),
            optionalText(node, "owner").map(ProjectId::of),
            enumValue(node, "status", ImageStatus::fromWireName),
            instant(node, "deleted_at"));
    if (node.has("image")) {
      Image kept = image(node.get("image"));
      if (tombstone.status() != ImageStatus.PENDING_DELETE || !kept.id().equals(tombstone.id())
          || !kept.owner().equals(tombstone.owner())) {
        throw new IllegalArgumentException("a tombstone keeps an image only when pending_delete,"
            + " and only its own");
      }
      tombstone = Tombstone.pending(kept, tombstone.deletedAt());
    }
    return new DeletedImage(tombstone, number(node, "version"));
  }

  private static Member member(ImageId image, JsonNode node) {
    known(node, MEMBER_FIELDS, "member");
    return Member.builder()
        .imageId(image)
        .project(ProjectId.of(requiredText(node, "member_id")))
        .status(enumValue(node, "status", MemberStatus::fromWireName))
        .via(optionalText(node, "via").map(ProjectId::of))
        .createdAt(instant(node, "created_at"))
        .updatedAt(instant(node, "updated_at"))
        .expiresAt(node.has("expires_at")
            ? Optional.of(instant(node, "expires_at"))
            : Optional.empty())
        .build();
  }

  // writing

  private static void member(JsonGenerator g, Member member) throws IOException {
    g.writeStartObject();
    g.writeStringField("member_id", member.project().value());
    g.writeStringField("status", member.status().wireName());
    if (member.via().isPresent()) {
      g.writeStringField("via", member.via().get().value());
    }
    g.writeStringField("created_at", member.createdAt().toString());
    g.writeStringField("updated_at", member.updatedAt().toString());
    if (member.expiresAt().isPresent()) {
      g.writeStringField("expires_at", member.expiresAt().get().toString());
    }
    g.writeEndObject();
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      // Writing to a byte array does not fail.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void optional(JsonGenerator g, String field, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      g.writeStringField(field, value.get());
    }
  }

  private static void stringMap(JsonGenerator g, String field, Map<String, String> map)
      throws IOException {
    g.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : map.entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  // reading

  private static JsonNode read(byte[] json) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the payload is not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the payload is not a JSON object");
    }
    return node;
  }

  private static void known(JsonNode node, Set<String> fields, String what) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a " + what + " is not a JSON object");
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new IllegalArgumentException("unknown " + what + " field '" + name + "'");
      }
    }
  }

  private static ImageId imageId(JsonNode node) {
    String text = requiredText(node, "id");
    if (!ImageId.isValid(text)) {
      throw new IllegalArgumentException("'id' is not a UUID: " + text);
    }
    return ImageId.of(text);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return value;
  }

  private static String text(JsonNode value, String field) {
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' is not a string");
    }
    return value.textValue();
  }

  private static String requiredText(JsonNode node, String field) {
    return text(required(node, field), field);
  }

  private static Optional<String> optionalText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null ? Optional.empty() : Optional.of(text(value, field));
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("'" + field + "' is not a boolean");
    }
    return value.booleanValue();
  }

  private static long number(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("'" + field + "' is not a whole number");
    }
    return value.longValue();
  }

  private static int integer(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new IllegalArgumentException("'" + field + "' is not a 32-bit whole number");
    }
    return value.intValue();
  }

  private static Instant instant(JsonNode node, String field) {
    String text = requiredText(node, field);
    try {
      return parseInstant(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + field + "' is not an instant: " + text, e);
    }
  }

  /**
   * {@link Instant#parse} of {@code text}, faster for the form {@link Instant#toString} writes
   * ({@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, one to nine fraction digits, a valid date and time of
   * day): such text is read directly into the same instant; any other text, valid or not, is
   * left to {@link Instant#parse}, which decides.
   *
   * @throws DateTimeParseException as {@link Instant#parse} does
   */
  static Instant parseInstant(String text) {
    int n = text.length();
    if (n < 20 || n > 30 || n == 21 || text.charAt(n - 1) != 'Z'
        || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
        || text.charAt(13) != ':' || text.charAt(16) != ':'
        || (n > 20 && text.charAt(19) != '.')) {
      return Instant.parse(text);
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 2);
    int day = digits(text, 8, 2);
    int hour = digits(text, 11, 2);
    int minute = digits(text, 14, 2);
    int second = digits(text, 17, 2);
    int nano = n > 20 ? digits(text, 20, n - 21) : 0;
    if (year < 0 || month < 1 || month > 12 || day < 1
        || day > Month.of(month).length(Year.isLeap(year))
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
        || nano < 0) {
      return Instant.parse(text);
    }
    for (int k = n - 21; k < 9; k++) {
      nano *= 10;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, nano);
  }

  /** The {@code count} ASCII digits at {@code from} as a number, or -1 if one is not a digit. */
  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static <E> E enumValue(
      JsonNode node, String field, Function<String, Optional<E>> fromWireName) {
    String text = requiredText(node, field);
    return fromWireName
        .apply(text)
        .orElseThrow(() -> new IllegalArgumentException("unknown " + field + " '" + text + "'"));
  }

  private static JsonNode array(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isArray()) {
      throw new IllegalArgumentException("'" + field + "' is not an array");
    }
    return value;
  }

  private static Map<String, String> stringMap(JsonNode node, String field) {
    JsonNode value = required(node, field);
    if (!value.isObject()) {
      throw new IllegalArgumentException("'" + field + "' is not an object");
    }
    ImmutableMap.Builder<String, String> map = ImmutableMap.builder();
    value.properties().forEach(e -> map.put(e.getKey(), text(e.getValue(), field + "{}")));
    return map.buildOrThrow();
  }
}
