package dev.imagegov.bench;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.access.ImageTarget;
import dev.imagegov.access.Policy;
import dev.imagegov.access.Rules;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.store.memory.MemoryCatalog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Access decisions by id on one thread, over a {@link Dataset#realistic realistic} catalog of
 * 100,000 images: 4,096 (caller, image) pairs where the caller may see the image (its owner, a
 * member of any status of a shared image, or anyone for a public or community one), visited in
 * turn. {@link #get} and {@link #explain} build a fresh {@code Caller} per request from the
 * project's id text, as a server builds one from each request's token, so the caller's derived
 * policy facts are computed per decision (the target of at least 2,000,000 decisions per second
 * is for fresh callers).
 *
 * <p>{@link #get} is {@code images().get(caller, id)}: catalog read, by-id visibility, {@code
 * get_image} policy and the caller's view of the image (a non-owner member sees only its own
 * membership, which rebuilds the image). {@link #explain} is {@code access().explain(caller, id,
 * GET)}, the operator tool with its rule traces. Same-run baselines: {@link #hashMapGet}, a
 * plain {@code HashMap.get} of the same ids, and {@link #policyAllowsGetImage}, the compiled
 * {@code get_image} rule alone on the same pairs (with callers built once: the rule's cost
 * alone).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class AccessBenchmark {
  static final int CATALOG = 100_000;
  private static final int PAIRS = 4_096;

  private ImageGovernance governance;
  private Policy policy;
  private final String[] names = new String[PAIRS];
  private final Caller[] callers = new Caller[PAIRS];
  private final ImageId[] ids = new ImageId[PAIRS];
  private final Image[] images = new Image[PAIRS];
  private final Map<ImageId, Image> byId = new HashMap<>();
  private int next;

  /** Loads the catalog and picks the pairs; each pair is checked to be allowed. */
  @Setup(Level.Trial)
  public void load() {
    Dataset dataset = Dataset.realistic(CATALOG);
    MemoryCatalog catalog = dataset.load();
    catalog.forEach(image -> byId.put(image.id(), image));
    governance = ImageGovernance.builder().catalog(catalog).build();
    policy = governance.config().policy();
    List<Dataset.Pair> pairs = dataset.visiblePairs(PAIRS);
    for (int i = 0; i < PAIRS; i++) {
      names[i] = Dataset.projectName(pairs.get(i).project());
      callers[i] = Caller.member(names[i]);
      ids[i] = Dataset.imageId(pairs.get(i).image());
      images[i] = byId.get(ids[i]);
      governance.images().get(callers[i], ids[i]);
      if (!governance.access().explain(callers[i], ids[i], Action.GET).allowed()) {
        throw new IllegalStateException("explain refuses pair " + i);
      }
    }
  }

  private int nextPair() {
    return next++ & (PAIRS - 1);
  }

  /** A by-id read with visibility and policy, as the caller may see the image; fresh caller. */
  @Benchmark
  public Image get() {
    int i = nextPair();
    return governance.images().get(Caller.member(names[i]), ids[i]);
  }

  /** The explained decision for the same read; fresh caller. */
  @Benchmark
  public AccessExplanation explain() {
    int i = nextPair();
    return governance.access().explain(Caller.member(names[i]), ids[i], Action.GET);
  }

  /** Baseline: a plain hash map lookup of the same image. */
  @Benchmark
  public Image hashMapGet() {
    return byId.get(ids[nextPair()]);
  }

  /** Baseline: the compiled {@code get_image} rule on the same (caller, image) pair. */
  @Benchmark
  public boolean policyAllowsGetImage() {
    int i = nextPair();
    return policy.allows(Rules.GET_IMAGE, callers[i], ImageTarget.of(images[i], callers[i]));
  }
}
