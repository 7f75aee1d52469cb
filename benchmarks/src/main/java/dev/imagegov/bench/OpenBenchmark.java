package dev.imagegov.bench;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.file.FileCatalogOptions;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Opening a {@link FileCatalog} of a {@link Dataset#realistic realistic} 100,000 or 1,000,000
 * images (with its 2% tombstones), each open a single shot: recovery reads the newest snapshot
 * (binary since format version 4) and replays the journal after it, then the catalog is closed.
 * The catalog is built once per fork, untimed, with {@code fsync} off (a million forced commits
 * would take far longer than the open they prepare) and the default snapshot interval (100,000
 * records), then closed and every file forced to disk, so no measured open reads a file still
 * dirty in the page cache; opening uses the default options. With {@code
 * -Dimagegov.bench.dropCaches=true} (root only) the page cache is also dropped before each
 * iteration ({@code /proc/sys/vm/drop_caches}), so the open reads the files from the disk; the
 * setup prints whether it could.
 *
 * <p>Same-run baseline: {@link #memoryInserts}, building the same {@code MemoryCatalog} by
 * inserting the images one by one (and deleting the deleted ones), from images generated before
 * the timed part (generation excluded). Target: opening 1,000,000 images in at most 3 s and at
 * least 5 times faster than the inserts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
// The heap in jvmArgs, not jvmArgsAppend: a -jvmArgsAppend on the command line (to drop caches)
// replaces the annotation's, and so ran earlier runs on the default heap.
@Fork(value = 1, jvmArgs = {"-Xms6g", "-Xmx6g"})
public class OpenBenchmark {
  /** Catalog size. */
  @Param({"100000", "1000000"})
  public int images;

  /** The catalog on disk, built once per fork. */
  @State(Scope.Benchmark)
  public static class OnDisk {
    Path dir;

    /** Builds the catalog, closes it and forces its files. */
    @Setup(Level.Trial)
    public void build(OpenBenchmark benchmark) {
      dir = TempDirs.create("open");
      long start = System.nanoTime();
      try (FileCatalog catalog =
          FileCatalog.open(dir, FileCatalogOptions.builder().fsync(false).build())) {
        Dataset.realistic(benchmark.images).loadInto(catalog);
      }
      forceAll(dir);
      System.out.printf(
          "%nbuilt %,d images in %.1f s (fsync off, then forced): %,d bytes on disk: %s%n",
          benchmark.images, (System.nanoTime() - start) / 1e9, TempDirs.size(dir), files(dir));
    }

    /** Drops the page cache when asked to and allowed. */
    @Setup(Level.Iteration)
    public void coldCache() {
      if (Boolean.getBoolean("imagegov.bench.dropCaches")) {
        try {
          Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "1", StandardCharsets.US_ASCII);
          System.out.printf("%npage cache dropped%n");
        } catch (IOException e) {
          System.out.printf("%npage cache not dropped (%s)%n", e);
        }
      }
    }

    /** Removes the catalog. */
    @TearDown(Level.Trial)
    public void remove() {
      TempDirs.delete(dir);
    }
  }

  /** The images of the baseline, generated once per fork, untimed. */
  @State(Scope.Benchmark)
  public static class Generated {
    Image[] all;
    boolean[] deleted;

    /** Generates the dataset. */
    @Setup(Level.Trial)
    public void generate(OpenBenchmark benchmark) {
      Dataset dataset = Dataset.realistic(benchmark.images);
      all = new Image[benchmark.images];
      deleted = new boolean[benchmark.images];
      for (int n = 0; n < all.length; n++) {
        all[n] = dataset.image(n);
        deleted[n] = dataset.deleted(n);
      }
    }
  }

  /**
   * Prints the CPU time the whole process (every thread, the collector's included) spent in each
   * iteration beside its wall time (on a loaded machine the CPU seconds move less than the wall
   * seconds), and the bytes all threads allocated in it: JMH's {@code -prof gc} counts a first
   * iteration's trial setup too (building the catalog), so its B/op of a cold single shot ({@code
   * -wi 0}) is not the open's.
   */
  @State(Scope.Benchmark)
  public static class Cpu {
    private long cpuStart;
    private long wallStart;
    private long allocatedStart;

    /** Notes the process's CPU time and allocated bytes. */
    @Setup(Level.Iteration)
    public void start() {
      cpuStart = cpuNanos();
      allocatedStart = allocatedBytes();
      wallStart = System.nanoTime();
    }

    /** Prints the CPU and wall time and the bytes allocated since {@link #start}. */
    @TearDown(Level.Iteration)
    public void stop() {
      System.out.printf("%nprocess CPU %.2f s in %.2f s of wall time, %,d bytes allocated%n",
          (cpuNanos() - cpuStart) / 1e9, (System.nanoTime() - wallStart) / 1e9,
          allocatedBytes() - allocatedStart);
    }

    /** Bytes allocated by every thread since the JVM started, ended threads included. */
    private static long allocatedBytes() {
      return ((com.sun.management.ThreadMXBean)
          java.lang.management.ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }

    private static long cpuNanos() {
      return ((com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
  }

  private static void forceAll(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : (Iterable<Path>) paths.filter(Files::isRegularFile)::iterator) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String files(Path dir) {
    try (Stream<Path> paths = Files.list(dir)) {
      StringBuilder b = new StringBuilder();
      paths.filter(Files::isRegularFile).sorted().forEach(p -> b.append(p.getFileName())
          .append('=').append(p.toFile().length()).append(' '));
      return b.toString().trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Opens the catalog and closes it; answers the number of images. */
  @Benchmark
  public long open(OnDisk disk, Cpu cpu) {
    try (FileCatalog catalog = FileCatalog.open(disk.dir)) {
      long size = catalog.size();
      if (size == 0) {
        throw new IllegalStateException("opened an empty catalog");
      }
      return size;
    }
  }

  /** Baseline: the same catalog built in memory by inserts, from images generated before. */
  @Benchmark
  public long memoryInserts(Generated generated, Cpu cpu) {
    MemoryCatalog catalog = new MemoryCatalog();
    Image[] all = generated.all;
    for (int n = 0; n < all.length; n++) {
      Image stored = catalog.insert(all[n]);
      if (generated.deleted[n]) {
        catalog.delete(stored.id(), stored.version(), ImageStatus.DELETED, Dataset.T0);
      }
    }
    return catalog.size();
  }
}
