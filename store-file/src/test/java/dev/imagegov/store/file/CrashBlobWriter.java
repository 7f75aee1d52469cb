package dev.imagegov.store.file;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The writer of the blob store's crash test, run in a child JVM that is killed at a random
 * moment. Arguments: directory, round, threads, seed. It prints {@code OPENING} before it opens
 * the store and {@code READY} once it is open ({@link KillRounds}'s protocol). Each thread owns its keys and loops over
 * writes of new blobs and deletes of its own. Before a change it prints what it tries ({@code w
 * KEY}, {@code d KEY}); after the call returns, what was acknowledged ({@code W KEY}, {@code D
 * KEY}). A blob's size and bytes are functions of its key ({@link #sizeOf}, {@link #seedOf}), so
 * any stored blob can be checked to be whole.
 */
final class CrashBlobWriter {
  static final StoreId ID = StoreId.of("crash");

  private CrashBlobWriter() {}

  /** The size every writer gives the blob {@code key}: mostly up to 600 kB, some tiny. */
  static long sizeOf(BlobKey key) {
    int h = Math.floorMod(key.value().hashCode() * 31 + 7, 1_000_003);
    return h % 10 == 0 ? h % 100 : h % 600_000;
  }

  /** The seed of the bytes of the blob {@code key} ({@link dev.imagegov.testkit.gen.ByteStream}). */
  static long seedOf(BlobKey key) {
    return key.value().hashCode() * 1_000_003L;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    print(out, "OPENING");
    // The defaults: every write forced before it is acknowledged.
    FileBlobStore store = FileBlobStore.open(ID, dir);
    List<List<BlobKey>> owned = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      owned.add(new ArrayList<>());
    }
    for (BlobKey key : store.keys()) {
      owned.get(Math.floorMod(key.hashCode(), threads)).add(key);
    }
    print(out, "READY");
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> work(store, out, owned.get(thread),
          new Random(seed * 31 + thread), round, thread));
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
  }

  private static void work(
      FileBlobStore store, PrintStream out, List<BlobKey> live, Random random, int round,
      int thread) {
    long next = 0;
    try {
      while (true) {
        if (live.isEmpty() || random.nextInt(100) < 80) {
          BlobKey key = BlobKey.of("r" + round + "-t" + thread + "-" + next++);
          print(out, "w " + key);
          store.write(key, ByteStream.of(sizeOf(key), seedOf(key)).openInUnevenReads(),
              Long.MAX_VALUE, HashSpec.defaults());
          print(out, "W " + key);
          live.add(key);
        } else {
          BlobKey key = live.remove(random.nextInt(live.size()));
          print(out, "d " + key);
          if (!store.delete(key)) {
            throw new AssertionError("a writer's own blob vanished: " + key);
          }
          print(out, "D " + key);
        }
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void print(PrintStream out, String line) {
    synchronized (out) {
      out.print(line);
      out.print('\n');
      out.flush();
    }
  }
}
