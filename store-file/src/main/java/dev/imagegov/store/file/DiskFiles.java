package dev.imagegov.store.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** File-system steps the catalog's durability rests on. */
final class DiskFiles {
  private DiskFiles() {}

  /**
   * Forces a directory's entries (creations, renames, deletions) to disk. Some platforms refuse
   * to open or force a directory; there the rename itself is all the file system offers, and the
   * refusal is ignored.
   */
  static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported here (for example on Windows); nothing more can be done.
    }
  }

  /** Writes all of {@code bytes} at {@code position}. */
  static void writeFully(FileChannel channel, byte[] bytes, long position) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer, position + buffer.position());
    }
  }

  /**
   * Moves a finished temporary file into place atomically and, if {@code fsync}, forces the
   * directory.
   */
  static void publish(Path temporary, Path target, boolean fsync) throws IOException {
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    if (fsync) {
      forceDirectory(target.getParent());
    }
  }
}
