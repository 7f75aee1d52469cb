package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegov.access.Caller;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.wire.GlanceErrors;
import dev.imagegov.wire.GlanceWire;
import dev.imagegov.wire.PathIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Glance's wire forms ({@code dev.imagegov.wire}) on a real governance over the memory store: a
 * create body in, the image's JSON out, list pages followed by their {@code next} link, members,
 * and the error body of a refusal.
 */
class WireFormsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Fixtures f = new Fixtures();
  private final GlanceWire wire = GlanceWire.of(GovernanceConfig.defaults());

  /** The refusal {@code call} fails with, asserted to have {@code code}. */
  private static GovernanceException refusal(ErrorCode code, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(GovernanceException.class);
    assertThat(((GovernanceException) thrown).code()).isEqualTo(code);
    return (GovernanceException) thrown;
  }

  @Test
  void aCreateBodyReadByTheWireCreatesTheImageItsJsonShows() throws Exception {
    String body =
        "{\"name\": \"golden\", \"disk_format\": \"qcow2\", \"container_format\": \"bare\","
            + " \"visibility\": \"private\", \"min_ram\": 512, \"tags\": [\"lts\", \"gpu\"],"
            + " \"os_distro\": \"ubuntu\"}";
    Image created = f.images().create(PRODUCER, wire.newImage(body));
    JsonNode json = JSON.readTree(wire.image(f.images().get(PRODUCER, created.id())).toString());
    JsonNode sent = JSON.readTree(body);
    for (String key : List.of("name", "disk_format", "container_format", "visibility", "min_ram",
        "tags", "os_distro")) {
      assertThat(json.get(key)).as(key).isEqualTo(sent.get(key));
    }
    assertThat(json.get("status").asText()).isEqualTo("queued");
    assertThat(json.get("owner").asText()).isEqualTo("producer");
    assertThat(json.get("self").asText()).isEqualTo("/v2/images/" + created.id());
  }

  @Test
  void aRefusedCreateBodyChangesNothing() {
    GovernanceException e =
        refusal(RuleCode.READ_ONLY_ATTRIBUTE,
            () -> f.images().create(PRODUCER, wire.newImage("{\"name\": \"x\", \"status\": \"active\"}")));
    assertThat(e.getMessage()).isEqualTo("Attribute 'status' is read-only.");
    assertThat(f.listIds(ADMIN, "visibility=all")).isEmpty();
    assertThat(f.events).isEmpty();
  }

  @Test
  void pagesFollowedByTheirNextMarkerCoverTheListOnceWithOneMarker() throws Exception {
    List<ImageId> made = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      made.add(f.create(PRODUCER, "img" + i, Visibility.PRIVATE).id());
    }
    ListRequest request = ListRequest.parse("sort=name:asc&limit=2");
    List<String> seen = new ArrayList<>();
    for (int pages = 0; pages < 10; pages++) {
      ImageList page = f.images().list(PRODUCER, request);
      JsonNode json = JSON.readTree(wire.images(page).toString());
      json.get("images").forEach(i -> seen.add(i.get("name").asText()));
      assertThat(json.get("first").asText()).isEqualTo("/v2/images?sort=name%3Aasc&limit=2");
      if (!json.has("next")) {
        break;
      }
      String next = json.get("next").asText();
      assertThat(next.split("marker=", -1)).as(next).hasSize(2);
      request = request.with("marker", page.nextMarker().orElseThrow().value());
      assertThat("/v2/images?" + request.toQueryString()).isEqualTo(next);
    }
    assertThat(seen).hasSize(made.size()).containsExactly("img0", "img1", "img2", "img3", "img4");
  }

  @Test
  void aMemberAddedShowsAsGlancesMemberJson() {
    Image image = f.create(PRODUCER, "shared", Visibility.SHARED);
    Member member = f.sharing().addMember(PRODUCER, image.id(), "consumer-a");
    JsonNode json = wire.member(member);
    assertThat(json.get("member_id").asText()).isEqualTo("consumer-a");
    assertThat(json.get("image_id").asText()).isEqualTo(image.id().value());
    assertThat(json.get("status").asText()).isEqualTo("pending");
    assertThat(wire.members(f.sharing().listMembers(PRODUCER, image.id())).get("members"))
        .hasSize(1);
  }

  @Test
  void anInvisibleImageAndAMalformedPathIdGetTheSameErrorBody() {
    Image hidden = f.create(PRODUCER, "hidden", Visibility.PRIVATE);
    GovernanceException invisible =
        refusal(StoreErrorCode.IMAGE_NOT_FOUND, () -> f.images().get(OUTSIDER, hidden.id()));
    GovernanceException malformed =
        refusal(StoreErrorCode.IMAGE_NOT_FOUND,
            () -> f.images().get(CONSUMER_A, PathIds.image("not-a-uuid")));
    JsonNode a = GlanceErrors.body(invisible);
    JsonNode b = GlanceErrors.body(malformed);
    assertThat(a.get("code").asText()).isEqualTo("404 Not Found");
    assertThat(b.get("code")).isEqualTo(a.get("code"));
    assertThat(b.get("title")).isEqualTo(a.get("title"));
    assertThat(a.get("message").asText())
        .isEqualTo("No image found with ID " + hidden.id() + "<br /><br />\n\n\n");
  }

  /** What the README's example answered: status, then body. */
  private final List<String> answers = new ArrayList<>();

  private void respond(int status, String body) {
    answers.add(status + " " + body);
  }

  /** The README's example, run: a create, a list page, a get of a malformed id. */
  @Test
  void readmeExampleAnswersAsGlanceWould() {
    ImageGovernance governance = f.governance;
    GovernanceConfig config = GovernanceConfig.defaults();
    Caller caller = PRODUCER;
    String requestBody = "{\"name\": \"golden\", \"visibility\": \"private\"}";
    String queryString = "limit=1";
    String pathId = "not-a-uuid";
    // readme:wire:begin
    GlanceWire wire = GlanceWire.of(config).withBaseUrl("https://images.example.com");
    try {
      Image image = governance.images().create(caller, wire.newImage(requestBody)); // POST /v2/images
      respond(201, wire.image(image).toString());
      ImageList page = governance.images().list(caller, ListRequest.parse(queryString));
      respond(200, wire.images(page).toString());                                  // GET /v2/images
      Image one = governance.images().get(caller, PathIds.image(pathId));          // GET /v2/images/{id}
      respond(200, wire.image(one).toString());
    } catch (GovernanceException e) {
      respond(e.httpStatus(), GlanceErrors.body(e).toString());
    }
    // readme:wire:end
    assertThat(answers).hasSize(3);
    assertThat(answers.get(0)).startsWith("201 {").contains("\"self\":\"https://images.example.com/v2/images/");
    assertThat(answers.get(1)).startsWith("200 {\"images\":[").contains("\"next\":");
    assertThat(answers.get(2)).startsWith("404 {\"message\":\"No image found with ID not-a-uuid");
  }

  @Test
  void readmeShowsExactlyTheTestedExample() throws IOException {
    List<String> lines =
        Files.readAllLines(Path.of("src/test/java/dev/imagegov/WireFormsTest.java"));
    int begin = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("// readme:wire:begin")) {
        begin = i + 1;
      } else if (lines.get(i).strip().equals("// readme:wire:end")) {
        end = i;
      }
    }
    String body =
        lines.subList(begin, end).stream()
            .map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
            .collect(Collectors.joining("\n"));
    assertThat(Files.readString(Path.of("../README.md"))).contains("```java\n" + body + "\n```");
  }
}
