package dev.imagegov.store.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The power-loss harness's files: copies of a store's directory taken at its sync points (after
 * each acknowledged call), and scratch directories for the images built from them. What a power
 * loss keeps is decided by the test from the copies (everything forced, plus any prefix of what
 * was written after the last force), never by timing.
 *
 * <p>Images are opened by the hundreds, and opening a catalog with a cut forces the quarantine
 * and the truncation; so scratch directories go to {@code /dev/shm} when it exists (memory, where
 * a force costs nothing; what is tested does not depend on it), else under the test's own
 * temporary directory.
 */
final class PowerLoss {
  private PowerLoss() {}

  /** A fresh scratch directory, in memory if the system has {@code /dev/shm}. */
  static Path scratch(Path fallback, String name) throws IOException {
    Path shm = Path.of("/dev/shm");
    Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : fallback;
    return Files.createTempDirectory(base, "imagegov-" + name + "-");
  }

  /** The regular files under {@code dir} (but its lock), by relative path, with their bytes. */
  static TreeMap<Path, byte[]> files(Path dir) throws IOException {
    TreeMap<Path, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
          files.put(dir.relativize(f), Files.readAllBytes(f));
        }
      }
    }
    return files;
  }

  /** Writes {@code files} into the empty or absent directory {@code dir}. */
  static Path write(Path dir, TreeMap<Path, byte[]> files) throws IOException {
    Files.createDirectories(dir);
    for (var f : files.entrySet()) {
      Path target = dir.resolve(f.getKey());
      Files.createDirectories(target.getParent());
      Files.write(target, f.getValue());
    }
    return dir;
  }

  /** Deletes {@code dir} and everything under it. */
  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
