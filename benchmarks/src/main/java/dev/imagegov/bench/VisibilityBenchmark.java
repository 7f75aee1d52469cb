package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Visibility;
import dev.imagegov.store.memory.MemoryCatalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Changing visibility: the owner flips its shared and private images ({@code
 * images().setVisibility}), each call a real change, over the active shared and private images of
 * a {@link Dataset#realistic realistic} 100,000-image catalog (their members stay, dormant while
 * private). Same-run baseline: {@link #rawCompareAndSet}, the same change written straight to
 * the catalog.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class VisibilityBenchmark {
  private static final int CATALOG = 100_000;

  private MemoryCatalog catalog;
  private ImageGovernance governance;
  private ImageId[] ids;
  private Caller[] owners;
  private Visibility[] current;
  private int next;

  /** Loads the catalog and picks the owner-changeable images. */
  @Setup(Level.Trial)
  public void load() {
    Dataset dataset = Dataset.realistic(CATALOG);
    catalog = dataset.load();
    governance = ImageGovernance.builder().catalog(catalog).build();
    List<Image> flippable = new ArrayList<>();
    catalog.forEach(
        image -> {
          if (image.status() == ImageStatus.ACTIVE
              && (image.visibility() == Visibility.SHARED
                  || image.visibility() == Visibility.PRIVATE)) {
            flippable.add(image);
          }
        });
    ids = new ImageId[flippable.size()];
    owners = new Caller[flippable.size()];
    current = new Visibility[flippable.size()];
    for (int i = 0; i < ids.length; i++) {
      Image image = flippable.get(i);
      ids[i] = image.id();
      owners[i] = Caller.member(image.owner().orElseThrow().value());
      current[i] = image.visibility();
    }
  }

  private int flip() {
    int i = next;
    next = next + 1 == ids.length ? 0 : next + 1;
    current[i] = current[i] == Visibility.SHARED ? Visibility.PRIVATE : Visibility.SHARED;
    return i;
  }

  /** The owner switches an image between shared and private. */
  @Benchmark
  public Image setVisibility() {
    int i = flip();
    return governance.images().setVisibility(owners[i], ids[i], current[i]);
  }

  /** Baseline: the same change as a plain compare-and-set on the catalog. */
  @Benchmark
  public Image rawCompareAndSet() {
    int i = flip();
    Image image = catalog.find(ids[i]).orElseThrow();
    return catalog.compareAndSet(
        image.version(),
        image.toBuilder().visibility(current[i]).updatedAt(Instant.now()).build()).orElseThrow();
  }
}
