package dev.imagegov.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The published schemas of §1.1 and the deployer-extensible schema of §1.2. */
class ImageSchemaTest {
  private static final List<String> DISK = List.of("raw", "qcow2");
  private static final List<String> CONTAINER = List.of("bare");
  private static final String DEFS =
      "{\"kernel_id\": {\"type\": [\"null\", \"string\"], \"description\": \"k\","
          + " \"pattern\": \"^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}"
          + "-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$\"},"
          + " \"cinder_encryption_key_deletion_policy\": {\"type\": \"string\","
          + " \"enum\": [\"on_image_deletion\", \"do_not_delete\"]}}";

  private static ObjectNode doc(String key, Object value) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.set(key, new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(value));
    return d;
  }

  private static void invalid(ImageSchema schema, ObjectNode document, String property) {
    assertThatThrownBy(() -> schema.validate(document))
        .isInstanceOf(GovernanceException.class)
        .satisfies(
            e -> assertThat(((GovernanceException) e).code()).isEqualTo(StoreErrorCode.INVALID_VALUE))
        .hasMessageContaining("'" + property + "'");
  }

  /** A random image from {@code r}: each attribute a patch or a write can change, drawn small. */
  private static Image randomImage(Random r, Instant t0) {
    Image.Builder b = Image.builder()
        .id(ImageId.of(new UUID(0, r.nextInt(2))))
        .status(ImageStatus.values()[r.nextInt(3)])
        .visibility(Visibility.values()[r.nextInt(Visibility.values().length)])
        .isProtected(r.nextBoolean())
        .osHidden(r.nextBoolean())
        .minDisk(r.nextInt(2))
        .minRam(r.nextInt(2))
        .createdAt(t0.plusMillis(r.nextInt(3) * 700L))
        .updatedAt(t0.plusMillis(r.nextInt(3) * 700L));
    if (r.nextBoolean()) {
      b.name("n" + r.nextInt(2));
    }
    if (r.nextBoolean()) {
      b.owner(ProjectId.of("p" + r.nextInt(2)));
    }
    if (r.nextBoolean()) {
      b.diskFormat(DISK.get(r.nextInt(2)));
    }
    if (r.nextBoolean()) {
      b.containerFormat("bare");
    }
    if (r.nextBoolean()) {
      b.size(r.nextInt(2)).virtualSize(r.nextInt(2));
    }
    if (r.nextBoolean()) {
      b.checksum("c" + r.nextInt(2)).osHashAlgo("sha512").osHashValue("h" + r.nextInt(2));
    }
    List<String> tags = new ArrayList<>(List.of("a", "b", "c"));
    Collections.shuffle(tags, r);
    b.tags(tags.subList(0, r.nextInt(4)));
    for (String key : List.of("os_distro", "hw_disk_bus", "x")) {
      if (r.nextBoolean()) {
        b.putProperties(key, "v" + r.nextInt(2));
      }
    }
    return b.build();
  }

  @Test
  void changesHoldExactlyTheDocumentKeysWhoseValueDiffersButTheUpdateTime() {
    long seed = 20_261_207L;
    Random r = new Random(seed);
    Instant t0 = Instant.parse("2026-01-01T00:00:00.600Z");
    for (int i = 0; i < 2_000; i++) {
      Image before = randomImage(r, t0);
      Image after = randomImage(r, t0);
      ObjectNode was = ImageSchema.document(before);
      ObjectNode expected = JsonNodeFactory.instance.objectNode();
      ImageSchema.document(after).fields().forEachRemaining(f -> {
        if (!f.getKey().equals("updated_at") && !f.getValue().equals(was.get(f.getKey()))) {
          expected.set(f.getKey(), f.getValue());
        }
      });
      ObjectNode changes = ImageSchema.changes(before, after);
      assertThat(changes).as("seed %d, case %d: %s -> %s", seed, i, before, after)
          .isEqualTo(expected);
      assertThat(changes.fieldNames()).toIterable().as("seed %d, case %d: order", seed, i)
          .containsExactlyElementsOf(() -> expected.fieldNames());
    }
  }

  @Test
  void imageSchemaHasGlanceBaseProperties() {
    ObjectNode image = ImageSchema.defaults(DISK, CONTAINER).image();
    assertThat(image.get("name").asText()).isEqualTo("image");
    assertThat(image.get("properties").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrderElementsOf(ImageSchema.BASE_PROPERTIES);
    assertThat(image.at("/additionalProperties/type").asText()).isEqualTo("string");
    assertThat(image.at("/properties/status/readOnly").asBoolean()).isTrue();
    assertThat(image.at("/properties/name/maxLength").asInt()).isEqualTo(255);
    assertThat(image.at("/links/0/rel").asText()).isEqualTo("self");
  }

  @Test
  void formatEnumsAreTheConfiguredOnesPlusNull() {
    ObjectNode image = ImageSchema.defaults(DISK, CONTAINER).image();
    assertThat(image.at("/properties/disk_format/enum").toString())
        .isEqualTo("[null,\"raw\",\"qcow2\"]");
    assertThat(image.at("/properties/container_format/enum").toString())
        .isEqualTo("[null,\"bare\"]");
  }

  @Test
  void collectionSchemasWrapTheItemSchema() {
    ImageSchema schema = ImageSchema.defaults(DISK, CONTAINER);
    ObjectNode images = schema.images();
    assertThat(images.get("name").asText()).isEqualTo("images");
    assertThat(images.at("/properties/images/items")).isEqualTo(schema.image());
    assertThat(images.at("/links/1/href").asText()).isEqualTo("{next}");
    ObjectNode members = schema.members();
    assertThat(members.at("/properties/members/items")).isEqualTo(schema.member());
    assertThat(schema.member().at("/properties/status/enum").toString())
        .isEqualTo("[\"pending\",\"accepted\",\"rejected\"]");
    assertThat(schema.member().get("additionalProperties").asBoolean()).isFalse();
  }

  @Test
  void accessorsReturnCopies() {
    ImageSchema schema = ImageSchema.defaults(DISK, CONTAINER);
    schema.image().with("properties").remove("name");
    assertThat(schema.image().at("/properties/name").isMissingNode()).isFalse();
  }

  @Test
  void validationNamesTheProperty() {
    ImageSchema schema = ImageSchema.defaults(DISK, CONTAINER);
    invalid(schema, doc("min_ram", "1"), "min_ram");
    invalid(schema, doc("visibility", "secret"), "visibility");
    invalid(schema, doc("custom", 5), "custom");
    invalid(schema, doc("tags", List.of("x".repeat(256))), "tags");
    invalid(schema, doc("disk_format", "vmdk"), "disk_format");
    schema.validate(doc("disk_format", null));
    schema.validate(doc("custom", "5"));
  }

  @Test
  void customDefinitionsAreMergedAsNonBaseAndValidated() {
    ImageSchema schema = ImageSchema.of(DISK, CONTAINER, PropertyDefinitions.parse(DEFS));
    assertThat(schema.image().at("/properties/kernel_id/is_base").asBoolean(true)).isFalse();
    assertThat(schema.declares("kernel_id")).isTrue();
    assertThat(schema.acceptsNull("kernel_id")).isTrue();
    invalid(schema, doc("kernel_id", "not-a-uuid"), "kernel_id");
    invalid(schema, doc("cinder_encryption_key_deletion_policy", "later"),
        "cinder_encryption_key_deletion_policy");
    schema.validate(doc("kernel_id", null));
    schema.validate(doc("kernel_id", "8a9b7c6d-1e2f-4a3b-9c8d-7e6f5a4b3c2d"));
  }

  @Test
  void redefiningABasePropertyDifferentlyIsALoadError() {
    PropertyDefinitions defs =
        PropertyDefinitions.parse("{\"name\": {\"type\": \"string\", \"maxLength\": 10}}");
    assertThatThrownBy(() -> ImageSchema.of(DISK, CONTAINER, defs))
        .hasMessageContaining("custom properties (name) conflict with base properties")
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void malformedDefinitionFilesAreLoadErrors() {
    for (String text : List.of("[", "[]", "{\"a\": 1}")) {
      assertThatThrownBy(() -> PropertyDefinitions.parse(text))
          .isInstanceOf(ConfigurationException.class);
    }
  }

  @Test
  void definitionsLoadFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("schema-image.json");
    Files.writeString(file, DEFS);
    assertThat(PropertyDefinitions.load(file).names())
        .containsExactly("kernel_id", "cinder_encryption_key_deletion_policy");
    assertThatThrownBy(() -> PropertyDefinitions.load(dir.resolve("missing.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("missing.json");
  }

  /** {"p": {"not": {"not": … {"type": "string"} …}}}: the file's depth is {@code nots + 2}. */
  private static String nestedDefinition(int nots) {
    return "{\"p\": " + "{\"not\": ".repeat(nots) + "{\"type\": \"string\"}" + "}".repeat(nots) + "}";
  }

  @Test
  void definitionsNestedDeeperThanSixtyFourLevelsAreRefused() {
    for (int nots : new int[] {63, 100_000}) {
      assertThatThrownBy(() -> PropertyDefinitions.parse(nestedDefinition(nots)))
          .hasMessageContaining("deeper than 64 levels")
          .isInstanceOf(ConfigurationException.class);
    }
    ImageSchema schema = ImageSchema.of(DISK, CONTAINER, PropertyDefinitions.parse(nestedDefinition(62)));
    schema.validate(doc("p", "text"));
    invalid(ImageSchema.of(DISK, CONTAINER, PropertyDefinitions.parse(nestedDefinition(61))), doc("p", "text"), "p");
  }
}
