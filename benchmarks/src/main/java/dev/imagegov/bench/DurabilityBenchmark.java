package dev.imagegov.bench;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.memory.MemoryCatalog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable mutations: each writer thread renames its own image with {@code compareAndSet}, one
 * change per operation, on a {@link FileCatalog} with the default options ({@code fsync} on:
 * every change is appended to the journal and forced to disk before the call returns; concurrent
 * writers share one force, the group commit), with 1 writer ({@link #oneWriter}) and 16 writers
 * ({@link #sixteenWriters}). Same-run baseline: the same mutations on a {@link MemoryCatalog}
 * ({@code store = memory}). Target: 16 writers at least 5× one writer on the file catalog.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DurabilityBenchmark {
  /** The catalog: {@code file} (durable) or {@code memory} (baseline). */
  @Param({"file", "memory"})
  public String store;

  private Path dir;
  private Catalog catalog;
  private final AtomicInteger writers = new AtomicInteger();

  /** Opens the catalog. */
  @Setup(Level.Trial)
  public void open() {
    if (store.equals("file")) {
      dir = TempDirs.create("durable");
      catalog = FileCatalog.open(dir);
    } else {
      catalog = new MemoryCatalog();
    }
  }

  /** Closes the file catalog and removes its directory. */
  @TearDown(Level.Trial)
  public void close() {
    if (catalog instanceof FileCatalog file) {
      file.close();
      TempDirs.delete(dir);
    }
  }

  /** One writer's image, its latest stored version and a change counter. */
  @State(Scope.Thread)
  public static class Writer {
    Image current;
    long changes;

    /** Inserts the writer's own image. */
    @Setup(Level.Trial)
    public void insert(DurabilityBenchmark shared) {
      int n = shared.writers.getAndIncrement();
      Instant now = Instant.now();
      current =
          shared.catalog.insert(
              Image.builder()
                  .id(Dataset.imageId(n))
                  .name("writer-" + n)
                  .status(ImageStatus.ACTIVE)
                  .visibility(Visibility.PRIVATE)
                  .owner(Dataset.project(n))
                  .createdAt(now)
                  .updatedAt(now)
                  .build());
    }
  }

  private Image mutate(Writer w) {
    Image next =
        w.current.toBuilder().name("rename-" + w.changes++).updatedAt(Instant.now()).build();
    w.current = catalog.compareAndSet(w.current.version(), next).orElseThrow();
    return w.current;
  }

  /** One writer. */
  @Benchmark
  @Threads(1)
  public Image oneWriter(Writer w) {
    return mutate(w);
  }

  /** Sixteen writers, each on its own image. */
  @Benchmark
  @Threads(16)
  public Image sixteenWriters(Writer w) {
    return mutate(w);
  }
}
