package dev.imagegov.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the lifecycle chapter telling the story issue 15 asks for. */
class LifecycleWalkthroughTest {
  @Test
  void transcriptTellsTheLifecycleStory() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new LifecycleWalkthrough(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String transcript = bytes.toString(StandardCharsets.UTF_8);
    assertThat(transcript)
        .contains("latest for the consumer: ubuntu-24.04-v1")
        .contains("event: LifecycleChanged active -> deprecated (operation)")
        .contains("v1's state: deprecated")
        .contains("the consumer lists [ubuntu-24.04-v2]")
        .contains("new launch of v1: refused: 403 LIFECYCLE_FORBIDS: Image v1 is obsolete: it is "
            + "refused for a new launch. Use its replacement v2.")
        .contains("vm-1 reboots from v1: allowed")
        .contains("| explain: DOWNLOAD by consumer ActionArgs{} -> FORBIDDEN (403 LIFECYCLE_FORBIDS)")
        .contains("lifecycle state obsolete")
        .contains("L6. latest resolves v2, the replacement.\n    latest for the consumer: ubuntu-24.04-v2")
        .contains("asked by v1's id (an image the consumer pinned): ubuntu-24.04-v2")
        .contains("| v1 | delete-after | in use |")
        .contains("v1, rebooted by vm-1: last use recorded; v2, never downloaded: last use none")
        .contains("versions not used since v1's last use: [ubuntu-24.04-v2]")
        .contains("Done.");
  }
}
