package dev.imagegov.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every code sample of testkit/README.md is the text between marker comments of a test source that
 * compiles and runs, so the README cannot drift from working code.
 */
class ReadmeTest {
  @ParameterizedTest(name = "{1} in {0}")
  @CsvSource({
    "readme/FirstPropertyTest.java, imports",
    "readme/FirstPropertyTest.java, first-property",
    "assertions/AssertionsForEveryCallerTest.java, soft",
    "contract/ScanningCatalogContractTest.java, contract",
    "readme/ModelCheckSampleTest.java, model-check",
    "readme/GeneratorSamplesTest.java, streams",
    "readme/GeneratorSamplesTest.java, patches",
    "contract/SimpleBlobStoreContractTest.java, blob-contract"
  })
  void theReadmeShowsTheCompiledSample(String source, String marker) throws IOException {
    List<String> lines =
        Files.readAllLines(Path.of("src/test/java/dev/imagegov/testkit").resolve(source));
    int begin = indexOf(lines, "// readme:" + marker + ":begin") + 1;
    int end = indexOf(lines, "// readme:" + marker + ":end");
    List<String> snippet = lines.subList(begin, end);
    int indent =
        snippet.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    String text =
        snippet.stream()
            .map(l -> l.isBlank() ? "" : l.substring(indent))
            .collect(Collectors.joining("\n"));
    assertThat(Files.readString(Path.of("README.md"))).contains(text);
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
