package dev.imagegov.store.file;

import dev.imagegov.model.Image;
import dev.imagegov.model.Tombstone;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a snapshot: the live images and the tombstones as of the last LSN before a segment,
 * in chunks of records (binary payloads, {@link SnapshotCodec}), closed by an end frame with the
 * counts. It is written to a temporary
 * file, forced, renamed into place atomically and the directory forced, so a snapshot file is
 * always complete; any damage to one is corruption, never a crash.
 */
final class SnapshotWriter {
  /** Records per chunk frame. */
  static final int CHUNK_RECORDS = 1024;
  /** Payload bytes after which a chunk is closed early. */
  static final int CHUNK_BYTES = 1 << 20;

  private SnapshotWriter() {}

  /**
   * The order images are written in: the default list order ({@code created_at desc, id desc}),
   * so the bulk load that opens the snapshot sorts an already sorted run, in linear time.
   */
  static final Comparator<Image> ORDER =
      Comparator.comparing(Image::createdAt).thenComparing(i -> i.id().value()).reversed();

  /**
   * Writes {@code snapshot-<segment>.snap}, covering every LSN up to {@code lastLsn}; sorts
   * {@code images} in place, in {@link #ORDER}.
   */
  static void write(
      Path dir, long segment, long lastLsn, List<Image> images, List<Tombstone> tombstones,
      boolean fsync)
      throws IOException {
    images.sort(ORDER);
    Path target = dir.resolve(Format.snapshotName(segment));
    Path temporary = dir.resolve(Format.snapshotName(segment) + ".tmp");
    try (FileChannel out =
        FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long position = 0;
      byte[] header = Format.header(Format.SNAPSHOT_MAGIC, segment, lastLsn);
      DiskFiles.writeFully(out, header, position);
      position += header.length;
      long chunk = 0;
      List<Format.Record> records = new ArrayList<>(CHUNK_RECORDS);
      int bytes = 0;
      int total = images.size() + tombstones.size();
      for (int i = 0; i < total; i++) {
        Format.Record record =
            i < images.size()
                ? new Format.Record(Format.RECORD_IMAGE, SnapshotCodec.encode(images.get(i)))
                : new Format.Record(
                    Format.RECORD_TOMBSTONE,
                    SnapshotCodec.encode(tombstones.get(i - images.size())));
        records.add(record);
        bytes += record.payload().length;
        if (records.size() == CHUNK_RECORDS || bytes >= CHUNK_BYTES || i == total - 1) {
          byte[] frame = Format.frame(Format.FRAME_SNAPSHOT_CHUNK, chunk++, records);
          DiskFiles.writeFully(out, frame, position);
          position += frame.length;
          records.clear();
          bytes = 0;
        }
      }
      byte[] counts =
          ByteBuffer.allocate(16).putLong(images.size()).putLong(tombstones.size()).array();
      byte[] end =
          Format.frame(
              Format.FRAME_SNAPSHOT_END, chunk, List.of(new Format.Record(Format.RECORD_END,
                  counts)));
      DiskFiles.writeFully(out, end, position);
      if (fsync) {
        out.force(true);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    DiskFiles.publish(temporary, target, fsync);
  }

  /** Deletes the snapshots and journal segments that the snapshot of {@code segment} replaces. */
  static void removeBefore(Path dir, long segment, boolean fsync) throws IOException {
    boolean removed = false;
    try (var files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        long journal = Format.number(name, "journal-", ".log");
        long snapshot = Format.number(name, "snapshot-", ".snap");
        if ((journal >= 0 && journal < segment) || (snapshot >= 0 && snapshot < segment)) {
          Files.deleteIfExists(file);
          removed = true;
        }
      }
    }
    if (removed && fsync) {
      DiskFiles.forceDirectory(dir);
    }
  }
}
