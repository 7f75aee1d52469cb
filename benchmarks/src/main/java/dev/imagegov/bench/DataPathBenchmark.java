package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.data.ImageDownload;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.store.file.FileBlobStore;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The data path: one upload ({@code data().upload}) or download ({@code data().download}, read to
 * the end) of a {@value #SIZE}-byte image through a {@link MemoryBlobStore} and a {@link
 * FileBlobStore} (default options: {@code fsync} on; the multihash on the governance's hashing
 * thread, fed by the transfer's ring of reusable buffers, while MD5 and the store's write run on
 * the writer's), each a single shot. The bytes are the testkit's {@code
 * ByteStream.pattern}, generated as they are read (a 64 KiB pattern, repeated), so the source
 * costs a memory copy and allocates nothing per byte.
 *
 * <p>Same-run baselines of the upload: {@link #sha512}, the JDK's SHA-512 {@code MessageDigest}
 * alone over the same bytes from the same generated stream, read in the same 1 MiB chunks as the
 * stores' uploads write (the floor of an upload, which must compute it, with MD5 on another
 * core); {@link #md5}, MD5 alone the same way; {@link #md5AndSha512}, both on one thread (what an
 * upload without a second core would cost).
 *
 * <p>Same-run baselines of the download, each read the way {@link #downloadFile} and {@link
 * #downloadMemory} read (an {@code InputStream} read to its end into the same 1 MiB {@code
 * byte[]}), from the same bytes: {@link #fileStreamRead}, a plain {@code Files.newInputStream} of
 * the file the file store wrote (the "plain read" a download is held to); {@link #fileStoreRead}
 * and {@link #memoryStoreRead}, the store's own {@code BlobStore.read} stream of the same blob,
 * without the governance (its policy check, lookup and the checked stream it wraps around the
 * store's). {@link #fileChannelRead}, a {@code FileChannel} read into a 1 MiB heap {@code
 * ByteBuffer}, is kept for reference: a different stream shape from the download's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class DataPathBenchmark {
  /** The bytes of every upload and download: 1 GiB. */
  public static final long SIZE = 1L << 30;

  static final StoreId MEMORY = StoreId.of("memory");
  static final StoreId FILE = StoreId.of("file");
  private static final int BUFFER = 1 << 20;
  private static final ByteStream BYTES = ByteStream.pattern(SIZE);
  private static final Caller OWNER = Caller.member(Dataset.projectName(0));

  /** A governance on a memory catalog with a memory and a file blob store. */
  @State(Scope.Benchmark)
  public static class Stores {
    Path dir;
    FileBlobStore file;
    MemoryBlobStore memory;
    ImageGovernance governance;

    /** Opens the stores. */
    @Setup(Level.Trial)
    public void open() {
      dir = TempDirs.create("blobs");
      file = FileBlobStore.open(FILE, dir);
      memory = MemoryBlobStore.builder(MEMORY).build();
      governance =
          ImageGovernance.builder()
              .catalog(new MemoryCatalog())
              .blobStore(memory)
              .blobStore(file)
              .build();
    }

    /** Closes the governance (its hashing threads) and the file store, removes its directory. */
    @TearDown(Level.Trial)
    public void close() {
      governance.close();
      file.close();
      TempDirs.delete(dir);
    }

    ImageId queued() {
      return DataShots.queued(governance, OWNER);
    }

    Image upload(ImageId id, StoreId store) {
      return DataShots.upload(governance, OWNER, id, BYTES, SIZE, store);
    }
  }

  /** A fresh queued image before each upload, deleted (with its data) after it. */
  @State(Scope.Benchmark)
  public static class Upload {
    ImageId id;

    /** Creates the image. */
    @Setup(Level.Iteration)
    public void create(Stores stores) {
      id = stores.queued();
    }

    /** Deletes the image and its data. */
    @TearDown(Level.Iteration)
    public void delete(Stores stores) {
      stores.governance.images().delete(OWNER, id);
    }
  }

  /** An image uploaded once to the memory store. */
  @State(Scope.Benchmark)
  public static class InMemory {
    ImageId id;

    /** Uploads it. */
    @Setup(Level.Trial)
    public void upload(Stores stores) {
      id = stores.queued();
      stores.upload(id, MEMORY);
    }
  }

  /** An image uploaded once to the file store, and the file holding its data. */
  @State(Scope.Benchmark)
  public static class OnDisk {
    ImageId id;
    Path blob;

    /** Uploads it and finds its file (the one file of {@value #SIZE} bytes). */
    @Setup(Level.Trial)
    public void upload(Stores stores) throws IOException {
      id = stores.queued();
      stores.upload(id, FILE);
      try (Stream<Path> files = Files.walk(stores.dir)) {
        blob =
            files
                .filter(Files::isRegularFile)
                .max(Comparator.comparingLong(p -> p.toFile().length()))
                .orElseThrow();
      }
      if (Files.size(blob) != SIZE) {
        throw new IllegalStateException("the largest file " + blob + " is not the blob");
      }
    }
  }

  /** Baseline: SHA-512 of the generated bytes with the JDK's {@code MessageDigest}. */
  @Benchmark
  public byte[] sha512() throws IOException {
    return digest("SHA-512");
  }

  /** Reference: MD5 of the generated bytes with the JDK's {@code MessageDigest}. */
  @Benchmark
  public byte[] md5() throws IOException {
    return digest("MD5");
  }

  /** Baseline: MD5 and SHA-512 of the generated bytes, both on this thread. */
  @Benchmark
  public byte[] md5AndSha512() throws IOException {
    return digest("MD5", "SHA-512");
  }

  /** The digests of the generated bytes under {@code algorithms}, one after the other per read. */
  private static byte[] digest(String... algorithms) throws IOException {
    MessageDigest[] digests = new MessageDigest[algorithms.length];
    try {
      for (int i = 0; i < algorithms.length; i++) {
        digests[i] = MessageDigest.getInstance(algorithms[i]);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = BYTES.open()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        for (MessageDigest digest : digests) {
          digest.update(buffer, 0, n);
        }
      }
    }
    byte[] last = null;
    for (MessageDigest digest : digests) {
      last = digest.digest();
    }
    return last;
  }

  /** Upload into the memory store. */
  @Benchmark
  public Image uploadMemory(Stores stores, Upload upload) {
    return stores.upload(upload.id, MEMORY);
  }

  /** Upload into the file store. */
  @Benchmark
  public Image uploadFile(Stores stores, Upload upload) {
    return stores.upload(upload.id, FILE);
  }

  /** Download from the memory store, read to the end into a 1 MiB buffer. */
  @Benchmark
  public long downloadMemory(Stores stores, InMemory image) throws IOException {
    return readAll(stores.governance.data().download(OWNER, image.id));
  }

  /** Download from the file store, read to the end into a 1 MiB buffer. */
  @Benchmark
  public long downloadFile(Stores stores, OnDisk image) throws IOException {
    return readAll(stores.governance.data().download(OWNER, image.id));
  }

  /**
   * Baseline of {@link #downloadFile}: a plain {@code Files.newInputStream} of the file store's
   * file of the same image, read to the end into a 1 MiB {@code byte[]} as the download is.
   */
  @Benchmark
  public long fileStreamRead(OnDisk image) throws IOException {
    return readAll(Files.newInputStream(image.blob));
  }

  /**
   * Baseline of {@link #downloadFile}: the file store's own stream of the same blob ({@code
   * BlobStore.read}), read as the download is, without the governance.
   */
  @Benchmark
  public long fileStoreRead(Stores stores, OnDisk image) throws IOException {
    return readAll(stores.file.read(BlobKey.of(image.id)));
  }

  /**
   * Baseline of {@link #downloadMemory}: the memory store's own stream of the same blob ({@code
   * BlobStore.read}, the same chunks in memory), read as the download is, without the governance.
   */
  @Benchmark
  public long memoryStoreRead(Stores stores, InMemory image) throws IOException {
    return readAll(stores.memory.read(BlobKey.of(image.id)));
  }

  /**
   * Reference: a {@code FileChannel} read of the file store's file of the same image into a 1 MiB
   * heap {@code ByteBuffer} (a different stream shape from the download's).
   */
  @Benchmark
  public long fileChannelRead(OnDisk image) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    long total = 0;
    try (FileChannel channel = FileChannel.open(image.blob, StandardOpenOption.READ)) {
      for (int n = channel.read(buffer); n >= 0; n = channel.read(buffer)) {
        total += n;
        buffer.clear();
      }
    }
    return check(total);
  }

  private static long readAll(ImageDownload download) throws IOException {
    try (download) {
      return readAll(download.stream());
    }
  }

  /** Reads {@code stream} to its end into one 1 MiB buffer, closes it, checks the byte count. */
  private static long readAll(InputStream stream) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long total = 0;
    try (InputStream in = stream) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
      }
    }
    return check(total);
  }

  private static long check(long total) {
    if (total != SIZE) {
      throw new UncheckedIOException(new IOException("read " + total + " bytes, not " + SIZE));
    }
    return total;
  }
}
