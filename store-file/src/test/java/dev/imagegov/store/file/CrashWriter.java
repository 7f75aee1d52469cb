package dev.imagegov.store.file;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The writer of the crash test, run in a child JVM that is killed at a random moment. Arguments:
 * directory, round, threads, seed. It prints {@code OPENING} before it opens the catalog (in
 * {@code <directory>}) and the blob store (in {@code <directory>-blobs}), and {@code READY} once
 * both are open ({@link KillRounds}'s protocol). One more thread uploads as core does: it
 * inserts a queued image ({@code q ID}, {@code Q ID}), writes its blob under the image's id
 * ({@code b ID}, {@code B ID}; size and bytes a function of the id, {@link #blobSize}) and
 * stores the image active with the blob's location, size and hashes ({@code a ID}, {@code A
 * ID}); its images have ids whose upper half is negative. Each thread owns its images (so at most one change per image
 * is in flight) and loops over random inserts, compare-and-sets and deletes. Before a change it
 * prints what it tries ({@code i ID}, {@code u ID VERSION}, {@code d ID}); after the call
 * returns, what was acknowledged ({@code I ID}, {@code U ID VERSION}, {@code D ID}). An image's
 * content is a function of its id and version ({@link #content}), so any stored image can be
 * checked to be a state that was committed.
 */
final class CrashWriter {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final List<ProjectId> OWNERS =
      List.of(ProjectId.of("p0"), ProjectId.of("p1"), ProjectId.of("p2"), ProjectId.of("p3"));
  /** Records between snapshots in the child: small, so that kills also hit snapshots. */
  static final long SNAPSHOT_INTERVAL = 150;

  private CrashWriter() {}

  /** The content every writer gives image {@code id} at {@code version}. */
  static Image content(ImageId id, long version) {
    int h = Math.floorMod(id.hashCode(), 1000);
    return Image.builder()
        .id(id)
        .name("v" + version)
        .status(version % 5 == 0 ? ImageStatus.QUEUED : ImageStatus.ACTIVE)
        .visibility(Visibility.values()[(int) ((h + version) % Visibility.values().length)])
        .owner(OWNERS.get((int) ((h + version) % OWNERS.size())))
        .size(h + version * 7)
        .addTags("t" + version % 3)
        .putProperties("version", Long.toString(version))
        .createdAt(T0.plusSeconds(h))
        .updatedAt(T0.plusSeconds(version))
        .version(version)
        .build();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    long seed = Long.parseLong(args[3]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    print(out, "OPENING");
    FileCatalog catalog =
        FileCatalog.open(dir,
            FileCatalogOptions.builder().snapshotInterval(SNAPSHOT_INTERVAL).build());
    // The defaults: every blob forced before it is acknowledged.
    FileBlobStore blobs = FileBlobStore.open(BLOB_STORE, blobDirectory(dir));
    List<List<Image>> owned = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      owned.add(new ArrayList<>());
    }
    catalog.forEach(i -> {
      if (!isUpload(i.id())) {
        owned.get(Math.floorMod(i.id().hashCode(), threads)).add(i);
      }
    });
    print(out, "READY");
    List<Thread> workers = new ArrayList<>();
    Thread uploader = new Thread(() -> upload(catalog, blobs, out, round));
    uploader.start();
    workers.add(uploader);
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker = new Thread(() -> work(catalog, out, owned.get(thread),
          new Random(seed * 31 + thread), round, thread, threads));
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      worker.join();
    }
  }

  static final dev.imagegov.model.StoreId BLOB_STORE = dev.imagegov.model.StoreId.of("crash");

  /** The blob store's directory beside the catalog's. */
  static Path blobDirectory(Path catalog) {
    return catalog.resolveSibling(catalog.getFileName() + "-blobs");
  }

  /** Whether {@code id} is one of the uploader's images. */
  static boolean isUpload(ImageId id) {
    return UUID.fromString(id.value()).getMostSignificantBits() < 0;
  }

  /** The size of the blob of upload {@code id}: up to 100 kB, some empty. */
  static long blobSize(ImageId id) {
    int h = Math.floorMod(id.hashCode() * 31 + 11, 1_000_003);
    return h % 10 == 0 ? 0 : h % 100_000;
  }

  /** The seed of the bytes of upload {@code id}'s blob. */
  static long blobSeed(ImageId id) {
    return id.hashCode() * 1_000_033L;
  }

  /** The queued image of upload {@code id}. */
  static Image queued(ImageId id) {
    return Image.builder().id(id).name("upload").status(ImageStatus.QUEUED)
        .visibility(Visibility.PRIVATE).owner(OWNERS.get(0)).createdAt(T0).updatedAt(T0)
        .version(1).build();
  }

  private static void upload(FileCatalog catalog, FileBlobStore blobs, PrintStream out,
      int round) {
    try {
      for (long n = 0; ; n++) {
        ImageId id = ImageId.of(new UUID(-(round + 1), n));
        print(out, "q " + id);
        Image image = catalog.insert(queued(id));
        print(out, "Q " + id);
        print(out, "b " + id);
        BlobWriteResult written;
        try (InputStream in = ByteStream.of(blobSize(id), blobSeed(id)).openInUnevenReads()) {
          written = blobs.write(BlobKey.of(id.value()), in, Long.MAX_VALUE, HashSpec.defaults());
        }
        print(out, "B " + id);
        print(out, "a " + id);
        catalog.compareAndSet(image.version(), image.toBuilder().status(ImageStatus.ACTIVE)
            .size(written.size()).checksum(written.checksum())
            .osHashAlgo(written.multihashAlgorithm().glanceName())
            .osHashValue(written.multihash())
            .addLocations(Location.of(BLOB_STORE, written.url())).build()).orElseThrow();
        print(out, "A " + id);
      }
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void work(
      FileCatalog catalog, PrintStream out, List<Image> live, Random random, int round,
      int thread, int threads) {
    long next = 0;
    while (true) {
      int dice = random.nextInt(100);
      if (live.isEmpty() || dice < 35) {
        ImageId id;
        do {
          id = ImageId.of(new UUID(round + 1, next++ * 64 + thread));
        } while (Math.floorMod(id.hashCode(), threads) != thread);
        print(out, "i " + id);
        Image stored = catalog.insert(content(id, 1));
        print(out, "I " + id);
        live.add(stored);
      } else if (dice < 88) {
        int index = random.nextInt(live.size());
        Image current = live.get(index);
        long version = current.version() + 1;
        print(out, "u " + current.id() + " " + version);
        Image stored = catalog.compareAndSet(current.version(), content(current.id(), version)).orElseThrow();
        print(out, "U " + current.id() + " " + version);
        live.set(index, stored);
      } else {
        int index = random.nextInt(live.size());
        Image current = live.get(index);
        print(out, "d " + current.id());
        try {
          catalog.delete(current.id(), current.version(), ImageStatus.DELETED, T0);
        } catch (GovernanceException e) {
          throw new AssertionError("a writer's own image changed under it", e);
        }
        print(out, "D " + current.id());
        live.remove(index);
      }
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
