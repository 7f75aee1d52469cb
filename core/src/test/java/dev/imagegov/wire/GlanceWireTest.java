package dev.imagegov.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.Iterables;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageList;
import dev.imagegov.NewImage;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

class GlanceWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "6a0d3b0e-4a8f-4c3e-9b1a-2f0f8d3c9e11";
  private static final Instant CREATED = Instant.parse("2026-12-07T06:00:00.987654321Z");
  private static final GlanceWire WIRE = GlanceWire.of(GovernanceConfig.defaults());

  private static Image image() {
    return Image.builder()
        .id(ImageId.of(ID))
        .name("golden")
        .status(ImageStatus.ACTIVE)
        .visibility(Visibility.SHARED)
        .owner(ProjectId.of("producer"))
        .diskFormat("qcow2")
        .containerFormat("bare")
        .size(1024)
        .checksum("0123456789abcdef0123456789abcdef")
        .addTags("b", "a")
        .properties(Map.of("os_distro", "ubuntu"))
        .createdAt(CREATED)
        .updatedAt(CREATED.plusSeconds(5))
        .build();
  }

  private static Image withLocations() {
    return image().toBuilder()
        .addLocations(
            Location.of(StoreId.of("fast"), "file:///fast/" + ID),
            Location.of(StoreId.of("slow"), "file:///slow/" + ID))
        .build();
  }

  private static JsonNode parse(String json) throws Exception {
    return JSON.readTree(json);
  }

  private static GovernanceException refusal(ThrowingCallable call) {
    try {
      call.call();
    } catch (GovernanceException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a GovernanceException, got " + t, t);
    }
    throw new AssertionError("expected a GovernanceException, nothing was thrown");
  }

  // images

  @Test
  void imageHasGlancesFieldsWithNullForAbsentValuesAndTimesToTheSecond() {
    ObjectNode json = WIRE.image(image());
    assertThat(json.get("id").asText()).isEqualTo(ID);
    assertThat(json.get("name").asText()).isEqualTo("golden");
    assertThat(json.get("status").asText()).isEqualTo("active");
    assertThat(json.get("visibility").asText()).isEqualTo("shared");
    assertThat(json.get("protected").booleanValue()).isFalse();
    assertThat(json.get("os_hidden").booleanValue()).isFalse();
    assertThat(json.get("owner").asText()).isEqualTo("producer");
    assertThat(json.get("size").longValue()).isEqualTo(1024);
    assertThat(json.get("virtual_size").isNull()).isTrue();
    assertThat(json.get("os_hash_algo").isNull()).isTrue();
    assertThat(json.get("min_disk").intValue()).isZero();
    assertThat(json.get("created_at").asText()).isEqualTo("2026-12-07T06:00:00Z");
    assertThat(json.get("updated_at").asText()).isEqualTo("2026-12-07T06:00:05Z");
  }

  @Test
  void imageKeepsTagOrderAndFlattensCustomProperties() {
    ObjectNode json = WIRE.image(image());
    assertThat(json.get("tags").toString()).isEqualTo("[\"b\",\"a\"]");
    assertThat(json.get("os_distro").asText()).isEqualTo("ubuntu");
    assertThat(json.has("properties")).isFalse();
  }

  @Test
  void imageHidesTheStagingHostAsGlanceDoes() {
    Image staged = image().toBuilder().putProperties("os_glance_stage_host", "http://node1").build();
    assertThat(WIRE.image(staged).has("os_glance_stage_host")).isFalse();
  }

  @Test
  void imageLinksAreGlancesPathsPrefixedByTheBaseUrl() {
    ObjectNode plain = WIRE.image(image());
    assertThat(plain.get("self").asText()).isEqualTo("/v2/images/" + ID);
    assertThat(plain.get("file").asText()).isEqualTo("/v2/images/" + ID + "/file");
    assertThat(plain.get("schema").asText()).isEqualTo("/v2/schemas/image");
    ObjectNode based = WIRE.withBaseUrl("https://images.example.com/").image(image());
    assertThat(based.get("self").asText()).isEqualTo("https://images.example.com/v2/images/" + ID);
    assertThat(based.get("schema").asText())
        .isEqualTo("https://images.example.com/v2/schemas/image");
  }

  @Test
  void imageWithoutLocationsInTheViewShowsNoLocationKeys() {
    ObjectNode json = WIRE.image(image());
    assertThat(json.has("locations")).isFalse();
    assertThat(json.has("direct_url")).isFalse();
    assertThat(json.has("stores")).isFalse();
  }

  @Test
  void showMultipleLocationsWritesTheViewsLocationsWithTheirStore() {
    GlanceWire wire =
        GlanceWire.of(GovernanceConfig.builder().showMultipleLocations(true).build());
    ObjectNode json = wire.image(withLocations());
    assertThat(json.get("locations")).hasSize(2);
    assertThat(json.get("locations").get(0).get("url").asText()).isEqualTo("file:///fast/" + ID);
    assertThat(json.get("locations").get(1).get("metadata").get("store").asText())
        .isEqualTo("slow");
    assertThat(json.get("stores").asText()).isEqualTo("fast,slow");
    assertThat(json.has("direct_url")).isFalse();
    // Glance still shows an empty list when the caller may see no location.
    assertThat(wire.image(image()).get("locations")).isEmpty();
  }

  @Test
  void storesGivenAsIdsAreShownWithLocationsHiddenAndReplaceACustomPropertyNamedStores() {
    Image image = image().replacingProperties(Map.of("stores", "mine"));
    ObjectNode json = WIRE.image(image, List.of(StoreId.of("fast"), StoreId.of("slow")));
    assertThat(json.get("stores").asText()).isEqualTo("fast,slow");
    assertThat(json.has("locations")).isFalse();
    // Without stores, a custom property named stores is shown as it is (single-store Glance).
    assertThat(WIRE.image(image, List.of()).get("stores").asText()).isEqualTo("mine");
  }

  @Test
  void aListPageTakesEachImagesStoresFromTheGivenFunction() {
    ImageList page = new ImageList(List.of(image()), Optional.empty(), "/v2/images", Optional.empty());
    ObjectNode json = WIRE.images(page, i -> List.of(StoreId.of("fast")));
    assertThat(json.get("images").get(0).get("stores").asText()).isEqualTo("fast");
    assertThat(WIRE.images(page).get("images").get(0).has("stores")).isFalse();
  }

  @Test
  void showImageDirectUrlWritesTheFirstLocation() {
    GlanceWire wire = GlanceWire.of(GovernanceConfig.builder().showImageDirectUrl(true).build());
    ObjectNode json = wire.image(withLocations());
    assertThat(json.get("direct_url").asText()).isEqualTo("file:///fast/" + ID);
    assertThat(json.has("locations")).isFalse();
  }

  // lists and members

  @Test
  void listPageHasFirstAndSchemaAndNextOnlyWithANextPage() {
    ImageList last =
        new ImageList(List.of(image()), Optional.empty(), "/v2/images?limit=1", Optional.empty());
    ObjectNode json = WIRE.images(last);
    assertThat(json.get("images")).hasSize(1);
    assertThat(json.get("images").get(0).get("id").asText()).isEqualTo(ID);
    assertThat(json.get("first").asText()).isEqualTo("/v2/images?limit=1");
    assertThat(json.get("schema").asText()).isEqualTo("/v2/schemas/images");
    assertThat(json.has("next")).isFalse();
    ImageList more =
        new ImageList(List.of(image()), Optional.of(ImageId.of(ID)), "/v2/images?limit=1",
            Optional.of("/v2/images?limit=1&marker=" + ID));
    assertThat(WIRE.withBaseUrl("http://h").images(more).get("next").asText())
        .isEqualTo("http://h/v2/images?limit=1&marker=" + ID);
  }

  @Test
  void memberHasGlancesFieldsAndSchema() {
    Member member =
        Member.pending(ImageId.of(ID), ProjectId.of("consumer"), CREATED)
            .withStatus(MemberStatus.ACCEPTED, CREATED.plusSeconds(1));
    ObjectNode json = WIRE.member(member);
    assertThat(json.get("image_id").asText()).isEqualTo(ID);
    assertThat(json.get("member_id").asText()).isEqualTo("consumer");
    assertThat(json.get("status").asText()).isEqualTo("accepted");
    assertThat(json.get("created_at").asText()).isEqualTo("2026-12-07T06:00:00Z");
    assertThat(json.get("updated_at").asText()).isEqualTo("2026-12-07T06:00:01Z");
    assertThat(json.get("schema").asText()).isEqualTo("/v2/schemas/member");
    ObjectNode list = WIRE.members(List.of(member));
    assertThat(list.get("members")).hasSize(1);
    assertThat(list.get("schema").asText()).isEqualTo("/v2/schemas/members");
  }

  // POST /v2/images

  @Test
  void createBodyBecomesTheNewImage() {
    NewImage image =
        WIRE.newImage(
            "{\"id\": \"" + ID + "\", \"name\": \"golden\", \"visibility\": \"community\","
                + " \"disk_format\": \"qcow2\", \"container_format\": \"bare\","
                + " \"protected\": true, \"os_hidden\": true, \"min_disk\": 10, \"min_ram\": 512,"
                + " \"tags\": [\"b\", \"a\", \"b\"], \"os_distro\": \"ubuntu\", \"hw_x\": \"1\"}");
    assertThat(image.id()).contains(ID);
    assertThat(image.name()).contains("golden");
    assertThat(image.visibility()).contains(Visibility.COMMUNITY);
    assertThat(image.diskFormat()).contains("qcow2");
    assertThat(image.containerFormat()).contains("bare");
    assertThat(image.isProtected()).isTrue();
    assertThat(image.osHidden()).isTrue();
    assertThat(image.minDisk()).isEqualTo(10);
    assertThat(image.minRam()).isEqualTo(512);
    assertThat(image.tags()).containsExactly("b", "a", "b");
    assertThat(image.properties()).containsExactly(
        Map.entry("os_distro", "ubuntu"), Map.entry("hw_x", "1"));
  }

  @Test
  void nullNameAndFormatsAreAbsentAndANullOwnerIsTheEmptyOwner() {
    NewImage image =
        WIRE.newImage("{\"name\": null, \"disk_format\": null, \"owner\": null}");
    assertThat(image.name()).isEmpty();
    assertThat(image.diskFormat()).isEmpty();
    assertThat(image.owner()).contains("");
  }

  @Test
  void anUnknownVisibilityIsABadRequest() {
    GovernanceException e = refusal(() -> WIRE.newImage("{\"visibility\": \"bogus\"}"));
    assertThat(e.code()).isEqualTo(StoreErrorCode.INVALID_VALUE);
    assertThat(e.getMessage()).contains("visibility");
  }

  @Test
  void aValueOfTheWrongTypeIsABadRequestNamingTheField() {
    for (String body :
        List.of(
            "{\"name\": 5}",
            "{\"min_disk\": \"1\"}",
            "{\"protected\": \"true\"}",
            "{\"tags\": \"a\"}",
            "{\"tags\": [1]}",
            "{\"os_distro\": 7}",
            "{\"min_ram\": 1.5}")) {
      GovernanceException e = refusal(() -> WIRE.newImage(body));
      assertThat(e.code()).as(body).isEqualTo(StoreErrorCode.INVALID_VALUE);
      String field = body.substring(2, body.indexOf('"', 2));
      assertThat(e.getMessage()).as(body).contains(field);
    }
  }

  @Test
  void readOnlyKeysAreForbiddenAsReadOnly() {
    for (String key :
        List.of("status", "self", "file", "schema", "stores", "direct_url", "size", "checksum",
            "created_at", "os_hash_value")) {
      GovernanceException e = refusal(() -> WIRE.newImage("{\"" + key + "\": \"x\"}"));
      assertThat(e.code()).as(key).isEqualTo(RuleCode.READ_ONLY_ATTRIBUTE);
      assertThat(e.getMessage()).isEqualTo("Attribute '" + key + "' is read-only.");
    }
  }

  @Test
  void reservedKeysAreForbiddenAsReserved() {
    for (String key : List.of("os_glance_import_task", "location", "locations", "deleted")) {
      GovernanceException e = refusal(() -> WIRE.newImage("{\"" + key + "\": \"x\"}"));
      assertThat(e.code()).as(key).isEqualTo(RuleCode.RESERVED_ATTRIBUTE);
    }
  }

  @Test
  void valuesFollowTheAttributeTable() {
    assertThat(refusal(() -> WIRE.newImage("{\"name\": \"" + "n".repeat(256) + "\"}")).code())
        .isEqualTo(StoreErrorCode.INVALID_VALUE);
    assertThat(refusal(() -> WIRE.newImage("{\"min_disk\": -1}")).code())
        .isEqualTo(StoreErrorCode.INVALID_VALUE);
    assertThat(refusal(() -> WIRE.newImage("{\"min_ram\": 2147483648}")).code())
        .isEqualTo(StoreErrorCode.INVALID_VALUE);
    assertThat(refusal(() -> WIRE.newImage("{\"disk_format\": \"floppy\"}")).code())
        .isEqualTo(StoreErrorCode.INVALID_VALUE);
    assertThat(refusal(() -> WIRE.newImage("{\"os_distro\": \"\uD83D\uDE00\"}")).code())
        .isEqualTo(StoreErrorCode.INVALID_VALUE);
    assertThat(refusal(() -> WIRE.newImage("{\"id\": \"not-a-uuid\"}")).httpStatus())
        .isEqualTo(400);
  }

  @Test
  void aBodyThatIsNotAJsonObjectIsABadRequest() {
    for (String body : List.of("[]", "\"x\"", "{", "{} {}", "")) {
      assertThat(refusal(() -> WIRE.newImage(body)).code())
          .as(body)
          .isEqualTo(RuleCode.MALFORMED_REQUEST);
    }
    assertThat(refusal(() -> WIRE.newImage(null)).code()).isEqualTo(RuleCode.MALFORMED_REQUEST);
  }

  @Test
  void aBodyOverTheLimitIsTooLargeAndOneNestedTooDeepIsABadRequest() {
    GlanceWire small = WIRE.withLimits(new BodyLimits(64, 4));
    assertThat(refusal(() -> small.newImage("{\"name\": \"" + "n".repeat(80) + "\"}")).code())
        .isEqualTo(RuleCode.REQUEST_TOO_LARGE);
    assertThat(refusal(() -> small.newImage("{\"a\": [[[[[1]]]]]}")).code())
        .isEqualTo(RuleCode.MALFORMED_REQUEST);
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThat(refusal(() -> WIRE.withLimits(new BodyLimits(300_000, 32)).newImage(deep)).code())
        .isEqualTo(RuleCode.MALFORMED_REQUEST);
  }

  /** JSON-shaped fragments: create bodies built from them are mostly wrong in some way. */
  private static final List<String> FRAGMENTS =
      List.of("{", "}", "[", "]", ",", ":", "\"name\"", "\"min_disk\"", "\"tags\"", "\"status\"",
          "\"visibility\"", "\"os_glance_x\"", "\"id\"", "\"owner\"", "\"x\"", "\"\"", "null",
          "true", "1", "-1", "1e400", "99999999999999999999", "\"\uD83D\uDE00\"", "\"public\"");

  @Test
  void anyBodyIsReadOrRefusedWithAGovernanceException() {
    long seed = 20261207L;
    qt()
        .withFixedSeed(seed)
        .withExamples(2000)
        .forAll(lists().of(Generate.pick(FRAGMENTS))
            .ofSizeBetween(0, 12))
        .checkAssert(parts -> {
          String body = "{" + String.join("", parts);
          try {
            WIRE.newImage(body);
          } catch (GovernanceException e) {
            assertThat(e.httpStatus()).as("seed %d, body %s", seed, body).isIn(400, 403, 413);
          }
        });
  }

  // errors and path ids

  @Test
  void errorBodyIsWebobsJsonWithTheStatusLineAndTitle() throws Exception {
    GovernanceException e =
        GovernanceException.of(StoreErrorCode.IMAGE_NOT_FOUND, "No image found with ID " + ID);
    JsonNode body = parse(GlanceErrors.body(e).toString());
    assertThat(body.get("message").asText())
        .isEqualTo("No image found with ID " + ID + "<br /><br />\n\n\n");
    assertThat(body.get("code").asText()).isEqualTo("404 Not Found");
    assertThat(body.get("title").asText()).isEqualTo("Not Found");
    assertThat(ImmutableList.copyOf(body.fieldNames())).containsExactly("message", "code", "title");
  }

  @Test
  void everyErrorCodeHasATitleMatchingItsStatus() {
    for (ErrorCode code :
        Iterables.concat(List.of(RuleCode.values()), List.of(StoreErrorCode.values()))) {
      JsonNode body = GlanceErrors.body(GovernanceException.of(code, "m"));
      assertThat(body.get("code").asText()).as(code.name()).startsWith(code.httpStatus() + " ");
      assertThat(body.get("code").asText()).endsWith(body.get("title").asText());
    }
  }

  @Test
  void unsupportedMediaTypeBodyNamesTheRequestsMediaType() {
    GovernanceException e = GovernanceException.of(RuleCode.UNSUPPORTED_MEDIA_TYPE, "use v2.1");
    assertThat(GlanceErrors.body(e, "text/plain").get("message").asText())
        .isEqualTo("The request media type text/plain is not supported by this server.\n"
            + "<br /><br />\n");
    assertThat(GlanceErrors.body(e).get("code").asText()).isEqualTo("415 Unsupported Media Type");
  }

  @Test
  void malformedImageIdInAPathIsImageNotFound() {
    GovernanceException e = refusal(() -> PathIds.image("not-a-uuid"));
    assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND);
    assertThat(e.getMessage()).isEqualTo("No image found with ID not-a-uuid");
    assertThat(PathIds.image(ID)).isEqualTo(ImageId.of(ID));
  }

  @Test
  void emptyMemberIdInAPathIsMemberNotFound() {
    assertThat(refusal(() -> PathIds.member("")).code()).isEqualTo(RuleCode.MEMBER_NOT_FOUND);
    assertThat(PathIds.member("consumer")).isEqualTo(ProjectId.of("consumer"));
  }
}
