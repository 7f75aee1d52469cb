package dev.imagegov.store.file;

import com.google.common.base.Throwables;
import com.google.common.util.concurrent.Uninterruptibles;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.codec.ImageCodec;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Opening a catalog: replays the newest snapshot and the journal segments after it into the
 * working state, cutting the unsynced tail of a crash (invalid bytes at the end of the last
 * segment, after the last frame; they never held an acknowledged commit, whose sync marker or
 * closed frame would follow them) into {@code quarantine/} and reporting it, and refusing
 * anything else that does not read back exactly: a damaged frame followed by a valid one, a
 * missing segment, an LSN out of sequence, a record that does not apply to the state it follows.
 * In repair mode such damage is copied to {@code quarantine/} and skipped.
 */
final class Recovery {
  private static final System.Logger LOG = System.getLogger(FileCatalog.class.getName());
  static final String QUARANTINE = "quarantine";

  /**
   * Where the journal continues (the last segment at {@code resumeEnd}, or a new segment
   * {@code newSegment} if there is none or it is of an older format version), and what opening
   * found.
   */
  record Result(
      Optional<Long> resumeSegment,
      long newSegment,
      long resumeEnd,
      long nextLsn,
      long recordsSinceSnapshot,
      FileCatalogRecovery report) {}

  /** Where writing may continue in a replayed segment, and how the segment ended. */
  private record SegmentEnd(int version, long resumeAt, boolean closed) {}

  private static final Set<Byte> JOURNAL_FRAMES_V1 = Set.of(Format.FRAME_COMMIT);
  private static final Set<Byte> JOURNAL_FRAMES =
      Set.of(Format.FRAME_COMMIT, Format.FRAME_SYNCED, Format.FRAME_CLOSED);
  private static final Set<Byte> SNAPSHOT_FRAMES =
      Set.of(Format.FRAME_SNAPSHOT_CHUNK, Format.FRAME_SNAPSHOT_END);

  /** Threads decoding snapshot chunks while the opening thread applies them. */
  private static final int DECODERS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  /** Chunks read ahead of the one being applied (each at most about 1 MiB of payload). */
  private static final int DECODE_AHEAD = 4 * DECODERS;

  private final Path dir;
  private final boolean repair;
  private final MemoryCatalog memory;
  private final Map<ImageId, Tombstone> tombstones;
  private final List<String> repairs = new ArrayList<>();
  private final List<FileCatalogRecovery.Cut> cuts = new ArrayList<>();
  private long expectedLsn = 1;
  private long records;

  Recovery(Path dir, boolean repair, MemoryCatalog memory, Map<ImageId, Tombstone> tombstones) {
    this.dir = dir;
    this.repair = repair;
    this.memory = memory;
    this.tombstones = tombstones;
  }

  /**
   * Replays the snapshot and the journal into the working state as one bulk load: the journal's
   * writes leave their indexing to it ({@link MemoryCatalog#loader}), and every listing index is
   * built once, at the end, from the latest version of every live image.
   */
  Result run() throws IOException {
    MemoryCatalog.Loader loader = memory.loader();
    Result result = replay(loader);
    loader.finish();
    return result;
  }

  private Result replay(MemoryCatalog.Loader loader) throws IOException {
    TreeSet<Long> snapshots = new TreeSet<>();
    TreeSet<Long> journals = new TreeSet<>();
    try (var files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (Journal.isTemporary(file)) {
          // An unfinished snapshot or segment from a crash: never part of the state.
          Files.delete(file);
          continue;
        }
        long journal = Format.number(name, "journal-", ".log");
        long snapshot = Format.number(name, "snapshot-", ".snap");
        if (journal >= 0) {
          journals.add(journal);
        } else if (snapshot >= 0) {
          snapshots.add(snapshot);
        }
      }
    }
    long firstSegment = 1;
    if (!snapshots.isEmpty()) {
      firstSegment = snapshots.last();
      expectedLsn =
          loadSnapshot(dir.resolve(Format.snapshotName(firstSegment)), firstSegment, loader) + 1;
    }
    List<Long> segments = new ArrayList<>(journals.tailSet(firstSegment, true));
    if (segments.isEmpty()) {
      if (!snapshots.isEmpty()) {
        damage(dir.resolve(Format.journalName(firstSegment)), 0,
            "the journal segment that follows " + Format.snapshotName(firstSegment)
                + " is missing");
      }
      SnapshotWriter.removeBefore(dir, firstSegment, true);
      return new Result(Optional.empty(), firstSegment, 0, expectedLsn, records, report(false));
    }
    long base = firstSegment;
    SegmentEnd end = null;
    for (int i = 0; i < segments.size(); i++) {
      long expected = firstSegment + i;
      if (segments.get(i) != expected) {
        damage(dir.resolve(Format.journalName(expected)), 0, "this journal segment is missing");
        firstSegment = segments.get(i) - i;
      }
      end = replaySegment(segments.get(i), i == segments.size() - 1);
    }
    SnapshotWriter.removeBefore(dir, base, true);
    long last = segments.get(segments.size() - 1);
    // A segment of an older version is never appended to: the journal goes on in a new one.
    Optional<Long> resume = end.version() == Format.VERSION ? Optional.of(last) : Optional.empty();
    return new Result(resume, last + 1, end.resumeAt(), expectedLsn, records,
        report(end.closed()));
  }

  private FileCatalogRecovery report(boolean closedCleanly) {
    return new FileCatalogRecovery(closedCleanly, cuts, repairs);
  }

  /** Loads a snapshot; returns the last LSN it covers. */
  private long loadSnapshot(Path file, long number, MemoryCatalog.Loader loader)
      throws IOException {
    ExecutorService decoders = Executors.newFixedThreadPool(DECODERS, r -> {
      Thread t = new Thread(r, "imagegov-open-decode " + dir);
      t.setDaemon(true);
      return t;
    });
    try (FrameReader reader = new FrameReader(file, SNAPSHOT_FRAMES)) {
      Format.Header header = header(reader, Format.SNAPSHOT_MAGIC, number);
      reader.expect(header.version(), SNAPSHOT_FRAMES);
      SnapshotCounts counts = new SnapshotCounts(loader);
      // One dictionary per open, a front cache of it per decoding thread.
      Interner dictionary = new Interner();
      ThreadLocal<Interner.Reader> readers = ThreadLocal.withInitial(dictionary::reader);
      // Chunks read and handed to the decoders, applied strictly in file order. Decoding is pure,
      // so every effect (restoring, noting damage, quarantining) happens in the same order as if
      // each chunk were decoded just before it is applied.
      ArrayDeque<Pending> pending = new ArrayDeque<>();
      // The bytes of chunks already applied, read into again (no chunk-sized array per chunk).
      ArrayDeque<byte[]> free = new ArrayDeque<>();
      boolean ended = false;
      long position = Format.HEADER_SIZE;
      while (position < reader.size()) {
        Optional<FrameReader.Frame> read = reader.frameAt(position, free.poll());
        if (read.isPresent() && !ended
            && read.get().type() == Format.FRAME_SNAPSHOT_CHUNK) {
          FrameReader.Frame frame = read.get();
          pending.add(new Pending(frame,
              decoders.submit(() ->
                  decodeSnapshotRecords(header.version(), frame.records(), readers.get()))));
          if (pending.size() > DECODE_AHEAD) {
            free.add(applyChunk(file, pending.remove(), counts));
          }
          position = frame.end();
          continue;
        }
        while (!pending.isEmpty()) {
          applyChunk(file, pending.remove(), counts);
        }
        if (read.isEmpty() || ended) {
          long next = reader.nextFrameAfter(position);
          long stop = next < 0 ? reader.size() : next;
          damage(file, position, ended
              ? "data follows the snapshot's end frame"
              : "a snapshot frame is damaged (its checksum or layout does not match)");
          quarantine(reader, position, stop);
          position = stop;
          continue;
        }
        FrameReader.Frame frame = read.get();
        ended = true;
        if (!countsMatch(frame, counts.images, counts.deleted)) {
          damage(file, position, "the snapshot's end frame counts other images and tombstones"
              + " than it holds (" + counts.images + " and " + counts.deleted + ")");
        }
        position = frame.end();
      }
      while (!pending.isEmpty()) {
        applyChunk(file, pending.remove(), counts);
      }
      if (!ended) {
        damage(file, reader.size(), "the snapshot ends without its end frame");
      }
      return header.lsn();
    } finally {
      decoders.shutdownNow();
    }
  }

  /** The bulk load of the working state, and the images and tombstones it restored so far. */
  private static final class SnapshotCounts {
    final MemoryCatalog.Loader loader;
    long images;
    long deleted;

    SnapshotCounts(MemoryCatalog.Loader loader) {
      this.loader = loader;
    }
  }

  /** A snapshot chunk and its records being decoded. */
  private record Pending(FrameReader.Frame frame, Future<Object[]> decoded) {}

  /**
   * Decodes the records of a snapshot chunk of format {@code version}: each slot holds the
   * {@link Image}, the {@link Tombstone} or the {@link RuntimeException} its record decoded to.
   * Version 4 records are binary ({@link SnapshotCodec}, their repeated values shared through
   * {@code dictionary}); older ones JSON ({@link ImageCodec}).
   */
  private static Object[] decodeSnapshotRecords(
      int version, FrameReader.Records records, Interner.Reader dictionary) {
    boolean binary = version >= Format.BINARY_SNAPSHOT;
    byte[] bytes = records.bytes();
    Object[] decoded = new Object[records.size()];
    for (int k = 0; k < decoded.length; k++) {
      byte type = records.type(k);
      int start = records.payloadStart(k);
      int length = records.payloadLength(k);
      try {
        if (type == Format.RECORD_IMAGE) {
          decoded[k] = binary
              ? SnapshotCodec.decodeImage(bytes, start, length, dictionary)
              : ImageCodec.decodeImage(records.get(k).payload());
        } else if (type == Format.RECORD_TOMBSTONE) {
          decoded[k] = binary
              ? SnapshotCodec.decodeTombstone(bytes, start, length, dictionary)
              : ImageCodec.decodeTombstone(records.get(k).payload()).tombstone();
        } else {
          throw new IllegalArgumentException("unknown snapshot record type " + type);
        }
      } catch (RuntimeException e) {
        decoded[k] = e;
      }
    }
    return decoded;
  }

  /**
   * Restores a decoded snapshot chunk into the working state, record by record in order; answers
   * the chunk's bytes, which nothing refers to any more.
   */
  private byte[] applyChunk(Path file, Pending chunk, SnapshotCounts counts) throws IOException {
    Object[] decoded;
    try {
      decoded = Uninterruptibles.getUninterruptibly(chunk.decoded());
    } catch (ExecutionException e) {
      Throwables.throwIfUnchecked(e.getCause());
      throw new IllegalStateException("decoding a snapshot chunk failed", e.getCause());
    }
    FrameReader.Frame frame = chunk.frame();
    for (int k = 0; k < decoded.length; k++) {
      try {
        if (decoded[k] instanceof RuntimeException e) {
          throw e;
        } else if (decoded[k] instanceof Image image) {
          counts.loader.add(image);
          counts.images++;
        } else {
          Tombstone t = counts.loader.add((Tombstone) decoded[k]);
          tombstones.put(t.id(), t);
          counts.deleted++;
        }
      } catch (RuntimeException e) {
        badRecord(file, frame, k, e);
      }
    }
    return frame.records().bytes();
  }

  private static boolean countsMatch(FrameReader.Frame frame, long images, long deleted) {
    if (frame.records().size() != 1
        || frame.records().get(0).type() != Format.RECORD_END
        || frame.records().get(0).payload().length != 16) {
      return false;
    }
    ByteBuffer counts = ByteBuffer.wrap(frame.records().get(0).payload());
    return counts.getLong() == images && counts.getLong() == deleted;
  }

  /**
   * Replays one journal segment. Invalid bytes at the end of the last segment, after its last
   * valid frame, are the unsynced tail of a crash: every forced commit frame is followed by a
   * valid frame (the next commit, its sync marker or the closed frame), so they hold no
   * acknowledged commit; they are cut, kept in {@code quarantine/} and reported. Invalid bytes
   * anywhere else are damage.
   */
  private SegmentEnd replaySegment(long number, boolean last) throws IOException {
    Path file = dir.resolve(Format.journalName(number));
    long truncateAt = -1;
    long resumeAt;
    boolean closed = false;
    int version;
    try (FrameReader reader = new FrameReader(file, JOURNAL_FRAMES)) {
      Format.Header header = header(reader, Format.JOURNAL_MAGIC, number);
      version = header.version();
      reader.expect(version, version == 1 ? JOURNAL_FRAMES_V1 : JOURNAL_FRAMES);
      if (header.lsn() != expectedLsn) {
        damage(file, 16, "the segment starts at LSN " + header.lsn() + " but LSN " + expectedLsn
            + " follows the records before it");
        expectedLsn = header.lsn();
      }
      long position = Format.HEADER_SIZE;
      resumeAt = position;
      while (position < reader.size()) {
        Optional<FrameReader.Frame> read = reader.frameAt(position);
        if (read.isEmpty()) {
          long next = reader.nextFrameAfter(position);
          if (next < 0 && last) {
            truncateAt = position;
            cutTail(reader, position);
            break;
          }
          long stop = next < 0 ? reader.size() : next;
          damage(file, position, "a journal frame is damaged (its checksum or layout does not"
              + " match) and "
              + (next < 0
                  ? "is not at the end of the journal (more segments follow)"
                  : "valid frames follow it at byte offset " + next));
          quarantine(reader, position, stop);
          position = stop;
          resumeAt = position;
          closed = false;
          continue;
        }
        FrameReader.Frame frame = read.get();
        if (frame.lsn() != expectedLsn) {
          damage(file, position, "the frame holds LSN " + frame.lsn() + " but LSN " + expectedLsn
              + " was expected");
        }
        boolean commit = frame.type() == Format.FRAME_COMMIT;
        if (!commit && !frame.records().isEmpty()) {
          damage(file, position, "a sync marker or closed frame holds records");
        }
        for (int k = 0; k < frame.records().size(); k++) {
          try {
            apply(frame.records().get(k));
          } catch (RuntimeException e) {
            badRecord(file, frame, k, e);
          }
        }
        expectedLsn = frame.lsn() + frame.records().size();
        records += frame.records().size();
        position = frame.end();
        // The next commit overwrites a trailing marker or closed frame.
        resumeAt = commit ? frame.end() : frame.offset();
        closed = frame.type() == Format.FRAME_CLOSED;
      }
    }
    if (truncateAt >= 0) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(truncateAt);
        channel.force(true);
      }
    }
    return new SegmentEnd(version, resumeAt, closed);
  }

  /** Keeps the unsynced tail from {@code from} on in {@code quarantine/} and reports it. */
  private void cutTail(FrameReader reader, long from) throws IOException {
    Path target = quarantine(reader, from, reader.size());
    DiskFiles.forceDirectory(target.getParent());
    FileCatalogRecovery.Cut cut =
        new FileCatalogRecovery.Cut(reader.file(), from, reader.size() - from, target);
    cuts.add(cut);
    LOG.log(Level.WARNING, "Opening the catalog in {0}: cut the unsynced tail of a crash from the"
        + " journal ({1}); it lies beyond the last commit the journal proves was synced, so it"
        + " held no acknowledged change", dir, cut);
  }

  /** Applies one journal record to the working state, checking it follows what came before. */
  private void apply(Format.Record record) {
    switch (record.type()) {
      case Format.RECORD_INSERT: {
        Image image = ImageCodec.decodeImage(record.payload());
        if (image.version() != 1) {
          throw new IllegalArgumentException("an inserted image has version " + image.version());
        }
        memory.restore(image);
        break;
      }
      case Format.RECORD_UPDATE: {
        Image image = ImageCodec.decodeImage(record.payload());
        memory.compareAndSet(image.version() - 1, image).orElseThrow();
        break;
      }
      case Format.RECORD_DELETE: {
        ImageCodec.DeletedImage deleted = ImageCodec.decodeTombstone(record.payload());
        Tombstone t = deleted.tombstone();
        Optional<Image> current = memory.find(t.id());
        if (current.isPresent() && !current.get().owner().equals(t.owner())) {
          throw new IllegalArgumentException("the tombstone of " + t.id()
              + " names another owner than the image it deletes");
        }
        Tombstone stored = memory.delete(t.id(), deleted.version(), t.status(), t.deletedAt());
        tombstones.put(stored.id(), stored);
        break;
      }
      case Format.RECORD_UNDELETE: {
        Image image = ImageCodec.decodeImage(record.payload());
        Image stored = memory.undelete(image.id(), image.updatedAt());
        if (!stored.equals(image)) {
          throw new IllegalArgumentException("the restore of " + image.id()
              + " does not restore the image its tombstone kept");
        }
        tombstones.remove(stored.id());
        break;
      }
      case Format.RECORD_FINISH_DELETION: {
        Tombstone t = ImageCodec.decodeTombstone(record.payload()).tombstone();
        Tombstone stored = memory.finishDeletion(t.id());
        if (!stored.equals(t)) {
          throw new IllegalArgumentException("the finished deletion of " + t.id()
              + " does not match its tombstone");
        }
        tombstones.put(stored.id(), stored);
        break;
      }
      default:
        throw new IllegalArgumentException("unknown journal record type " + record.type());
    }
  }

  private Format.Header header(FrameReader reader, int magic, long number) throws IOException {
    byte[] bytes = reader.read(0, Format.HEADER_SIZE);
    Format.Header header = Format.readHeader(reader.file(), bytes, bytes.length, magic);
    if (header.number() != number) {
      // The header is checksummed, so this is a file renamed by hand, not bit rot.
      throw Format.corrupt(reader.file(), 8, "the header names number " + header.number()
          + " but the file name says " + number);
    }
    return header;
  }

  private void badRecord(Path file, FrameReader.Frame frame, int index, RuntimeException e)
      throws IOException {
    String where = "record " + index + " of the frame";
    damage(file, frame.offset(), where + " does not read back or does not apply to the state"
        + " before it: " + e.getMessage());
    Path target = quarantineDir().resolve(String.format(Locale.ROOT, "%s@%d#%d.record",
        file.getFileName(), frame.offset(), index));
    Files.write(target, frame.records().get(index).payload());
  }

  /** Refuses to open, or in repair mode notes the damage and goes on. */
  private void damage(Path file, long offset, String what) {
    if (!repair) {
      throw Format.corrupt(file, offset, what);
    }
    String note = file.getFileName() + " at byte offset " + offset + ": " + what;
    repairs.add(note);
    LOG.log(Level.WARNING, "Repairing the catalog in {0}: {1}", dir, note);
  }

  private Path quarantine(FrameReader reader, long from, long to) throws IOException {
    Path target = quarantineDir().resolve(
        String.format(Locale.ROOT, "%s@%d.bin", reader.file().getFileName(), from));
    reader.copy(from, to - from, target);
    return target;
  }

  private Path quarantineDir() throws IOException {
    Path quarantine = dir.resolve(QUARANTINE);
    Files.createDirectories(quarantine);
    return quarantine;
  }
}
