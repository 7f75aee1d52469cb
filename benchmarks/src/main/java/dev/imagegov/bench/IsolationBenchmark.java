package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.access.IsolationOracle;
import dev.imagegov.access.IsolationReport;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.store.memory.MemoryCatalog;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Isolation verification at scale: {@code access().verifyIsolation} of 1,000 projects over a
 * {@link Dataset#realistic realistic} catalog of 10,000 images (its projects 0 to 999 of 2,000),
 * one single shot per iteration on one thread, against core's oracle.
 *
 * <p>Same-run baseline: {@link #naiveGetsForTenProjects}, the approach the verifier avoids, one
 * {@code images().get} per image for 10 of the projects (100,000 calls; the 10,000,000 calls of
 * all 1,000 projects take about 100 times as long). The set-up checks that the verification of
 * the dataset is clean (no finding), so the figure is that of a correct run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class IsolationBenchmark {
  static final int IMAGES = 10_000;
  static final int PROJECTS = 1_000;
  private static final int NAIVE_PROJECTS = 10;
  private static final Caller ADMIN = Caller.admin("isolation-admin");

  private ImageGovernance governance;
  private final List<ProjectId> projects = new ArrayList<>();
  private final List<ImageId> ids = new ArrayList<>();

  /** Loads the catalog and checks that a verification of it is clean. */
  @Setup(Level.Trial)
  public void load() {
    Dataset dataset = Dataset.realistic(IMAGES);
    MemoryCatalog catalog = dataset.load();
    catalog.forEach(image -> ids.add(image.id()));
    governance = ImageGovernance.builder().catalog(catalog).build();
    for (int p = 0; p < PROJECTS; p++) {
      projects.add(Dataset.project(p));
    }
    IsolationReport report = verify();
    if (!report.clean()) {
      throw new IllegalStateException(report.findings().size() + " findings, the first "
          + report.findings().get(0));
    }
  }

  /** The whole verification: 1,000 projects, 10,000 images. */
  @Benchmark
  public IsolationReport verify() {
    return governance.access().verifyIsolation(ADMIN, projects, TenancyDirectory.none(),
        IsolationOracle.glanceRules());
  }

  /** Baseline: a by-id get of every image for 10 projects (1% of the naive approach). */
  @Benchmark
  public int naiveGetsForTenProjects() {
    int found = 0;
    for (int p = 0; p < NAIVE_PROJECTS; p++) {
      Caller caller = Caller.member(projects.get(p).value());
      for (ImageId id : ids) {
        try {
          governance.images().get(caller, id);
          found++;
        } catch (GovernanceException notFound) {
          // an image the project may not see: the answer the naive approach counts
        }
      }
    }
    return found;
  }
}
