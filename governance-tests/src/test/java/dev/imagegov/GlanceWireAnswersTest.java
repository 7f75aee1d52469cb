package dev.imagegov;

import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.wire.GlanceErrors;
import dev.imagegov.wire.GlanceWire;
import dev.imagegov.wire.PathIds;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * imagegov's wire forms against the JSON a real Glance 25.1.0 sent
 * ({@code src/test/resources/dev/imagegov/glance-wire/answers-25.1.0.json}, recorded on loopback
 * on 2026-12-07 as {@code governance-tests/GLANCE-PROBES.md} describes): the same requests are
 * read by {@link GlanceWire#newImage}, the same images are created, and what imagegov writes is
 * compared with what Glance sent, as JSON trees (key order aside). Times are Glance's (they
 * depend on the clock); everything else is imagegov's own answer.
 */
class GlanceWireAnswersTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode ANSWERS = load();

  private final Fixtures f = new Fixtures();
  private final GlanceWire wire = GlanceWire.of(GovernanceConfig.defaults());

  private static JsonNode load() {
    try (InputStream in =
        GlanceWireAnswersTest.class.getResourceAsStream("glance-wire/answers-25.1.0.json")) {
      return JSON.readTree(in).get("answers");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode body(String answer) {
    try {
      return JSON.readTree(ANSWERS.get(answer).get("body").asText());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code node} as read back from its JSON text (numbers in the smallest type, as Glance's). */
  private static JsonNode sent(JsonNode node) {
    try {
      return JSON.readTree(node.toString());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static int status(String answer) {
    return ANSWERS.get(answer).get("status").asInt();
  }

  private static String request(String answer) {
    return ANSWERS.get(answer).get("request").asText();
  }

  private static GovernanceException refusal(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(GovernanceException.class);
    return (GovernanceException) thrown;
  }

  /** The image created from the recorded request, with the times Glance gave it. */
  private Image created(String answer) {
    Image image = f.images().create(PRODUCER, wire.newImage(request(answer)));
    JsonNode glance = body(answer);
    return image.toBuilder()
        .createdAt(Instant.parse(glance.get("created_at").asText()))
        .updatedAt(Instant.parse(glance.get("updated_at").asText()))
        .build();
  }

  @Test
  void theCreateAnswerIsGlancesImageJson() {
    assertThat(status("create")).isEqualTo(201);
    assertThat(sent(wire.image(created("create")))).isEqualTo(body("create"));
  }

  @Test
  void theShowAnswerIsGlancesImageJson() {
    Image image = created("create");
    JsonNode shown = wire.image(f.images().get(PRODUCER, image.id()).toBuilder()
        .createdAt(image.createdAt()).updatedAt(image.updatedAt()).build());
    assertThat(sent(shown)).isEqualTo(body("show"));
  }

  @Test
  void anImageWithDataShowsItsStoresAsGlanceDoesWithLocationsHidden() {
    JsonNode glance = body("show_active_other");
    // Glance's fs1 store, holding the 15 bytes another project uploaded; locations not shown.
    ImageGovernance governance = ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .blobStore(MemoryBlobStore.create("fs1"))
        .build();
    Caller producer = Caller.member("producer");
    Image created = governance.images().create(producer, NewImage.builder()
        .id(glance.get("id").asText()).name("data").visibility(Visibility.COMMUNITY)
        .diskFormat("raw").containerFormat("bare").build());
    governance.data().upload(producer, created.id(),
        new ByteArrayInputStream("fifteen bytes!!".getBytes(StandardCharsets.US_ASCII)),
        OptionalLong.empty());
    Caller other = Caller.member("other");
    Image view = governance.images().get(other, created.id());
    assertThat(view.locations()).isEmpty();
    List<StoreId> stores = governance.images().storesOf(other, created.id());
    assertThat(stores).containsExactly(StoreId.of("fs1"));
    Image timed = view.toBuilder()
        .createdAt(Instant.parse(glance.get("created_at").asText()))
        .updatedAt(Instant.parse(glance.get("updated_at").asText()))
        .build();
    JsonNode ours = sent(wire.image(timed, stores));
    // The data differs (Glance's 15 bytes are not recorded), so compare all but the digests.
    for (String digest : List.of("checksum", "os_hash_value")) {
      assertThat(ours.get(digest).asText()).as(digest).isNotEmpty();
      ((ObjectNode) ours).set(digest, glance.get(digest));
    }
    assertThat(ours).isEqualTo(glance);
    // Without the store ids, the view alone cannot name the store.
    assertThat(sent(wire.image(timed)).has("stores")).isFalse();
  }

  @Test
  void theMemberAnswersAreGlancesMemberJson() {
    Image image = created("create");
    JsonNode glance = body("member_create");
    Instant at = Instant.parse(glance.get("created_at").asText());
    Member member = f.sharing().addMember(PRODUCER, image.id(), "consumer-a").toBuilder()
        .createdAt(at).updatedAt(at).build();
    assertThat(status("member_create")).isEqualTo(200);
    assertThat(sent(wire.member(member))).isEqualTo(glance);
    assertThat(sent(wire.members(List.of(member)))).isEqualTo(body("members"));
  }

  @Test
  void theListPageHasGlancesFirstNextAndSchema() {
    created("create");
    created("create2");
    ImageList page = f.images().list(PRODUCER, ListRequest.parse("sort=name:asc&limit=1"));
    JsonNode ours = wire.images(page);
    JsonNode glance = body("list_page");
    assertThat(ours.get("first")).isEqualTo(glance.get("first"));
    assertThat(ours.get("next")).isEqualTo(glance.get("next"));
    assertThat(ours.get("schema")).isEqualTo(glance.get("schema"));
    assertThat(ours.get("images").get(0).get("id")).isEqualTo(glance.get("images").get(0).get("id"));
  }

  @Test
  void aMalformedIdInAPathGetsGlancesErrorBody() {
    GovernanceException e = refusal(() -> f.images().get(PRODUCER, PathIds.image("not-a-uuid")));
    assertThat(e.httpStatus()).isEqualTo(status("show_malformed_id"));
    assertThat(GlanceErrors.body(e)).isEqualTo(body("show_malformed_id"));
  }

  @Test
  void readOnlyAndReservedKeysOfACreateBodyGetGlancesErrorBodies() {
    for (String answer :
        List.of("create_status", "create_self", "create_stores", "create_locations")) {
      GovernanceException e = refusal(() -> wire.newImage(request(answer)));
      assertThat(e.httpStatus()).as(answer).isEqualTo(status(answer));
      assertThat(GlanceErrors.body(e)).as(answer).isEqualTo(body(answer));
    }
  }

  @Test
  void wrongTypesAndAnUnknownVisibilityGetGlancesStatusAndTitle() {
    for (String answer :
        List.of("create_bogus_visibility", "create_min_ram_text", "create_name_number",
            "create_property_number")) {
      GovernanceException e = refusal(() -> wire.newImage(request(answer)));
      assertThat(e.code()).as(answer).isEqualTo(StoreErrorCode.INVALID_VALUE);
      JsonNode ours = GlanceErrors.body(e);
      assertThat(ours.get("code")).as(answer).isEqualTo(body(answer).get("code"));
      assertThat(ours.get("title")).as(answer).isEqualTo(body(answer).get("title"));
      // Glance's message is jsonschema's; imagegov's names the same property.
      assertThat(e.getMessage()).startsWith("Provided object does not match schema 'image': ");
    }
  }

  @Test
  void refusalsGlanceRaisesWithWebobsDefaultExplanationHaveTheSameStatusCodeAndTitle() {
    for (String answer : List.of("create_reserved", "create_owner_null")) {
      GovernanceException e =
          refusal(() -> f.images().create(PRODUCER, wire.newImage(request(answer))));
      JsonNode ours = GlanceErrors.body(e);
      assertThat(e.httpStatus()).as(answer).isEqualTo(status(answer));
      assertThat(ours.get("code")).as(answer).isEqualTo(body(answer).get("code"));
      assertThat(ours.get("title")).as(answer).isEqualTo(body(answer).get("title"));
    }
  }

  @Test
  void aPatchInAnotherMediaTypeGetsGlancesExactBody() {
    Image image = created("create");
    GovernanceException e =
        refusal(() -> f.images().patch(PRODUCER, image.id(), "application/json",
            "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"x\"}]"));
    assertThat(e.httpStatus()).isEqualTo(status("patch_wrong_media_type"));
    assertThat(GlanceErrors.body(e, "application/json")).isEqualTo(body("patch_wrong_media_type"));
  }

  @Test
  void aCreateBodyThatIsAnArrayIsABadRequestWhereGlanceAnswers500() {
    assertThat(status("create_array")).isEqualTo(500);
    assertThat(refusal(() -> wire.newImage(request("create_array"))).httpStatus()).isEqualTo(400);
  }
}
