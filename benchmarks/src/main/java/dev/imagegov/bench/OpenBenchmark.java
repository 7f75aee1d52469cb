package dev.imagegov.bench;

import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.file.FileCatalogOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
 * Opening a {@link FileCatalog} of a {@link Dataset#realistic realistic} 1,000,000 images (with
 * its 2% tombstones), each open a single shot: recovery reads the newest snapshot and replays the
 * journal after it, then the catalog is closed. The catalog is built once per fork, untimed, with
 * {@code fsync} off (a million forced commits would take far longer than the open they prepare)
 * and the default snapshot interval (100,000 records), then closed; opening uses the default
 * options. Same-run baseline: {@link #memoryInserts}, building the same {@code MemoryCatalog} by
 * inserting the images one by one (and deleting the deleted ones), generation included. Target:
 * opening in under 10 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class OpenBenchmark {
  /** Catalog size. */
  @Param({"1000000"})
  public int images;

  /** The catalog on disk, built once per fork. */
  @State(Scope.Benchmark)
  public static class OnDisk {
    Path dir;

    /** Builds the catalog and closes it. */
    @Setup(Level.Trial)
    public void build(OpenBenchmark benchmark) {
      dir = TempDirs.create("open");
      long start = System.nanoTime();
      try (FileCatalog catalog =
          FileCatalog.open(dir, FileCatalogOptions.builder().fsync(false).build())) {
        Dataset.realistic(benchmark.images).loadInto(catalog);
      }
      System.out.printf(
          "%nbuilt %,d images in %.1f s (fsync off): %,d bytes on disk%n",
          benchmark.images, (System.nanoTime() - start) / 1e9, TempDirs.size(dir));
    }

    /** Removes the catalog. */
    @TearDown(Level.Trial)
    public void remove() {
      TempDirs.delete(dir);
    }
  }

  /** Opens the catalog and closes it; answers the number of images. */
  @Benchmark
  public long open(OnDisk disk) {
    try (FileCatalog catalog = FileCatalog.open(disk.dir)) {
      long size = catalog.size();
      if (size == 0) {
        throw new IllegalStateException("opened an empty catalog");
      }
      return size;
    }
  }

  /** Baseline: the same catalog built in memory by inserts. */
  @Benchmark
  public long memoryInserts() {
    return Dataset.realistic(images).load().size();
  }
}
