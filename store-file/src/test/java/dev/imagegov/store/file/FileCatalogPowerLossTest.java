package dev.imagegov.store.file;

import static dev.imagegov.store.file.FileCatalogBehaviourTest.id;
import static dev.imagegov.store.file.FileCatalogBehaviourTest.image;
import static dev.imagegov.testkit.gen.Images.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Power loss, simulated without timing: a seeded history of inserts, updates, deletes and
 * snapshots runs on a catalog, and the directory is copied at every sync point (after each call
 * returned). From two consecutive copies the test builds every state a power loss can leave
 * while the later call was in flight: everything forced before it, plus the group commit's frame
 * truncated at a byte boundary, or written up to a byte boundary with the rest lost (zeros) or
 * still holding the old sync marker, or whole with its own marker torn. For the last call of
 * each history every byte boundary is tried; for the others, the first, the middle and the last
 * ones. Snapshots are tried before, during (the roll kept, the snapshot or the deletion of the
 * old files lost) and after.
 *
 * <p>Each state is opened and must hold exactly the changes acknowledged before the call, or
 * those and the call's (only if its frame is whole): every acknowledged change present, nothing
 * half applied. And nothing leaves without a trace: every byte cut is reported by {@link
 * FileCatalog#recovery()} and kept, byte for byte, in the quarantine file it names.
 */
class FileCatalogPowerLossTest {
  private static final ProjectId ALICE = ProjectId.of("alice");
  private static final ProjectId BOB = ProjectId.of("bob");
  private static final FileCatalogOptions OPTIONS =
      FileCatalogOptions.builder().fsync(false).snapshotInterval(1_000_000).build();
  private static final int STEPS = 14;

  @TempDir Path tmp;
  private final List<Path> scratch = new ArrayList<>();

  @AfterEach
  void deleteScratch() {
    scratch.forEach(PowerLoss::delete);
  }

  /** The acknowledged state: live images and deleted ids. */
  private record Model(TreeMap<ImageId, Image> live, TreeSet<ImageId> deleted) {
    Model copy() {
      return new Model(new TreeMap<>(live), new TreeSet<>(deleted));
    }
  }

  /** A sync point: the files after a call returned, and where its commit frame lies. */
  private record Point(
      String what, TreeMap<Path, byte[]> files, Model model, Path journal, long commit,
      long commitEnd) {
    boolean isCommit() {
      return journal != null;
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void everyAcknowledgedChangeSurvivesAPowerLossAtEveryByteOfTheLastFrame(long seed)
      throws IOException {
    List<Point> points = history(seed);
    int images = 0;
    for (int k = 1; k < points.size(); k++) {
      Point before = points.get(k - 1);
      Point after = points.get(k);
      String where = "seed " + seed + ", power lost during step " + k + " (" + after.what() + ")";
      if (after.isCommit()) {
        images += commitStates(where, before, after, k == points.size() - 1);
      } else {
        images += snapshotStates(where, before, after);
      }
    }
    assertThat(images).as("states tried").isGreaterThan(2 * STEPS);
  }

  /** Runs the seeded history and copies the directory at each sync point. */
  private List<Point> history(long seed) throws IOException {
    Random random = new Random(seed);
    Path live = scratch("live");
    List<Point> points = new ArrayList<>();
    Model model = new Model(new TreeMap<>(), new TreeSet<>());
    try (FileCatalog catalog = FileCatalog.open(live, OPTIONS)) {
      points.add(new Point("open", PowerLoss.files(live), model.copy(), null, 0, 0));
      long next = 1;
      for (int step = 1; step < STEPS; step++) {
        int draw = random.nextInt(100);
        String what;
        // The last step is always a commit: it is the frame tried at every byte.
        if (draw < 10 && step > 2 && step < STEPS - 1) {
          catalog.snapshot();
          points.add(new Point("snapshot", PowerLoss.files(live), model.copy(), null, 0, 0));
          continue;
        } else if (model.live().isEmpty() || draw < 50) {
          Image stored = catalog.insert(image(next++, random.nextBoolean() ? ALICE : BOB));
          model.live().put(stored.id(), stored);
          what = "insert " + stored.id();
        } else {
          List<Image> candidates = new ArrayList<>(model.live().values());
          Image current = candidates.get(random.nextInt(candidates.size()));
          if (draw < 80) {
            Image stored = catalog.compareAndSet(current.version(),
                current.toBuilder().name("step " + step).build()).orElseThrow();
            model.live().put(stored.id(), stored);
            what = "update " + stored.id();
          } else {
            catalog.delete(current.id(), current.version(), ImageStatus.DELETED, T0);
            model.live().remove(current.id());
            model.deleted().add(current.id());
            what = "delete " + current.id();
          }
        }
        Path journal = lastJournal(live);
        FrameReader.Frame commit = lastCommit(journal);
        points.add(new Point(what, PowerLoss.files(live), model.copy(), live.relativize(journal),
            commit.offset(), commit.end()));
      }
    }
    return points;
  }

  private static Path lastJournal(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> Format.number(f.getFileName().toString(), "journal-", ".log") >= 0)
          .max(Path::compareTo).orElseThrow();
    }
  }

  private static FrameReader.Frame lastCommit(Path journal) throws IOException {
    FrameReader.Frame last = null;
    try (FrameReader reader = new FrameReader(journal,
        Set.of(Format.FRAME_COMMIT, Format.FRAME_SYNCED, Format.FRAME_CLOSED))) {
      long position = Format.HEADER_SIZE;
      while (position < reader.size()) {
        FrameReader.Frame frame = reader.frameAt(position).orElseThrow();
        if (frame.type() == Format.FRAME_COMMIT) {
          last = frame;
        }
        position = frame.end();
      }
    }
    assertThat(last).as("the step's commit frame").isNotNull();
    return last;
  }

  /**
   * The states a power loss leaves while the commit of {@code after} is written; returns how
   * many were tried.
   */
  private int commitStates(String where, Point before, Point after, boolean everyByte)
      throws IOException {
    byte[] journal = after.files().get(after.journal());
    int from = (int) after.commit();
    int to = (int) after.commitEnd();
    byte[] synced = Arrays.copyOf(journal, from);
    byte[] frame = Arrays.copyOfRange(journal, from, to);
    byte[] marker = Arrays.copyOfRange(journal, to, journal.length);
    byte[] previous = before.files().get(after.journal());
    byte[] oldMarker = previous == null || previous.length <= from
        ? new byte[0] : Arrays.copyOfRange(previous, from, previous.length);
    assertThat(marker.length).as("the commit's sync marker").isEqualTo(Format.FRAME_OVERHEAD);

    List<Integer> bytes = new ArrayList<>();
    for (int t = 0; t <= frame.length; t++) {
      if (everyByte || t <= 1 || t == frame.length / 2 || t >= frame.length - 1) {
        bytes.add(t);
      }
    }
    int tried = 0;
    for (int t : bytes) {
      boolean whole = t == frame.length;
      Model expected = whole ? after.model() : before.model();
      // Written up to byte t, the rest never reached the file.
      tried += check(where + ", frame truncated at byte " + t, after, journal(synced,
          Arrays.copyOf(frame, t)), t == 0 || whole ? -1 : from, expected,
          t == frame.length / 2);
      if (!whole) {
        // The file's length reached the end of the frame, its bytes after t did not.
        tried += check(where + ", frame written up to byte " + t + ", zeros after", after,
            journal(synced, Arrays.copyOf(frame, t), new byte[frame.length - t]), from, expected,
            false);
        byte[] overMarker = journal(synced, Arrays.copyOf(frame, t),
            Arrays.copyOfRange(oldMarker, Math.min(t, oldMarker.length), oldMarker.length));
        // Bytes equal to the old marker's leave it whole: the state before the call.
        if (t < oldMarker.length && !Arrays.equals(overMarker, journal(synced, oldMarker))) {
          tried += check(where + ", frame written up to byte " + t + " over the old marker",
              after, overMarker, from, expected, false);
        }
      }
    }
    for (int t = 1; t < marker.length; t++) {
      if (everyByte || t == marker.length / 2) {
        tried += check(where + ", its sync marker torn at byte " + t, after,
            journal(synced, frame, Arrays.copyOf(marker, t)), to, after.model(), false);
      }
    }
    return tried;
  }

  private static byte[] journal(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /**
   * Opens the files of {@code point} with its journal replaced by {@code journal} and checks
   * them against {@code expected}; the tail from {@code tailFrom} on (if not -1) must be cut and
   * reported, and nothing else.
   */
  private int check(String where, Point point, byte[] journal, int tailFrom, Model expected,
      boolean writeAfter) throws IOException {
    TreeMap<Path, byte[]> files = new TreeMap<>(point.files());
    files.put(point.journal(), journal);
    Path home = PowerLoss.write(scratch("image"), files);
    Path segment = home.resolve(point.journal());
    boolean tail = tailFrom >= 0;
    try (FileCatalog catalog = FileCatalog.open(home, OPTIONS)) {
      assertState(where, catalog, expected);
      FileCatalogRecovery recovery = catalog.recovery();
      assertThat(recovery.closedCleanly()).as(where).isFalse();
      if (tail) {
        Path kept = home.resolve(Recovery.QUARANTINE)
            .resolve(segment.getFileName() + "@" + tailFrom + ".bin");
        assertThat(recovery.cuts()).as("%s: the cut is reported", where).containsExactly(
            new FileCatalogRecovery.Cut(segment, tailFrom, journal.length - tailFrom, kept));
        assertThat(Files.readAllBytes(kept)).as("%s: the cut is kept", where)
            .isEqualTo(Arrays.copyOfRange(journal, tailFrom, journal.length));
      } else {
        assertThat(recovery.nothingSetAside()).as("%s: nothing to cut", where).isTrue();
      }
      if (writeAfter) {
        Image more = catalog.insert(image(10_000, ALICE));
        expected = expected.copy();
        expected.live().put(more.id(), more);
      }
    }
    if (writeAfter) {
      try (FileCatalog again = FileCatalog.open(home, OPTIONS)) {
        assertState(where + ", written after and reopened", again, expected);
        assertThat(again.recovery().closedCleanly()).as(where).isTrue();
      }
    }
    PowerLoss.delete(home);
    return 1;
  }

  private static void assertState(String where, FileCatalog catalog, Model expected) {
    TreeMap<ImageId, Image> live = new TreeMap<>();
    catalog.forEach(i -> live.put(i.id(), i));
    assertThat(live).as("%s: exactly the acknowledged images", where)
        .containsExactlyEntriesOf(expected.live());
    for (ImageId deleted : expected.deleted()) {
      assertThat(catalog.tombstone(deleted)).as("%s: the tombstone of %s", where, deleted)
          .isPresent();
    }
  }

  /**
   * A power loss during a snapshot: before it, with the journal's roll kept but not the
   * snapshot, with the snapshot kept but not the deletion of the files it replaces, and after.
   */
  private int snapshotStates(String where, Point before, Point after) throws IOException {
    TreeMap<Path, byte[]> rolled = new TreeMap<>(before.files());
    after.files().forEach((path, bytes) -> {
      if (path.getFileName().toString().startsWith("journal-")) {
        rolled.putIfAbsent(path, bytes);
      }
    });
    TreeMap<Path, byte[]> undeleted = new TreeMap<>(before.files());
    undeleted.putAll(after.files());
    List<TreeMap<Path, byte[]>> states =
        List.of(before.files(), rolled, undeleted, after.files());
    List<String> names = List.of("before it", "the roll kept", "the old files kept", "after it");
    for (int i = 0; i < states.size(); i++) {
      Path home = PowerLoss.write(scratch("image"), states.get(i));
      try (FileCatalog catalog = FileCatalog.open(home, OPTIONS)) {
        assertState(where + ", " + names.get(i), catalog, after.model());
        assertThat(catalog.recovery().nothingSetAside()).as(where).isTrue();
      }
      PowerLoss.delete(home);
    }
    return states.size();
  }

  private Path scratch(String name) throws IOException {
    Path dir = PowerLoss.scratch(tmp, name);
    scratch.add(dir);
    return dir;
  }

  @Test
  void aCleanCloseSurvivesAPowerLoss() throws IOException {
    Path live = scratch("live");
    Image one;
    try (FileCatalog catalog = FileCatalog.open(live, OPTIONS)) {
      one = catalog.insert(image(1, ALICE));
    }
    // Everything close wrote was forced: a power loss after it keeps it all.
    Path home = PowerLoss.write(scratch("image"), PowerLoss.files(live));
    try (FileCatalog catalog = FileCatalog.open(home, OPTIONS)) {
      assertThat(catalog.find(id(1))).contains(one);
      assertThat(catalog.recovery().closedCleanly()).isTrue();
    }
  }
}
