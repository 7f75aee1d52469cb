package dev.imagegov.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Core's main sources stay within 100 columns: a cheap build check over every {@code .java} file
 * under {@code src/main/java} (the module's directory, where the build runs its tests), with no
 * exclusion; generated code, which is not kept there, is skipped if a file says it is generated.
 */
class SourceLineLengthTest {
  private static final int COLUMNS = 100;

  private static Path mainSources() {
    Path base = Path.of(System.getProperty("basedir", "."));
    return base.resolve("src").resolve("main").resolve("java");
  }

  @Test
  void everyLineOfCoresMainSourcesFitsInOneHundredColumns() throws IOException {
    Path root = mainSources();
    assertThat(root.resolve("dev/imagegov/ImageGovernance.java"))
        .as("the scan reads core's main sources (run from the core module)").isRegularFile();
    List<String> tooLong = new ArrayList<>();
    int files = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (generated(lines)) {
          continue;
        }
        files++;
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i);
          int columns = line.codePointCount(0, line.length());
          if (columns > COLUMNS) {
            tooLong.add(root.relativize(file) + ":" + (i + 1) + " (" + columns + " columns)");
          }
        }
      }
    }
    assertThat(files).as("main source files read").isGreaterThan(100);
    assertThat(tooLong).as("lines longer than %d columns", COLUMNS).isEmpty();
  }

  /** Whether a file says it is generated (a {@code @Generated} annotation in its first lines). */
  private static boolean generated(List<String> lines) {
    return lines.stream().limit(40).anyMatch(l -> l.contains("@Generated")
        || l.contains("javax.annotation.processing.Generated"));
  }
}
