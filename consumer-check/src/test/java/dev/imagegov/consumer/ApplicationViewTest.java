package dev.imagegov.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an application sees of the published artifacts. The class path is the one Maven gives an
 * application that declares imagegov-core, imagegov-store-memory and imagegov-store-file through
 * the BOM (compile and runtime scope: no Immutables, no test libraries), written by this
 * module's build. The sample application is {@code com.example.app.Application}, compiled here
 * a second time, with javac's {@code -Xlint:all -Werror}, against that class path alone.
 */
class ApplicationViewTest {
  private static final String SAMPLE = "src/test/java/com/example/app/Application.java";
  private static final Map<String, String> MODULE_NAMES =
      Map.of(
          "imagegov-store-spi", "dev.imagegov.spi",
          "imagegov-core", "dev.imagegov.core",
          "imagegov-store-memory", "dev.imagegov.store.memory",
          "imagegov-store-file", "dev.imagegov.store.file");

  private static List<Path> applicationClassPath;
  private static Path classes;
  private static List<String> diagnostics;
  private static boolean compiled;

  @BeforeAll
  static void compileTheSampleApplication() throws IOException {
    Path listing = Path.of(System.getProperty("imagegov.application.classpath"));
    applicationClassPath =
        Arrays.stream(Files.readString(listing).trim().split(File.pathSeparator))
            .map(Path::of)
            .collect(Collectors.toList());
    classes = Path.of(System.getProperty("imagegov.application.output"));
    Files.createDirectories(classes);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options =
          List.of(
              "-Xlint:all",
              "-Werror",
              "--release",
              "17",
              "-proc:none",
              "-classpath",
              join(applicationClassPath),
              "-d",
              classes.toString());
      compiled =
          javac
              .getTask(null, files, collector, options, null, files.getJavaFileObjects(SAMPLE))
              .call();
    }
    diagnostics =
        collector.getDiagnostics().stream()
            .map(ApplicationViewTest::describe)
            .collect(Collectors.toList());
  }

  @Test
  void theApplicationsClassPathHoldsTheLibrariesAndNeitherImmutablesNorTestLibraries() {
    List<String> names =
        applicationClassPath.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
    assertThat(names)
        .as("application class path %s", names)
        .anyMatch(n -> n.startsWith("imagegov-core"))
        .anyMatch(n -> n.startsWith("imagegov-store-spi"))
        .noneMatch(n -> n.startsWith("value-") || n.contains("immutables"))
        .noneMatch(n -> n.startsWith("junit") || n.startsWith("assertj"));
  }

  @Test
  void anApplicationCompilesWithEveryLintWarningAsAnError() {
    assertThat(diagnostics).as("javac -Xlint:all -Werror diagnostics").isEmpty();
    assertThat(compiled).as("javac succeeded").isTrue();
  }

  /**
   * An application that configures no logging at all prints nothing on standard error (README,
   * "Logging"): imagegov logs only through {@link System.Logger}, and only on recovery and
   * damage, and brings no logging facade that would print a notice of its own (SLF4J's "No SLF4J
   * providers were found").
   */
  @Test
  void anApplicationThatConfiguresNoLoggingPrintsNothingOnStandardError() throws Exception {
    assertThat(compiled).as("the sample compiled: %s", diagnostics).isTrue();
    Run run = runApplication(List.of());
    assertThat(run.exitCode).as("exit code; stderr: %s", run.err).isZero();
    assertThat(run.err).as("standard error").isEmpty();
    assertThat(run.out).as("standard output").containsExactly(
        "ok memory lists 1 and reads 17 bytes",
        "ok memory outsider 404",
        "ok memory explain allowed=false",
        "ok events delivered",
        "ok file lists 1 and reads 17 bytes",
        "ok file outsider 404",
        "ok file explain allowed=false");
  }

  @Test
  void nothingFromSlf4jIsOnTheApplicationsClassPath() throws IOException {
    List<String> names =
        applicationClassPath.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
    assertThat(names).as("application class path").noneMatch(n -> n.startsWith("slf4j"));
    List<String> slf4j = new ArrayList<>();
    for (Path entry : applicationClassPath) {
      for (Map.Entry<String, byte[]> c : classFiles(entry)) {
        if (c.getKey().startsWith("org/slf4j/")) {
          slf4j.add(entry.getFileName() + "!" + c.getKey());
        }
      }
    }
    assertThat(slf4j).as("SLF4J classes on the application class path").isEmpty();
  }

  @Test
  void everyLibraryJarNamesItsAutomaticModule() throws IOException {
    List<Path> jars = libraryEntries();
    assumeTrue(
        jars.stream().allMatch(p -> p.toString().endsWith(".jar")),
        "the reactor resolved the libraries to class directories (mvn test), not jars: "
            + "the manifests are checked under mvn verify");
    assertThat(jars).as("library jars on the class path").hasSize(MODULE_NAMES.size());
    for (Path jar : jars) {
      String artifact = artifactOf(jar);
      try (JarFile file = new JarFile(jar.toFile())) {
        assertThat(file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
            .as("Automatic-Module-Name of %s", jar.getFileName())
            .isEqualTo(MODULE_NAMES.get(artifact));
      }
    }
  }

  /**
   * Immutables puts {@code @org.immutables.value.Generated(from = ..., generator = ...)} on its
   * generated classes unless the style forbids it; Immutables is a {@code provided} dependency, so
   * javac warns "Cannot find annotation method 'from()'" in every application whose code touches
   * such a class. The styles of the model, the SPI, core and store-file forbid it; this catches a
   * new generated type under another style. (The abstract types' own {@code @Value.Immutable} has
   * no elements, so javac has nothing to look up and stays silent.)
   */
  @Test
  void noLibraryClassCarriesImmutablesGeneratedAnnotation() throws IOException {
    List<String> offenders = new ArrayList<>();
    for (Path entry : libraryEntries()) {
      for (Map.Entry<String, byte[]> c : classFiles(entry)) {
        if (new String(c.getValue(), StandardCharsets.ISO_8859_1)
            .contains("Lorg/immutables/value/Generated;")) {
          offenders.add(entry.getFileName() + "!" + c.getKey());
        }
      }
    }
    assertThat(offenders).as("classes annotated with org.immutables.value.Generated").isEmpty();
  }

  private static List<Path> libraryEntries() {
    return applicationClassPath.stream()
        .filter(p -> MODULE_NAMES.containsKey(artifactOf(p)))
        .collect(Collectors.toList());
  }

  /** The artifact id of a class path entry: a jar's name less its version, or the module dir. */
  private static String artifactOf(Path entry) {
    String name = entry.getFileName().toString();
    if (name.endsWith(".jar")) {
      return name.replaceFirst("-\\d.*$", "");
    }
    // target/classes of a reactor module.
    Path module = entry.getParent().getParent().getFileName();
    return "imagegov-" + module;
  }

  private static List<Map.Entry<String, byte[]>> classFiles(Path entry) throws IOException {
    List<Map.Entry<String, byte[]>> out = new ArrayList<>();
    if (Files.isDirectory(entry)) {
      try (var walk = Files.walk(entry)) {
        for (Path p : (Iterable<Path>) walk.filter(f -> f.toString().endsWith(".class"))::iterator) {
          out.add(Map.entry(entry.relativize(p).toString(), Files.readAllBytes(p)));
        }
      }
      return out;
    }
    try (JarFile jar = new JarFile(entry.toFile())) {
      for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
        if (e.getName().endsWith(".class")) {
          out.add(Map.entry(e.getName(), jar.getInputStream(e).readAllBytes()));
        }
      }
    }
    return out;
  }

  private static Run runApplication(List<Path> extra) throws IOException, InterruptedException {
    List<Path> path = new ArrayList<>();
    path.add(classes);
    path.addAll(applicationClassPath);
    path.addAll(extra);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = Files.createTempFile(classes.getParent(), "application", ".out");
    Path err = Files.createTempFile(classes.getParent(), "application", ".err");
    Process process =
        new ProcessBuilder(
                java.toString(), "-cp", join(path), "com.example.app.Application")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    int exit = process.waitFor();
    return new Run(exit, lines(out), lines(err));
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String join(List<Path> paths) {
    return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  private static String describe(Diagnostic<? extends JavaFileObject> d) {
    return d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName() + ":"
        + d.getLineNumber() + " ") + d.getMessage(Locale.ROOT);
  }

  private record Run(int exitCode, List<String> out, List<String> err) {}
}
