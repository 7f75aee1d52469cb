package dev.imagegov.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the walkthrough telling the story the README promises. */
class GoldenImageWalkthroughTest {
  @Test
  void transcriptTellsTheGoldenImageStory() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new GoldenImageWalkthrough(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String transcript = bytes.toString(StandardCharsets.UTF_8);

    assertThat(transcript)
        .contains("consumer-accepting lists [ubuntu-24.04-golden]; get by id: ok")
        .contains("consumer-rejecting lists []; get by id: ok")
        .contains("outsider lists []; get by id: 404")
        .contains("can still boot it by id (status governs listing only): allowed")
        .contains("refused: 403 POLICY_DENIED")
        .contains("the outsider now lists [ubuntu-24.04-golden]; get by id: ok")
        .contains("event: VisibilityChanged")
        .contains("publicize_image")
        .contains("UPDATE_MEMBER_STATUS of image")
        .contains("FORBIDDEN (403 POLICY_DENIED)")
        .contains("FAIL policy: policy rule modify_member")
        .contains("Done.");
  }
}
