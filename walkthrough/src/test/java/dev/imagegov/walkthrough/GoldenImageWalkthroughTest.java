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
    assertThat(transcript())
        .contains("consumer-accepting lists [ubuntu-24.04-golden]; get by id: ok")
        .contains("consumer-rejecting lists []; get by id: ok")
        .contains("outsider lists []; get by id: 404")
        .contains("can still boot it by id (member status governs listing only): allowed")
        .contains("refused: 403 POLICY_DENIED")
        .contains("outsider lists [ubuntu-24.04-golden]; get by id: ok")
        .contains("event: VisibilityChanged")
        .contains("publicize_image")
        .contains("| explain: UPDATE_MEMBER_STATUS by producer -> FORBIDDEN (403 POLICY_DENIED)")
        .contains("modify_member = DENY")
        .contains("Done.");
  }

  @Test
  void everyExplanationIsOfADecisionTheStoryTookAndTheKeyOnesAreExplained() {
    String transcript = transcript();
    assertThat(transcript)
        .as("the outsider's 404, the refused and the granted publicize, the boot by id")
        .contains("| explain: GET by outsider -> NOT_FOUND")
        .contains("| explain: DOWNLOAD by consumer-rejecting -> ALLOWED")
        .contains("| explain: PUBLICIZE by producer -> FORBIDDEN")
        .contains("| explain: PUBLICIZE by cloud-admin -> ALLOWED")
        .contains("| explain: GET by outsider -> ALLOWED");
    assertThat(transcript)
        .as("the story attempts no DELETE, so it explains none")
        .doesNotContain("DELETE")
        .doesNotContain("delete_image");
  }

  @Test
  void aRulesFullTraceIsPrintedOnce() {
    String transcript = transcript();
    assertThat(count(transcript, "get_image = ALLOW\n")).as("full get_image traces").isEqualTo(1);
    assertThat(count(transcript, "get_image = ALLOW, decided by "))
        .as("short get_image accounts")
        .isEqualTo(4);
    assertThat(transcript)
        .contains("get_image = ALLOW, decided by role:reader, 'public':%(visibility)s (full trace above)");
  }

  @Test
  void eventLinesSayWhichMemberOrChangeTheyConcernAndWhoCausedIt() {
    assertThat(transcript())
        .contains("event: ImageCreated ubuntu-24.04-golden, by producer")
        .contains("event: MemberAdded consumer-accepting (pending), by producer")
        .contains("event: MemberAdded consumer-rejecting (pending), by producer")
        .contains("event: MemberStatusChanged consumer-accepting: pending -> accepted, by consumer-accepting")
        .contains("event: MemberStatusChanged consumer-rejecting: pending -> rejected, by consumer-rejecting")
        .contains("event: VisibilityChanged shared -> public, by cloud-admin");
  }

  private static String transcript() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new GoldenImageWalkthrough(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
