package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.model.Image;
import dev.imagegov.store.memory.MemoryCatalog;
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

/**
 * The default list of a member project (public, its own, and shared with it as an accepted
 * member) through the facade, {@code images().list(caller, ListRequest.empty())}, on a {@code
 * MemoryCatalog} holding a {@link Dataset#realistic realistic} catalog of 10,000, 100,000 or
 * 1,000,000 images.
 *
 * <p>{@link #page} is the first page of 25 for one of 256 member projects spread over all
 * projects, a different one each call; {@link #walk} follows the {@code next} markers from the
 * first page to the last for one fixed project (the one numbered {@code projects / 2}), whose
 * list size {@link Dataset#defaultListSize} gives and the set-up checks. {@link #catalogPage} is
 * the catalog's share of {@link #page}. Same-run baselines: the page at 10,000 images (ratio
 * 1,000,000 / 10,000); {@link #sortedSetPage}, the fair baseline of a page (the same first page
 * of the same 256 consumers taken from a sorted set per consumer, {@link SortedSetLists}: a seek
 * and a walk of 25, the least work any store could do for it); and {@link NaiveListBenchmark}
 * (the same query answered by a full scan and sort, to show what the indexes save, not a fair
 * baseline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class ListBenchmark {
  /** Catalog size. */
  @Param({"10000", "100000", "1000000"})
  public int images;

  private MemoryCatalog catalog;
  private ListWorkload workload;
  private SortedSetLists sortedSets;
  private int nextSorted;

  /** Loads the catalog and checks that every list is what the dataset says it is. */
  @Setup(Level.Trial)
  public void load() {
    Dataset dataset = Dataset.realistic(images);
    catalog = dataset.load();
    workload = new ListWorkload(dataset, ImageGovernance.builder().catalog(catalog).build());
    sortedSets = new SortedSetLists(catalog, workload.queries);
    int expected = dataset.defaultListSize(0);
    if (sortedSets.size(0) != expected) {
      throw new IllegalStateException(
          "sorted set of consumer 0 holds " + sortedSets.size(0) + " images, not " + expected);
    }
  }

  /** The first page of a member project's default list. */
  @Benchmark
  public ImageList page() {
    return workload.page();
  }

  /**
   * The catalog's part of {@link #page}: the same query ({@code CatalogQuery} as the facade
   * builds it from an empty request) answered by {@code MemoryCatalog.query} directly, without
   * the facade's policy check per row, view and links.
   */
  @Benchmark
  public List<Image> catalogPage() {
    return workload.catalogPage(catalog);
  }

  /**
   * Baseline: the same first page of the same consumer as {@link #page} (same rotation over the
   * 256 consumers), the first 25 elements of that consumer's own sorted set of the images its
   * default list shows ({@link SortedSetLists}, checked in the set-up to give the catalog's page).
   */
  @Benchmark
  public List<Image> sortedSetPage() {
    return sortedSets.page(nextSorted++ & (ListWorkload.CALLERS - 1));
  }

  /** Every page of one member project's default list; answers the number of images. */
  @Benchmark
  public int walk() {
    return workload.walk();
  }
}
