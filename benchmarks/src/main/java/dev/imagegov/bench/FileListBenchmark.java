package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.model.Image;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.file.FileCatalogOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * {@link ListBenchmark} on the durable file store: the same default list of a member project,
 * through the same facade call, on a {@link FileCatalog} in a temporary directory holding the
 * same {@link Dataset#realistic realistic} catalog.
 *
 * <p>The catalog is loaded once per fork with {@code fsync} off (loading 100,000 forced commits
 * would take minutes and measures nothing a list pays for), then closed and opened again with
 * the default options ({@code fsync} on), so the lists run on a catalog recovered from disk as a
 * restarted service would. Reads never touch the disk: the file catalog answers them from its
 * in-memory working state. Same-run baselines: {@link ListBenchmark} (the memory store) and the
 * page at 10,000 images.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class FileListBenchmark {
  /** Catalog size. */
  @Param({"10000", "100000", "1000000"})
  public int images;

  private Path dir;
  private FileCatalog catalog;
  private ListWorkload workload;

  /** Loads the catalog, reopens it and checks every list as {@link ListBenchmark} does. */
  @Setup(Level.Trial)
  public void load() {
    Dataset dataset = Dataset.realistic(images);
    dir = TempDirs.create("list");
    try (FileCatalog loading =
        FileCatalog.open(dir, FileCatalogOptions.builder().fsync(false).build())) {
      dataset.loadInto(loading);
    }
    catalog = FileCatalog.open(dir);
    workload = new ListWorkload(dataset, ImageGovernance.builder().catalog(catalog).build());
  }

  /** Closes the catalog and removes its directory. */
  @TearDown(Level.Trial)
  public void remove() {
    catalog.close();
    TempDirs.delete(dir);
  }

  /** The first page of a member project's default list. */
  @Benchmark
  public ImageList page() {
    return workload.page();
  }

  /** The catalog's part of {@link #page}: {@code FileCatalog.query} directly. */
  @Benchmark
  public List<Image> catalogPage() {
    return workload.catalogPage(catalog);
  }

  /** Every page of one member project's default list; answers the number of images. */
  @Benchmark
  public int walk() {
    return workload.walk();
  }
}
