package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Power loss in the blob store, simulated without timing: a seeded history of writes and deletes
 * runs on a store, its directory is copied after each call returned, and from two consecutive
 * copies the test builds every state a power loss can leave while the later call was in flight,
 * following the order in which the store forces its steps (README, <i>Writing</i>): the blob's
 * temporary file truncated or torn at a byte boundary; the blob whole and its hash record's
 * temporary file truncated at a byte boundary; the record renamed but not the blob; both
 * renamed. For a delete: the blob removed but not its record. For the last write of each
 * history every byte boundary of the blob is tried; for the others, and for the record (a
 * temporary file is deleted on open whatever it holds), the first, the middle and the last ones.
 *
 * <p>Each state is opened: every acknowledged blob is there, byte for byte, and verifies
 * intact; the blob in flight is either whole (only once both renames happened) or leaves no
 * reference at all (no blob, no hash record, no temporary file).
 */
class FileBlobStorePowerLossTest {
  private static final StoreId ID = StoreId.of("power");
  private static final FileBlobStoreOptions OPTIONS =
      FileBlobStoreOptions.builder().fsync(false).build();
  private static final int STEPS = 10;

  @TempDir Path tmp;
  private final List<Path> scratch = new ArrayList<>();

  @AfterEach
  void deleteScratch() {
    scratch.forEach(PowerLoss::delete);
  }

  /** A sync point: the files after a call returned, the blobs acknowledged, the call's key. */
  private record Point(
      String what, TreeMap<Path, byte[]> files, TreeMap<BlobKey, byte[]> blobs, BlobKey key,
      Path blob, Path record, boolean write) {}

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void anAcknowledgedBlobSurvivesAPowerLossAndAnUnacknowledgedOneLeavesNoReference(long seed)
      throws IOException {
    List<Point> points = history(seed);
    int tried = 0;
    for (int k = 1; k < points.size(); k++) {
      Point before = points.get(k - 1);
      Point after = points.get(k);
      String where = "seed " + seed + ", power lost during step " + k + " (" + after.what() + ")";
      tried += after.write()
          ? writeStates(where, before, after, k == points.size() - 1)
          : deleteStates(where, before, after);
    }
    assertThat(tried).as("states tried").isGreaterThan(2 * STEPS);
  }

  private List<Point> history(long seed) throws IOException {
    Random random = new Random(seed);
    Path live = scratch("live");
    List<Point> points = new ArrayList<>();
    TreeMap<BlobKey, byte[]> blobs = new TreeMap<>();
    try (FileBlobStore store = FileBlobStore.open(ID, live, OPTIONS)) {
      points.add(new Point("open", PowerLoss.files(live), new TreeMap<>(), null, null, null,
          false));
      for (int step = 1; step < STEPS; step++) {
        boolean write = blobs.isEmpty() || step == STEPS - 1 || random.nextInt(100) < 75;
        BlobKey key;
        if (write) {
          key = BlobKey.of("blob-" + seed + "-" + step);
          // Small blobs, so that every byte boundary can be tried; some empty.
          long size = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(64);
          byte[] bytes;
          try (InputStream in = ByteStream.of(size, seed * 100 + step).openInUnevenReads()) {
            bytes = in.readAllBytes();
          }
          try (InputStream in = ByteStream.of(size, seed * 100 + step).openInUnevenReads()) {
            store.write(key, in, Long.MAX_VALUE, HashSpec.defaults());
          }
          blobs.put(key, bytes);
        } else {
          List<BlobKey> keys = new ArrayList<>(blobs.keySet());
          key = keys.get(random.nextInt(keys.size()));
          assertThat(store.delete(key)).isTrue();
          blobs.remove(key);
        }
        points.add(new Point((write ? "write " : "delete ") + key, PowerLoss.files(live),
            new TreeMap<>(blobs), key, live.relativize(store.blobPath(key)),
            live.relativize(store.recordPath(key)), write));
      }
    }
    return points;
  }

  private static List<Integer> boundaries(int length, boolean everyByte) {
    List<Integer> bytes = new ArrayList<>();
    for (int t = 0; t <= length; t++) {
      if (everyByte || t <= 1 || t == length / 2 || t >= length - 1) {
        bytes.add(t);
      }
    }
    return bytes;
  }

  private int writeStates(String where, Point before, Point after, boolean everyByte)
      throws IOException {
    byte[] blob = after.files().get(after.blob());
    byte[] record = after.files().get(after.record());
    assertThat(blob).as("%s: the blob", where).isEqualTo(after.blobs().get(after.key()));
    assertThat(record).as("%s: its hash record", where).isNotNull();
    Path blobTemp = after.blob().resolveSibling(FileBlobStore.TEMP_PREFIX + "blob");
    Path recordTemp = after.record().resolveSibling(FileBlobStore.TEMP_PREFIX + "record");
    int tried = 0;
    for (int t : boundaries(blob.length, everyByte)) {
      tried += check(where + ", the blob's temporary file truncated at byte " + t,
          with(before, blobTemp, Arrays.copyOf(blob, t)), before, after.key());
      if (t < blob.length) {
        byte[] torn = Arrays.copyOf(blob, blob.length);
        Arrays.fill(torn, t, torn.length, (byte) 0);
        tried += check(where + ", the blob's temporary file written up to byte " + t
            + ", zeros after", with(before, blobTemp, torn), before, after.key());
      }
    }
    TreeMap<Path, byte[]> forced = with(before, blobTemp, blob);
    // Every temporary file is deleted on open whatever it holds: a few boundaries suffice.
    for (int t : boundaries(record.length, false)) {
      tried += check(where + ", the record's temporary file truncated at byte " + t,
          with(forced, recordTemp, Arrays.copyOf(record, t)), before, after.key());
    }
    tried += check(where + ", the record renamed, not the blob",
        with(forced, after.record(), record), before, after.key());
    tried += check(where + ", both renamed", after.files(), after, after.key());
    return tried;
  }

  private int deleteStates(String where, Point before, Point after) throws IOException {
    TreeMap<Path, byte[]> blobRemoved = new TreeMap<>(before.files());
    blobRemoved.remove(after.blob());
    return check(where + ", before it", before.files(), before, after.key())
        + check(where + ", the blob removed, not its record", blobRemoved, after, after.key())
        + check(where + ", after it", after.files(), after, after.key());
  }

  private static TreeMap<Path, byte[]> with(Point point, Path file, byte[] bytes) {
    return with(point.files(), file, bytes);
  }

  private static TreeMap<Path, byte[]> with(TreeMap<Path, byte[]> files, Path file,
      byte[] bytes) {
    TreeMap<Path, byte[]> copy = new TreeMap<>(files);
    copy.put(file, bytes);
    return copy;
  }

  /**
   * Opens {@code files}: the store holds exactly the blobs of {@code expected}, each intact, and
   * {@code key}, if not among them, left nothing behind.
   */
  private int check(String where, TreeMap<Path, byte[]> files, Point expected, BlobKey key)
      throws IOException {
    Path home = PowerLoss.write(scratch("image"), files);
    try (FileBlobStore store = FileBlobStore.open(ID, home, OPTIONS)) {
      assertThat(store.keys()).as("%s: exactly the acknowledged blobs", where)
          .containsExactlyInAnyOrderElementsOf(expected.blobs().keySet());
      for (var blob : expected.blobs().entrySet()) {
        try (InputStream in = store.read(blob.getKey())) {
          assertThat(in.readAllBytes()).as("%s: %s, byte for byte", where, blob.getKey())
              .isEqualTo(blob.getValue());
        }
        assertThat(store.verify(blob.getKey()).intact()).as("%s: %s verifies", where,
            blob.getKey()).isTrue();
      }
      if (!expected.blobs().containsKey(key)) {
        assertThat(store.blobPath(key)).as("%s: no blob", where).doesNotExist();
        assertThat(store.recordPath(key)).as("%s: no hash record", where).doesNotExist();
      }
      try (Stream<Path> walk = Files.walk(home)) {
        assertThat(walk.filter(f -> f.getFileName().toString()
            .startsWith(FileBlobStore.TEMP_PREFIX))).as("%s: no temporary file", where).isEmpty();
      }
    }
    PowerLoss.delete(home);
    return 1;
  }

  private Path scratch(String name) throws IOException {
    Path dir = PowerLoss.scratch(tmp, name);
    scratch.add(dir);
    return dir;
  }
}
