package dev.imagegov.store.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Starts a test main class in a child JVM with this JVM's test class path, and reads what a
 * child that is killed printed.
 */
final class ChildJvm {
  /** How long a child may take to print an awaited line: a hang guard, not a deadline. */
  static final long HANG_SECONDS = 120;

  private ChildJvm() {}

  static Process start(Class<?> main, String... args) throws IOException {
    return builder(main, args).start();
  }

  static ProcessBuilder builder(Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Start fast: the child's work is short.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-Xshare:auto");
    command.add("-XX:-UsePerfData");
    command.add("-Djava.util.logging.config.file="
        + System.getProperty("java.util.logging.config.file", ""));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
  }

  /**
   * The complete lines a child printed: its standard output goes to a file (a pipe's reader
   * can race with the JDK's reaper when the process dies), and a line cut by the kill is dropped.
   */
  static List<String> lines(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  /**
   * Waits until the child printed a complete line that {@code awaited} accepts. Returns false
   * only if the child died first or printed nothing of the kind for {@link #HANG_SECONDS} (a
   * hung child): how long the child takes never decides the outcome otherwise.
   */
  static boolean awaitLine(Process process, Path file, Predicate<String> awaited)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
    while (System.nanoTime() < deadline) {
      // Read before asking whether it lives: a child that printed and then died still printed.
      boolean alive = process.isAlive();
      if (lines(file).stream().anyMatch(awaited)) {
        return true;
      }
      if (!alive) {
        return false;
      }
      Thread.sleep(5);
    }
    return false;
  }
}
