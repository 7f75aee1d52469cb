package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.query.ListRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the list-page benchmarks share: the catalog sizes, the page asked for (the first, or the
 * one after the row at half the list), and the benchmark itself, that page through {@code
 * images().list} by a fresh {@code Caller} per request. A subclass loads its catalog into {@link
 * #governance}, names the caller and sets the page with {@link #choosePage}; it inherits the
 * measurement's settings (average time in microseconds, one fork with a 3 GiB heap).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public abstract class ListPageBenchmark {
  /** Catalog size. */
  @Param({"10000", "1000000"})
  public int images;

  /** Which page: the first, or the one after the row at half the list. */
  @Param({"first", "deep"})
  public String page;

  /** The governance over the loaded catalog; set by the subclass's set-up. */
  ImageGovernance governance;

  private ListRequest request;

  /**
   * The page.
   *
   * @return the page as the caller sees it
   */
  @Benchmark
  public ImageList list() {
    return governance.images().list(caller(), request);
  }

  /** {@return a fresh caller, the one who lists} */
  abstract Caller caller();

  /**
   * Sets the page the benchmark lists: {@code base} for the first page, else {@code base} after
   * the marker of the row at half of what it lists (walking the list once).
   *
   * @param base the request of the first page
   * @return every id {@code base} lists, in order, for the deep page; empty for the first page
   */
  List<ImageId> choosePage(ListRequest base) {
    if (page.equals("first")) {
      request = base;
      return List.of();
    }
    List<ImageId> ids = walk(governance, caller(), base);
    request = base.with("marker", ids.get(ids.size() / 2).value());
    return ids;
  }

  /**
   * Every id {@code base} lists for {@code caller}, in order, following the list's markers.
   *
   * @param governance the governance to list through
   * @param caller who lists
   * @param base the request of the first page
   * @return every id listed, in order
   */
  static List<ImageId> walk(ImageGovernance governance, Caller caller, ListRequest base) {
    List<ImageId> ids = new ArrayList<>();
    ListRequest walk = base.with("limit", "1000");
    while (true) {
      ImageList rows = governance.images().list(caller, walk);
      rows.images().forEach(i -> ids.add(i.id()));
      Optional<ImageId> next = rows.nextMarker();
      if (next.isEmpty()) {
        return ids;
      }
      walk = base.with("limit", "1000").with("marker", next.get().value());
    }
  }
}
