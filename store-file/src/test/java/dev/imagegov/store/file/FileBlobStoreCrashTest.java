package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a blob writer process with SIGKILL at random moments, reopens its store after each kill
 * and checks that every acknowledged blob is present and byte-identical, that no blob is partial
 * (every stored blob is whole and was tried), that acknowledged deletes stuck, and that no
 * temporary file or orphaned hash record is left. The writer forces every write ({@code fsync}
 * on). The rounds ({@link KillRounds}) are fixed by {@code imagegov.crash.seed} (a new one each
 * run, named in every assertion); one in five kills the writer while it opens the store, the
 * others once it has acknowledged a write. The number of kills is {@code
 * imagegov.blobcrash.kills} (20 by default).
 */
class FileBlobStoreCrashTest {
  private static final int THREADS = 3;

  @TempDir Path dir;

  private final Set<BlobKey> attempted = new HashSet<>();
  private final Set<BlobKey> acknowledged = new HashSet<>();
  private final Set<BlobKey> deleteAttempted = new HashSet<>();
  private final Set<BlobKey> deleteAcknowledged = new HashSet<>();

  @Test
  void everyAcknowledgedBlobSurvivesSigkillWholeAndNothingPartialIsVisible() throws Exception {
    int kills = Integer.getInteger("imagegov.blobcrash.kills", 20);
    long seed = Long.getLong("imagegov.crash.seed", System.nanoTime());
    KillRounds rounds = new KillRounds(getClass().getSimpleName(), seed, kills, 300);
    Path home = dir.resolve("blobs");
    for (int round = 0; round < kills; round++) {
      ProcessBuilder writer =
          ChildJvm.builder(CrashBlobWriter.class, home.toString(), Integer.toString(round),
              Integer.toString(THREADS), Long.toString(rounds.childSeed()));
      record(rounds.kill(round, writer, dir.resolve("writer-" + round + ".out")));
      check(home, rounds.when(round));
    }
    System.out.println(rounds.summary());
  }

  private void record(List<String> lines) {
    for (String line : lines) {
      if (KillRounds.isSignal(line)) {
        continue;
      }
      String[] parts = line.split(" ");
      BlobKey key = BlobKey.of(parts[1]);
      switch (parts[0]) {
        case "w" -> attempted.add(key);
        case "W" -> acknowledged.add(key);
        case "d" -> deleteAttempted.add(key);
        case "D" -> deleteAcknowledged.add(key);
        default -> throw new AssertionError("unexpected output: " + line);
      }
    }
  }

  private void check(Path home, String when) throws IOException {
    try (FileBlobStore store = FileBlobStore.open(CrashBlobWriter.ID, home)) {
      Set<BlobKey> present = new HashSet<>(store.keys());
      // Every acknowledged blob is present, unless a delete of it was tried.
      for (BlobKey key : acknowledged) {
        if (deleteAcknowledged.contains(key)) {
          assertThat(present).as("%s: acknowledged delete of %s", when, key)
              .doesNotContain(key);
        } else if (!deleteAttempted.contains(key)) {
          assertThat(present).as("%s: acknowledged blob %s", when, key).contains(key);
        }
      }
      // Every stored blob was tried and is whole: its size, bytes and hash record match.
      long total = 0;
      for (BlobKey key : present) {
        assertThat(attempted).as("%s: %s was stored but never tried", when, key).contains(key);
        long size = CrashBlobWriter.sizeOf(key);
        assertThat(store.size(key)).as("%s: size of %s", when, key).hasValue(size);
        try (InputStream in = store.read(key)) {
          assertThat(ByteStream.digest("SHA-256", in))
              .as("%s: bytes of %s", when, key)
              .isEqualTo(ByteStream.digest("SHA-256",
                  ByteStream.of(size, CrashBlobWriter.seedOf(key)).open()));
        }
        BlobVerification v = store.verify(key);
        assertThat(v.intact()).as("%s: %s", when, v.detail()).isTrue();
        total += size;
      }
      assertThat(store.capacity().used()).as(when).isEqualTo(total);
      // Nothing left over: no temporary file, no hash record without its blob.
      try (Stream<Path> walk = Files.walk(home)) {
        List<Path> files = walk.filter(Files::isRegularFile).toList();
        assertThat(files)
            .as("%s: temporary files", when)
            .noneMatch(f -> f.getFileName().toString().startsWith(FileBlobStore.TEMP_PREFIX));
        long records =
            files.stream().filter(f -> f.startsWith(home.resolve(FileBlobStore.HASHES))).count();
        assertThat(records).as("%s: hash records", when).isEqualTo(present.size());
      }
    }
  }
}
