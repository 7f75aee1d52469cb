package dev.imagegov.bench;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.query.ListQueryParser;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.store.memory.MemoryCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * The naive baseline of {@link ListBenchmark#page}: the same first-page query, built from the
 * same empty list request as the facade builds it, answered by {@link QueryEvaluator#evaluate}
 * scanning every live image of the same catalog (at 10,000 and 100,000 images). The ratio to
 * {@link ListBenchmark#page} at the same size is what the indexes save.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class NaiveListBenchmark {
  private static final int CALLERS = 256;

  /** Catalog size. */
  @Param({"10000", "100000"})
  public int images;

  private final List<Image> live = new ArrayList<>();
  private final Map<ImageId, Image> byId = new HashMap<>();
  private final CatalogQuery[] queries = new CatalogQuery[CALLERS];
  private int next;

  /** Loads the same catalog as {@link ListBenchmark} and takes its live images. */
  @Setup(Level.Trial)
  public void load() {
    Dataset dataset = Dataset.realistic(images);
    MemoryCatalog catalog = dataset.load();
    catalog.forEach(live::add);
    for (Image image : live) {
      byId.put(image.id(), image);
    }
    CatalogQuery parsed = ListQueryParser.glanceDefaults().parse(ListRequest.empty());
    for (int i = 0; i < CALLERS; i++) {
      ProjectId project = Dataset.project(i * dataset.projects() / CALLERS);
      queries[i] =
          CatalogQuery.builder().from(parsed).seesAll(false).project(project).build();
      List<Image> page = evaluate(queries[i]);
      if (!page.equals(catalog.query(queries[i]))) {
        throw new IllegalStateException("scan and index disagree for caller " + i);
      }
    }
  }

  private List<Image> evaluate(CatalogQuery query) {
    return QueryEvaluator.evaluate(query, live, id -> Optional.ofNullable(byId.get(id)));
  }

  /** The first page of a member project's default list, by scanning. */
  @Benchmark
  public List<Image> scanPage() {
    return evaluate(queries[next++ & (CALLERS - 1)]);
  }
}
