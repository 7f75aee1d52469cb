package dev.imagegov.store.file;

import static dev.imagegov.store.file.FileCatalogBehaviourTest.id;
import static dev.imagegov.store.file.FileCatalogBehaviourTest.image;
import static dev.imagegov.testkit.gen.Images.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.primitives.Bytes;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.codec.ImageCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening after a crash or damage: the unsynced tail of a crash is cut, quarantined and reported,
 * any other damage (also in the last frame of a cleanly closed journal, or in a frame proven
 * synced) is refused with its file and offset (or quarantined in repair mode), version 1 journals
 * are read, and files of a newer format version are refused, never misread.
 */
class FileCatalogRecoveryTest {
  private static final ProjectId ALICE = ProjectId.of("alice");
  private static final FileCatalogOptions FAST = FileCatalogOptions.builder().fsync(false).build();
  private static final FileCatalogOptions REPAIR =
      FileCatalogOptions.builder().fsync(false).repair(true).build();

  @TempDir Path dir;

  private static Path journal(Path home, long segment) {
    return home.resolve(Format.journalName(segment));
  }

  /** The frames of a journal segment or snapshot. */
  private static List<FrameReader.Frame> frames(Path file) throws IOException {
    List<FrameReader.Frame> frames = new ArrayList<>();
    try (FrameReader reader = new FrameReader(file, Set.of(Format.FRAME_COMMIT,
        Format.FRAME_SYNCED, Format.FRAME_CLOSED, Format.FRAME_SNAPSHOT_CHUNK,
        Format.FRAME_SNAPSHOT_END))) {
      long position = Format.HEADER_SIZE;
      while (position < reader.size()) {
        FrameReader.Frame frame = reader.frameAt(position).orElseThrow();
        frames.add(frame);
        position = frame.end();
      }
    }
    return frames;
  }

  /** The commit frames of a journal segment. */
  private static List<FrameReader.Frame> commits(Path file) throws IOException {
    List<FrameReader.Frame> commits = new ArrayList<>(frames(file));
    commits.removeIf(f -> f.type() != Format.FRAME_COMMIT);
    return commits;
  }

  private static Path quarantined(Path home, long offset) {
    return home.resolve(Recovery.QUARANTINE).resolve(Format.journalName(1) + "@" + offset + ".bin");
  }

  private static void flip(Path file, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) offset] ^= 0x5A;
    Files.write(file, bytes);
  }

  private static GovernanceException openFails(Path home, FileCatalogOptions options) {
    try {
      FileCatalog.open(home, options).close();
    } catch (GovernanceException e) {
      return e;
    }
    throw new AssertionError("the catalog opened");
  }

  private static TreeMap<ImageId, Image> contents(FileCatalog catalog) {
    TreeMap<ImageId, Image> all = new TreeMap<>();
    catalog.forEach(i -> all.put(i.id(), i));
    return all;
  }

  private static Path copyOf(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f) && !f.getFileName().toString().equals(DirectoryLock.FILE_NAME)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
    return to;
  }

  // the unsynced tail of a crash, and damage in the last frame

  /**
   * A crash while the last group commit was being written: the journal holds the commits before
   * it, and any prefix of the last one's frame (written over the sync marker of the one before).
   */
  @Test
  void afterACrashAnUnsyncedTailIsCutQuarantinedAndReportedAtEveryCut() throws IOException {
    Path original = dir.resolve("original");
    FileCatalog catalog = FileCatalog.open(original, FAST);
    Image one = catalog.insert(image(1, ALICE));
    Image two = catalog.compareAndSet(1, one.toBuilder().name("two").build()).orElseThrow();
    Image three = catalog.insert(image(3, ALICE));
    catalog.close();
    byte[] whole = Files.readAllBytes(journal(original, 1));
    List<FrameReader.Frame> frames = frames(journal(original, 1));
    assertThat(frames).extracting(FrameReader.Frame::type).containsExactly(Format.FRAME_COMMIT,
        Format.FRAME_COMMIT, Format.FRAME_COMMIT, Format.FRAME_CLOSED);
    long lastStart = frames.get(2).offset();
    long lastEnd = frames.get(2).end();

    for (long cut = lastStart + 1; cut < whole.length; cut++) {
      boolean inCommit = cut < lastEnd;
      // About 500 opens, each forcing its cut: in memory when the system allows it.
      Path home = PowerLoss.scratch(dir, "cut" + cut);
      Files.write(journal(home, 1), Arrays.copyOf(whole, (int) cut));
      FileCatalog reopened = FileCatalog.open(home, FAST);
      assertThat(contents(reopened).values()).as("cut at %d", cut)
          .containsExactlyElementsOf(inCommit ? List.of(two) : List.of(two, three));
      long tailStart = inCommit ? lastStart : lastEnd;
      FileCatalogRecovery recovery = reopened.recovery();
      assertThat(recovery.closedCleanly()).isFalse();
      if (cut == tailStart) {
        // The crash came after the last commit was forced, before its marker was written.
        assertThat(recovery.nothingSetAside()).isTrue();
      } else {
        assertThat(recovery.cuts()).as("cut at %d", cut).containsExactly(
            new FileCatalogRecovery.Cut(
                journal(home, 1), tailStart, cut - tailStart, quarantined(home, tailStart)));
        assertThat(Files.readAllBytes(quarantined(home, tailStart))).as("kept, byte for byte")
            .isEqualTo(Arrays.copyOfRange(whole, (int) tailStart, (int) cut));
      }
      if (cut % 37 != 0) {
        reopened.close();
        assertThat(Files.size(journal(home, 1))).isEqualTo(tailStart + Format.FRAME_OVERHEAD);
        PowerLoss.delete(home);
        continue;
      }
      // Writing goes on right after the surviving records.
      reopened.insert(image(4, ALICE));
      reopened.close();
      FileCatalog again = FileCatalog.open(home, FAST);
      assertThat(again.recovery().nothingSetAside()).isTrue();
      assertThat(again.recovery().closedCleanly()).isTrue();
      assertThat(again.find(id(4))).isPresent();
      assertThat(again.find(id(1))).contains(two);
      again.close();
      PowerLoss.delete(home);
    }
  }

  @Test
  void aDamagedClosedFrameIsCutAndReportedAndLosesNoCommit() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    Image two = catalog.insert(image(2, ALICE));
    catalog.close();
    List<FrameReader.Frame> frames = frames(journal(dir, 1));
    FrameReader.Frame closed = frames.get(frames.size() - 1);
    assertThat(closed.type()).isEqualTo(Format.FRAME_CLOSED);
    flip(journal(dir, 1), closed.offset() + 10);

    FileCatalog reopened = FileCatalog.open(dir, FAST);
    assertThat(reopened.find(id(2))).contains(two);
    assertThat(reopened.recovery().closedCleanly()).isFalse();
    assertThat(reopened.recovery().cuts()).containsExactly(new FileCatalogRecovery.Cut(
        journal(dir, 1), closed.offset(), Format.FRAME_OVERHEAD,
        quarantined(dir, closed.offset())));
    reopened.close();
  }

  @Test
  void afterACrashALastFrameOverwrittenWithZerosOrGarbageIsCutAndReported() throws IOException {
    Path original = dir.resolve("original");
    FileCatalog catalog = FileCatalog.open(original, FAST);
    Image one = catalog.insert(image(1, ALICE));
    catalog.insert(image(2, ALICE));
    catalog.close();
    byte[] whole = Files.readAllBytes(journal(original, 1));
    long lastStart = commits(journal(original, 1)).get(1).offset();

    for (byte fill : new byte[] {0, (byte) 0xFF, 0x42}) {
      Path home = copyOf(original, dir.resolve("fill" + fill));
      byte[] damaged = whole.clone();
      // The last commit and the closed frame after it: the state of a crash mid-write.
      Arrays.fill(damaged, (int) lastStart + 3, damaged.length, fill);
      Files.write(journal(home, 1), damaged);
      FileCatalog reopened = FileCatalog.open(home, FAST);
      assertThat(contents(reopened).values()).containsExactly(one);
      assertThat(reopened.recovery().cuts()).extracting(FileCatalogRecovery.Cut::offset)
          .containsExactly(lastStart);
      reopened.close();
      assertThat(Files.size(journal(home, 1))).isEqualTo(lastStart + Format.FRAME_OVERHEAD);
      assertThat(quarantined(home, lastStart)).exists();
    }
  }

  @Test
  void aFlippedByteInTheLastFrameAfterACleanCloseIsRefusedWithFileAndOffset()
      throws IOException {
    Path original = dir.resolve("original");
    FileCatalog catalog = FileCatalog.open(original, FAST);
    catalog.insert(image(1, ALICE));
    catalog.insert(image(2, ALICE));
    catalog.close();
    FrameReader.Frame last = commits(journal(original, 1)).get(1);
    for (long target : new long[] {
        last.offset(), last.offset() + 4, last.offset() + 6,
        last.offset() + Format.FRAME_HEADER_SIZE + 20, last.end() - 1}) {
      Path home = copyOf(original, dir.resolve("flip" + target));
      flip(journal(home, 1), target);
      byte[] before = Files.readAllBytes(journal(home, 1));

      GovernanceException e = openFails(home, FAST);

      assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CORRUPT);
      assertThat(e.getMessage()).contains(journal(home, 1).toString())
          .contains("byte offset " + last.offset() + ":");
      assertThat(Files.readAllBytes(journal(home, 1))).as("refusing changes nothing")
          .isEqualTo(before);
      assertThat(home.resolve(Recovery.QUARANTINE)).doesNotExist();
    }
  }

  /** A copy of the directory taken while the catalog is open: the files a crash leaves. */
  @Test
  void aFlippedByteInASyncedFrameAfterACrashIsRefused() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir.resolve("live"), FAST);
    catalog.insert(image(1, ALICE));
    catalog.insert(image(2, ALICE));
    Path crashed = copyOf(dir.resolve("live"), dir.resolve("crashed"));
    catalog.close();
    List<FrameReader.Frame> frames = frames(journal(crashed, 1));
    assertThat(frames).extracting(FrameReader.Frame::type)
        .as("the last commit is followed by its sync marker")
        .containsExactly(Format.FRAME_COMMIT, Format.FRAME_COMMIT, Format.FRAME_SYNCED);
    FileCatalog intact = FileCatalog.open(copyOf(crashed, dir.resolve("intact")), FAST);
    assertThat(intact.size()).isEqualTo(2);
    assertThat(intact.recovery().closedCleanly()).isFalse();
    assertThat(intact.recovery().nothingSetAside()).isTrue();
    intact.close();

    FrameReader.Frame last = frames.get(1);
    flip(journal(crashed, 1), last.offset() + Format.FRAME_HEADER_SIZE + 20);
    GovernanceException e = openFails(crashed, FAST);
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CORRUPT);
    assertThat(e.getMessage()).contains(journal(crashed, 1).toString())
        .contains("byte offset " + last.offset() + ":");
  }

  @Test
  void aDamagedSyncMarkerAfterACrashIsCutAndReportedAndLosesNoCommit() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir.resolve("live"), FAST);
    catalog.insert(image(1, ALICE));
    Image two = catalog.insert(image(2, ALICE));
    Path crashed = copyOf(dir.resolve("live"), dir.resolve("crashed"));
    catalog.close();
    FrameReader.Frame marker = frames(journal(crashed, 1)).get(2);
    flip(journal(crashed, 1), marker.offset() + 8);

    FileCatalog reopened = FileCatalog.open(crashed, FAST);
    assertThat(reopened.find(id(2))).contains(two);
    assertThat(reopened.recovery().cuts()).containsExactly(new FileCatalogRecovery.Cut(
        journal(crashed, 1), marker.offset(), Format.FRAME_OVERHEAD,
        quarantined(crashed, marker.offset())));
    reopened.close();
  }

  @Test
  void aCleanCloseIsReportedAndSetsNothingAside() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    assertThat(catalog.recovery().closedCleanly()).as("a new catalog").isFalse();
    catalog.insert(image(1, ALICE));
    catalog.close();
    FileCatalog reopened = FileCatalog.open(dir, FAST);
    assertThat(reopened.recovery().closedCleanly()).isTrue();
    assertThat(reopened.recovery().nothingSetAside()).isTrue();
    reopened.close();
  }

  // format version 1

  /** {@code bytes} (a header or a frame of this version) as format version 1 wrote it. */
  private static byte[] asVersion1(byte[] bytes, boolean header) {
    return asVersion(bytes, header, 1);
  }

  /** {@code bytes} (a header or a frame of this version) as format {@code version} wrote it. */
  private static byte[] asVersion(byte[] bytes, boolean header, int version) {
    byte[] old = bytes.clone();
    ByteBuffer b = ByteBuffer.wrap(old);
    int crcAt = header ? 24 : old.length - 4;
    if (header) {
      b.putShort(4, (short) version);
    } else {
      b.put(5, (byte) version);
    }
    b.putInt(crcAt, Format.crc(old, 0, crcAt));
    return old;
  }

  // format version 2 (before hierarchical sharing) and 3

  /** A shared image of ALICE with the members given. */
  private static Image shared(long n, Member... members) {
    Image image = image(n, ALICE).toBuilder().visibility(Visibility.SHARED).build();
    java.util.Map<ProjectId, Member> rows = new java.util.LinkedHashMap<>();
    for (Member m : members) {
      rows.put(m.project(), Member.builder().from(m).imageId(image.id()).build());
    }
    return image.replacingMembers(rows).withVersion(1);
  }

  @Test
  void aVersion2JournalIsReadAndGroupAnswersAreKeptInASegmentOfThisVersion() throws IOException {
    Member platform = Member.pending(id(1), ProjectId.of("platform"), T0);
    Image old = shared(1, platform);
    byte[] payload = ImageCodec.encode(old);
    assertThat(new String(payload, java.nio.charset.StandardCharsets.UTF_8))
        .as("a direct member is written as version 2 wrote it").doesNotContain("via");
    byte[] header = asVersion(Format.header(Format.JOURNAL_MAGIC, 1, 1), true, 2);
    byte[] commit = asVersion(Format.frame(Format.FRAME_COMMIT, 1,
        List.of(new Format.Record(Format.RECORD_INSERT, payload))), false, 2);
    byte[] closed = asVersion(Format.frame(Format.FRAME_CLOSED, 2, List.of()), false, 2);
    Files.createDirectories(dir);
    Files.write(journal(dir, 1), Bytes.concat(header, commit, closed));

    FileCatalog catalog = FileCatalog.open(dir, FAST);
    assertThat(contents(catalog).values()).containsExactly(old);
    Member answer = Member.builder().from(Member.pending(id(2), ProjectId.of("team-a"), T0))
        .via(ProjectId.of("platform")).status(MemberStatus.ACCEPTED).build();
    Image grouped = shared(2, Member.pending(id(2), ProjectId.of("platform"), T0), answer);
    catalog.insert(grouped);
    catalog.close();
    assertThat(Files.size(journal(dir, 1))).as("a version 2 segment is never appended to")
        .isEqualTo(header.length + commit.length + closed.length);
    assertThat(Files.readAllBytes(journal(dir, 2))[5])
        .as("the new segment is in this version").isEqualTo((byte) Format.VERSION);

    FileCatalog reopened = FileCatalog.open(dir, FAST);
    assertThat(contents(reopened).values()).containsExactly(old, grouped);
    assertThat(reopened.find(id(2)).orElseThrow().members().get(ProjectId.of("team-a")).via())
        .contains(ProjectId.of("platform"));
    reopened.close();
  }

  @Test
  void aVersion2JournalIsReadAndAPendingDeleteInItCanBeRestored() throws IOException {
    Image one = image(1, ALICE).withVersion(1);
    byte[] header = asVersion(Format.header(Format.JOURNAL_MAGIC, 1, 1), true, 2);
    byte[] insert = asVersion(Format.frame(Format.FRAME_COMMIT, 1,
        List.of(new Format.Record(Format.RECORD_INSERT, ImageCodec.encode(one)))), false, 2);
    // Version 2 wrote a tombstone without the image it deletes.
    byte[] delete = asVersion(Format.frame(Format.FRAME_COMMIT, 2,
        List.of(new Format.Record(Format.RECORD_DELETE, ImageCodec.encode(
            Tombstone.of(one.id(), one.owner(), ImageStatus.PENDING_DELETE, T0), 1)))), false, 2);
    byte[] closed = asVersion(Format.frame(Format.FRAME_CLOSED, 3, List.of()), false, 2);
    java.io.ByteArrayOutputStream journal = new java.io.ByteArrayOutputStream();
    journal.write(header);
    journal.write(insert);
    journal.write(delete);
    journal.write(closed);
    Files.createDirectories(dir);
    Files.write(journal(dir, 1), journal.toByteArray());

    FileCatalog catalog = FileCatalog.open(dir, FAST);
    assertThat(catalog.recovery().nothingSetAside()).isTrue();
    assertThat(catalog.tombstone(one.id()).flatMap(Tombstone::retained))
        .as("replaying a version 2 delete keeps the image the journal built")
        .contains(one);
    Image restored = catalog.undelete(one.id(), T0.plusSeconds(1));
    catalog.close();

    FileCatalog reopened = FileCatalog.open(dir, FAST);
    assertThat(reopened.find(one.id())).as("the restore is journalled").contains(restored);
    reopened.close();
  }

  @Test
  void restoresAndFinishedDeletionsSurviveAReopenFromTheJournalAndFromASnapshot()
      throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    Image one = catalog.insert(image(1, ALICE));
    Image two = catalog.insert(image(2, ALICE));
    Image three = catalog.insert(image(3, ALICE));
    catalog.delete(one.id(), 1, ImageStatus.PENDING_DELETE, T0);
    catalog.delete(two.id(), 1, ImageStatus.PENDING_DELETE, T0);
    catalog.delete(three.id(), 1, ImageStatus.PENDING_DELETE, T0);
    Image restored = catalog.undelete(one.id(), T0.plusSeconds(1));
    Tombstone finished = catalog.finishDeletion(two.id());
    catalog.close();

    for (boolean snapshot : List.of(false, true)) {
      FileCatalog reopened = FileCatalog.open(dir, FAST);
      assertThat(reopened.find(one.id())).as("restored (snapshot %s)", snapshot)
          .contains(restored);
      assertThat(reopened.tombstone(two.id())).as("finished (snapshot %s)", snapshot)
          .contains(finished);
      assertThat(reopened.tombstone(two.id()).flatMap(Tombstone::retained)).isEmpty();
      assertThat(reopened.tombstone(three.id()).flatMap(Tombstone::retained))
          .as("still pending, still kept (snapshot %s)", snapshot)
          .contains(three);
      if (!snapshot) {
        reopened.snapshot();
      }
      reopened.close();
    }
  }

  @Test
  void aVersion1JournalIsReadItsUnsyncedTailCutAndReportedAndWritingGoesOnInANewSegment()
      throws IOException {
    Image one = image(1, ALICE).withVersion(1);
    Image two = image(2, ALICE).withVersion(1);
    byte[] header = asVersion1(Format.header(Format.JOURNAL_MAGIC, 1, 1), true);
    byte[] first = asVersion1(Format.frame(Format.FRAME_COMMIT, 1,
        List.of(new Format.Record(Format.RECORD_INSERT, ImageCodec.encode(one)))), false);
    byte[] second = asVersion1(Format.frame(Format.FRAME_COMMIT, 2,
        List.of(new Format.Record(Format.RECORD_INSERT, ImageCodec.encode(two)))), false);
    java.io.ByteArrayOutputStream journal = new java.io.ByteArrayOutputStream();
    journal.write(header);
    journal.write(first);
    journal.write(second, 0, second.length - 3);
    Files.createDirectories(dir);
    Files.write(journal(dir, 1), journal.toByteArray());

    FileCatalog catalog = FileCatalog.open(dir, FAST);
    assertThat(contents(catalog).values()).containsExactly(one);
    long tail = header.length + first.length;
    assertThat(catalog.recovery().cuts()).containsExactly(new FileCatalogRecovery.Cut(
        journal(dir, 1), tail, second.length - 3, quarantined(dir, tail)));
    catalog.insert(image(3, ALICE));
    catalog.close();
    assertThat(Files.size(journal(dir, 1))).as("a version 1 segment is never appended to")
        .isEqualTo(tail);
    assertThat(journal(dir, 2)).exists();

    FileCatalog reopened = FileCatalog.open(dir, FAST);
    assertThat(reopened.size()).isEqualTo(2);
    assertThat(reopened.recovery().closedCleanly()).isTrue();
    reopened.close();
  }

  // damage in the middle

  @Test
  void aDamagedJournalFrameFollowedByValidFramesIsRefusedWithItsFileAndOffset()
      throws IOException {
    Path original = dir.resolve("original");
    FileCatalog catalog = FileCatalog.open(original, FAST);
    for (int i = 1; i <= 4; i++) {
      catalog.insert(image(i, ALICE));
    }
    catalog.close();
    FrameReader.Frame second = frames(journal(original, 1)).get(1);
    long[] targets = {
      second.offset(), // length
      second.offset() + 4, // frame type
      second.offset() + 6, // LSN
      second.offset() + Format.FRAME_HEADER_SIZE + 20, // payload
      second.end() - 1 // checksum
    };
    for (long target : targets) {
      Path home = copyOf(original, dir.resolve("flip" + target));
      flip(journal(home, 1), target);
      byte[] before = Files.readAllBytes(journal(home, 1));

      GovernanceException e = openFails(home, FAST);

      assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CORRUPT);
      assertThat(e.getMessage())
          .contains(journal(home, 1).toString())
          .contains("byte offset " + second.offset() + ":")
          .contains("valid frames follow");
      assertThat(Files.readAllBytes(journal(home, 1))).as("refusing changes nothing")
          .isEqualTo(before);
    }
  }

  @Test
  void repairModeQuarantinesADamagedJournalFrameAndKeepsTheRest() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    Image two = catalog.insert(image(2, ALICE));
    catalog.compareAndSet(1, two.toBuilder().name("renamed").build()).orElseThrow();
    Image three = catalog.insert(image(3, ALICE));
    catalog.close();
    FrameReader.Frame second = frames(journal(dir, 1)).get(1);
    flip(journal(dir, 1), second.offset() + Format.FRAME_HEADER_SIZE + 10);
    byte[] damaged = Files.readAllBytes(journal(dir, 1));

    FileCatalog repaired = FileCatalog.open(dir, REPAIR);

    assertThat(repaired.find(id(1))).isPresent();
    assertThat(repaired.isKnown(id(2))).isFalse();
    assertThat(repaired.find(id(3))).contains(three);
    repaired.close();
    Path quarantine = dir.resolve(Recovery.QUARANTINE);
    Path frame = quarantine.resolve(Format.journalName(1) + "@" + second.offset() + ".bin");
    assertThat(Files.readAllBytes(frame)).isEqualTo(
        Arrays.copyOfRange(damaged, (int) second.offset(), (int) second.end()));
    // The update of image 2 no longer applies: it is quarantined as a record.
    try (Stream<Path> files = Files.list(quarantine)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .anyMatch(n -> n.endsWith("#0.record"));
    }
    // The damaged files were replaced: the catalog now opens without repair.
    FileCatalog reopened = FileCatalog.open(dir, FAST);
    assertThat(reopened.size()).isEqualTo(2);
    reopened.close();
  }

  @Test
  void aDamagedSnapshotIsRefusedWithItsFileAndOffsetAndRepairKeepsTheRest() throws IOException {
    Path original = dir.resolve("original");
    FileCatalog catalog = FileCatalog.open(original, FAST);
    for (int i = 1; i <= 5; i++) {
      catalog.insert(image(i, ALICE));
    }
    catalog.snapshot();
    Image six = catalog.insert(image(6, ALICE));
    catalog.close();
    Path snapshot = original.resolve(Format.snapshotName(2));
    List<FrameReader.Frame> frames = frames(snapshot);
    assertThat(frames).hasSize(2);

    // A flip in the chunk of images.
    Path home = copyOf(original, dir.resolve("chunk"));
    flip(home.resolve(Format.snapshotName(2)), frames.get(0).offset() + 40);
    GovernanceException e = openFails(home, FAST);
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CORRUPT);
    assertThat(e.getMessage()).contains(home.resolve(Format.snapshotName(2)).toString())
        .contains("byte offset " + frames.get(0).offset() + ":");
    FileCatalog repaired = FileCatalog.open(home, REPAIR);
    assertThat(contents(repaired).values()).containsExactly(six);
    repaired.close();
    try (Stream<Path> files = Files.list(home.resolve(Recovery.QUARANTINE))) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .contains(Format.snapshotName(2) + "@" + frames.get(0).offset() + ".bin");
    }

    // A flip in the end frame: every image is still there, but the snapshot is not whole.
    Path end = copyOf(original, dir.resolve("end"));
    flip(end.resolve(Format.snapshotName(2)), frames.get(1).offset() + 20);
    assertThat(openFails(end, FAST).getMessage())
        .contains("byte offset " + frames.get(1).offset() + ":");
    FileCatalog kept = FileCatalog.open(end, REPAIR);
    assertThat(kept.size()).isEqualTo(6);
    kept.close();

    // A flip in the header cannot be repaired: nothing after it can be trusted.
    Path header = copyOf(original, dir.resolve("header"));
    flip(header.resolve(Format.snapshotName(2)), 10);
    assertThat(openFails(header, REPAIR).getMessage()).contains("byte offset 0:");
  }

  /**
   * A snapshot of more chunks than the open decodes ahead (so chunks are read into the bytes of
   * chunks already applied) holds its images in the default list order, and opens to exactly the
   * images, the tombstones and the default list written, whatever order they were inserted in.
   */
  @Test
  void aSnapshotOfManyChunksIsWrittenInTheDefaultListOrderAndOpensToWhatWasWritten()
      throws IOException {
    int images = 20 * SnapshotWriter.CHUNK_RECORDS;
    List<Image> inserted = new ArrayList<>();
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    for (int i = 0; i < images; i++) {
      // Created out of insertion order: the snapshot, not the input, gives the order.
      long n = (i * 7919L) % images + 1;
      Image image = image(n, ProjectId.of("owner-" + (n % 13)));
      inserted.add(catalog.insert(n % 10 == 0 ? image.toBuilder().status(ImageStatus.KILLED)
          .build() : image));
    }
    catalog.delete(inserted.get(3).id(), 1, ImageStatus.DELETED, T0);
    catalog.snapshot();
    TreeMap<ImageId, Image> written = contents(catalog);
    List<CatalogQuery> queries = List.of(
        CatalogQuery.builder().seesAll(true).limit(50).build(),
        CatalogQuery.builder().project(ProjectId.of("owner-3")).limit(50).build(),
        CatalogQuery.builder().seesAll(true).addSort(SortKey.asc(ImageField.SIZE))
            .limit(50).build());
    List<List<Image>> listed = new ArrayList<>();
    for (CatalogQuery query : queries) {
      listed.add(catalog.query(query));
    }
    catalog.close();
    List<FrameReader.Frame> frames = frames(dir.resolve(Format.snapshotName(2)));
    assertThat(frames.size()).isGreaterThan(17);
    List<Image> order = new ArrayList<>();
    for (FrameReader.Frame frame : frames) {
      for (Format.Record record : frame.records()) {
        if (record.type() == Format.RECORD_IMAGE) {
          order.add(SnapshotCodec.decodeImage(record.payload()));
        }
      }
    }
    assertThat(order).hasSize(images - 1).isSortedAccordingTo(SnapshotWriter.ORDER);

    FileCatalog reopened = FileCatalog.open(dir, FAST);
    assertThat(contents(reopened)).isEqualTo(written);
    assertThat(reopened.tombstone(inserted.get(3).id())).isPresent();
    for (int q = 0; q < queries.size(); q++) {
      assertThat(reopened.query(queries.get(q))).as("%s", queries.get(q))
          .isEqualTo(listed.get(q)).hasSize(50);
    }
    reopened.close();
  }

  /** A catalog of five images, snapshotted, then closed: its snapshot is {@code snapshot-2}. */
  private Path snapshotOfFive(Path home) throws IOException {
    FileCatalog catalog = FileCatalog.open(home, FAST);
    for (int i = 1; i <= 5; i++) {
      catalog.insert(image(i, ALICE));
    }
    catalog.snapshot();
    catalog.close();
    return home.resolve(Format.snapshotName(2));
  }

  @Test
  void aTruncatedBinarySnapshotIsRefusedWithItsFileAndTheOffsetOfTheCutFrame() throws IOException {
    Path original = dir.resolve("original");
    Path snapshot = snapshotOfFive(original);
    assertThat(Files.readAllBytes(snapshot)[5]).isEqualTo((byte) Format.BINARY_SNAPSHOT);
    List<FrameReader.Frame> frames = frames(snapshot);
    for (FrameReader.Frame frame : frames) {
      Path home = copyOf(original, dir.resolve("cut-" + frame.offset()));
      Path cut = home.resolve(Format.snapshotName(2));
      byte[] bytes = Files.readAllBytes(cut);
      Files.write(cut, Arrays.copyOf(bytes, (int) frame.offset() + 7));
      GovernanceException e = openFails(home, FAST);
      assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CORRUPT);
      assertThat(e.getMessage()).contains(cut.toString())
          .contains("byte offset " + frame.offset() + ":");
    }
  }

  @Test
  void aChecksummedBinarySnapshotRecordThatDoesNotReadBackIsRefusedAndRepairSetsItAside()
      throws IOException {
    Path snapshot = snapshotOfFive(dir);
    List<FrameReader.Frame> frames = frames(snapshot);
    FrameReader.Frame chunk = frames.get(0);
    List<Format.Record> records = new ArrayList<>(chunk.records());
    ImageId lost = SnapshotCodec.decodeImage(records.get(2).payload()).id();
    byte[] bad = records.get(2).payload().clone();
    bad[19] = (byte) 0xee; // the status code (after the flags and the id)
    records.set(2, new Format.Record(Format.RECORD_IMAGE, bad));
    byte[] bytes = Files.readAllBytes(snapshot);
    Files.write(snapshot, Bytes.concat(Arrays.copyOf(bytes, (int) chunk.offset()),
        Format.frame(Format.FRAME_SNAPSHOT_CHUNK, 0, records),
        Arrays.copyOfRange(bytes, (int) chunk.end(), bytes.length)));

    GovernanceException e = openFails(dir, FAST);
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CORRUPT);
    assertThat(e.getMessage()).contains(snapshot.toString())
        .contains("byte offset " + chunk.offset() + ":").contains("record 2 of the frame")
        .contains("'status' at payload offset 20: unknown code 238");
    FileCatalog repaired = FileCatalog.open(dir, REPAIR);
    assertThat(repaired.size()).isEqualTo(4);
    assertThat(repaired.find(lost)).isEmpty();
    repaired.close();
    assertThat(dir.resolve(Recovery.QUARANTINE)
        .resolve(Format.snapshotName(2) + "@" + chunk.offset() + "#2.record")).exists();
  }

  @Test
  void aChecksummedRecordThatDoesNotApplyToTheStateBeforeItIsRefused() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    Image one = catalog.insert(image(1, ALICE));
    catalog.close();
    // An update of an image that was never inserted, well formed and checksummed.
    byte[] frame =
        Format.frame(Format.FRAME_COMMIT, 2, List.of(new Format.Record(Format.RECORD_UPDATE,
            ImageCodec.encode(image(9, ALICE).withVersion(2)))));
    long offset = Files.size(journal(dir, 1));
    Files.write(journal(dir, 1), frame, java.nio.file.StandardOpenOption.APPEND);

    GovernanceException e = openFails(dir, FAST);
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CORRUPT);
    assertThat(e.getMessage()).contains("byte offset " + offset + ":").contains("does not apply");

    FileCatalog repaired = FileCatalog.open(dir, REPAIR);
    assertThat(contents(repaired).values()).containsExactly(one);
    repaired.close();
    assertThat(dir.resolve(Recovery.QUARANTINE)
        .resolve(Format.journalName(1) + "@" + offset + "#0.record")).exists();
  }

  @Test
  void aMissingJournalSegmentIsRefused() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    catalog.snapshot();
    catalog.insert(image(2, ALICE));
    catalog.close();
    Files.delete(journal(dir, 2));

    GovernanceException e = openFails(dir, FAST);
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CORRUPT);
    assertThat(e.getMessage()).contains(Format.journalName(2)).contains("missing");
  }

  @Test
  void leftoverTemporaryFilesOfACrashAreRemovedOnOpen() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    catalog.close();
    Path leftover = dir.resolve(Format.snapshotName(7) + ".tmp");
    Files.write(leftover, new byte[] {1, 2, 3});

    FileCatalog reopened = FileCatalog.open(dir, FAST);
    assertThat(reopened.size()).isEqualTo(1);
    reopened.close();
    assertThat(leftover).doesNotExist();
  }

  // format versions

  @Test
  void aJournalOfANewerFormatVersionIsRefusedNotMisreadEvenInRepairMode() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    catalog.close();
    byte[] bytes = Files.readAllBytes(journal(dir, 1));
    ByteBuffer.wrap(bytes).putShort(4, (short) (Format.VERSION + 1));
    Files.write(journal(dir, 1), bytes);

    for (FileCatalogOptions options : List.of(FAST, REPAIR)) {
      GovernanceException e = openFails(dir, options);
      assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_FORMAT_UNSUPPORTED);
      assertThat(e.getMessage())
          .contains(journal(dir, 1).toString())
          .contains("format version " + (Format.VERSION + 1))
          .contains("reads format versions 1 to " + Format.VERSION + " only")
          .contains("newer imagegov");
    }
    assertThat(Files.readAllBytes(journal(dir, 1))).isEqualTo(bytes);
  }

  @Test
  void aSnapshotOfANewerFormatVersionIsRefused() throws IOException {
    FileCatalog catalog = FileCatalog.open(dir, FAST);
    catalog.insert(image(1, ALICE));
    catalog.snapshot();
    catalog.delete(id(1), 1, ImageStatus.DELETED, T0);
    catalog.close();
    Path snapshot = dir.resolve(Format.snapshotName(2));
    byte[] bytes = Files.readAllBytes(snapshot);
    ByteBuffer.wrap(bytes).putShort(4, (short) (Format.VERSION + 1));
    Files.write(snapshot, bytes);

    GovernanceException e = openFails(dir, FAST);
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_FORMAT_UNSUPPORTED);
    assertThat(e.getMessage()).contains(snapshot.toString())
        .contains("format version " + (Format.VERSION + 1));
    assertThat(Files.readAllBytes(snapshot)).as("refusing changes nothing").isEqualTo(bytes);
  }
}
