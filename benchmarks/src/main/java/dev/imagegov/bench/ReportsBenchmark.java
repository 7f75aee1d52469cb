package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.QuotaPolicy;
import dev.imagegov.quota.QuotaRecommendation;
import dev.imagegov.report.CapacityReport;
import dev.imagegov.report.CleanupPlan;
import dev.imagegov.report.HygieneReport;
import dev.imagegov.report.HygieneRequest;
import dev.imagegov.report.ReconciliationReport;
import dev.imagegov.report.WhatIf;
import dev.imagegov.report.WhatIfReport;
import dev.imagegov.sharing.MemoryTenancy;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.Capacity;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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

/**
 * Each report of {@code reports()} and {@code quotas().recommend} over a {@link
 * Dataset#realistic realistic} {@code MemoryCatalog} of 1,000,000 images (and 100,000, for the
 * growth), every call one full streaming pass: the hygiene report, the cleanup plan of that
 * report, store capacity, reconciliation (of a usage port repaired once in the set-up, so the
 * measured call finds no drift), the quota recommendation, and a what-if of a limit change.
 * Same-run baseline: {@link #scan}, a bare {@code Catalog.forEach} over the same catalog
 * counting images, the floor of any streaming report.
 *
 * <p>The dataset's locations name the store {@code file}; the governance is given a synthetic
 * store of that id that holds a blob for every image (answering each lookup by key in constant
 * time) and lists no key, so that the catalog pass is what is measured, not a million missing
 * blobs. The clock stands 60 days after the dataset's first image: images left queued or saving
 * are stuck, none is stale yet.
 *
 * <p>The set-up (building the catalog, repairing the port, the report the plan is made from)
 * takes minutes at 1,000,000 images on a loaded machine, so it is kept in a static field and
 * shared by the benchmarks of one JVM: run with {@code -f 0} to pay it once for all of them
 * (every report only reads the catalog, so none changes what another measures).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g"})
public class ReportsBenchmark {
  /** Catalog size. */
  @Param({"100000", "1000000"})
  public int images;

  private static final Caller ADMIN = Caller.admin("admin");
  private static final Map<Integer, ReportsBenchmark> LOADED = new HashMap<>();
  private MemoryCatalog catalog;
  private ImageGovernance governance;
  private MemoryTenancy tenancy;
  private HygieneReport hygiene;

  /**
   * Loads the catalog, the tenancy of every project, and repairs the usage port once (or takes
   * what an earlier benchmark of this JVM loaded for the same size).
   */
  @Setup(Level.Trial)
  public void load() {
    ReportsBenchmark done;
    synchronized (LOADED) {
      done = LOADED.get(images);
      if (done == null) {
        build();
        LOADED.put(images, this);
        return;
      }
    }
    catalog = done.catalog;
    governance = done.governance;
    tenancy = done.tenancy;
    hygiene = done.hygiene;
  }

  private void build() {
    Dataset dataset = Dataset.realistic(images);
    catalog = dataset.load();
    MemoryTenancy.Builder t = MemoryTenancy.builder();
    for (int p = 0; p < dataset.projects(); p++) {
      t.project(Dataset.project(p));
    }
    tenancy = t.build();
    governance = ImageGovernance.builder().catalog(catalog)
        .clock(Clock.fixed(Dataset.T0.plus(Duration.ofDays(60)), ZoneOffset.UTC))
        .usage(new MemoryUsageStore())
        .blobStore(new EveryBlob(StoreId.of("file")))
        .build();
    governance.reports().reconcile(ADMIN, tenancy, true);
    hygiene = governance.reports().hygiene(ADMIN, HygieneRequest.of(tenancy));
    if (!governance.reports().reconcile(ADMIN, tenancy, false).isReconciled()) {
      throw new IllegalStateException("the repaired usage port still drifts");
    }
  }

  /** Baseline: one bare pass over the catalog. */
  @Benchmark
  public int scan() {
    AtomicInteger n = new AtomicInteger();
    catalog.forEach(i -> n.incrementAndGet());
    return n.get();
  }

  /** The hygiene report of the whole catalog. */
  @Benchmark
  public HygieneReport hygiene() {
    return governance.reports().hygiene(ADMIN, HygieneRequest.of(tenancy));
  }

  /** The cleanup plan of a hygiene report made in the set-up. */
  @Benchmark
  public CleanupPlan plan() {
    return governance.reports().plan(ADMIN, hygiene);
  }

  /** Store capacity and overcommit. */
  @Benchmark
  public CapacityReport capacity() {
    return governance.reports().capacity(ADMIN, tenancy);
  }

  /** Reconciliation without repair (the port agrees with the catalog). */
  @Benchmark
  public ReconciliationReport reconcile() {
    return governance.reports().reconcile(ADMIN, tenancy, false);
  }

  /** The quota recommendation for every project. */
  @Benchmark
  public QuotaRecommendation recommend() {
    return governance.quotas().recommend(ADMIN, tenancy, List.of(), QuotaPolicy.defaults());
  }

  /** A what-if of one project's limit raised. */
  @Benchmark
  public WhatIfReport whatIf() {
    return governance.reports().whatIf(ADMIN, tenancy,
        new WhatIf.SetLimit(Dataset.project(0), 1L << 40));
  }

  /**
   * A store of 1 PiB that holds a blob of 1 byte for every valid image id and lists none: the
   * benchmark's stand-in for the dataset's store, read-only.
   */
  static final class EveryBlob implements BlobStore {
    private final StoreId id;

    EveryBlob(StoreId id) {
      this.id = id;
    }

    @Override
    public StoreId id() {
      return id;
    }

    @Override
    public BlobWriteResult write(BlobKey key, InputStream in, long maxBytes, HashSpec hashes)
        throws IOException {
      throw new IOException("read-only benchmark store");
    }

    @Override
    public InputStream read(BlobKey key) throws IOException {
      throw new IOException("read-only benchmark store");
    }

    @Override
    public InputStream read(BlobKey key, long offset, long length) throws IOException {
      throw new IOException("read-only benchmark store");
    }

    @Override
    public OptionalLong size(BlobKey key) {
      return ImageId.isValid(key.value()) ? OptionalLong.of(1) : OptionalLong.empty();
    }

    @Override
    public boolean delete(BlobKey key) throws IOException {
      throw new IOException("read-only benchmark store");
    }

    @Override
    public Capacity capacity() {
      return new Capacity(1L << 50, 0);
    }

    @Override
    public List<BlobKey> keys() {
      return List.of();
    }

    @Override
    public String url(BlobKey key) {
      return "bench://" + id + "/" + key;
    }
  }
}
