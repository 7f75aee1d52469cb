package dev.imagegov.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Keeps the README's quick start compiling, running, and identical to the README's text: one
 * code block holding the file's imports, a blank line, and the lines between its markers.
 */
class QuickStartTest {
  @Test
  void quickStartListsTheAcceptedImage() {
    assertThat(QuickStart.run()).extracting(i -> i.name().orElse("")).containsExactly("golden");
  }

  @Test
  void readmeShowsExactlyTheCompiledQuickStart() throws IOException {
    Path source = Path.of("src/main/java/dev/imagegov/walkthrough/QuickStart.java");
    List<String> lines = Files.readAllLines(source);
    int begin = indexOf(lines, "// quick-start:begin") + 1;
    int end = indexOf(lines, "// quick-start:end");
    String imports =
        lines.stream().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
    String body =
        lines.subList(begin, end).stream()
            .map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
            .collect(Collectors.joining("\n"));
    String snippet = "```java\n" + imports + "\n\n" + body + "\n```";
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(readme).contains(snippet);
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("marker not found: " + marker);
  }
}
