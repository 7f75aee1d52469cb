package dev.imagegov.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.quota.UsageReport;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Quota contention: {@value #THREADS} threads of one project each create an image and upload
 * {@value #IMAGE_BYTES} bytes into it ({@code data().upload} into a {@link MemoryBlobStore}), and
 * keep their last {@value #KEPT} images: before an upload a thread deletes its oldest image if it
 * keeps {@value #KEPT} or its previous upload was refused (so refused threads give way and the
 * stored images churn). Together they want {@value #THREADS} × {@value #KEPT} images stored
 * while the project's limit allows {@value #ALLOWED}, so uploads race for the headroom and some
 * are refused (413); a refused image is deleted. One operation is one upload attempt, accepted
 * or refused ({@code accepted} and {@code refused} count them).
 *
 * <p>The limit is either {@code user_storage_quota} (in bytes) or the unified limit {@code
 * image_size_total} (in MiB), set to {@value #ALLOWED} images' worth. Same-run baseline: {@code
 * unlimited}, the same threads and operations with no limit.
 *
 * <p>The check: the project's stored bytes ({@code quotas().usage(...).storedBytes()}, the usage
 * store's committed figure, its one owner) are read after
 * every accepted upload, by a sampling thread every 100 µs, and at the end; the largest reading
 * and whether it ever exceeded the limit are written to {@code quota-check-LIMIT.json} in the
 * directory named by the system property {@code imagegov.bench.results} (default {@code
 * benchmarks/results}, relative to the working directory of {@code run.sh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(QuotaContentionBenchmark.THREADS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class QuotaContentionBenchmark {
  /** Uploading threads. */
  public static final int THREADS = 16;

  static final int IMAGE_BYTES = 64 * 1024;
  static final int KEPT = 8;
  static final int ALLOWED = 64;
  static final long LIMIT_BYTES = (long) ALLOWED * IMAGE_BYTES;
  private static final ProjectId PROJECT = Dataset.project(0);
  private static final Caller OWNER = Caller.member(Dataset.projectName(0));
  private static final Caller ADMIN = Caller.admin(Dataset.projectName(1));
  private static final byte[] DATA = new byte[IMAGE_BYTES];

  /** Which limit is in force. */
  @Param({"user_storage_quota", "image_size_total", "unlimited"})
  public String limit;

  private MemoryCatalog catalog;
  private ImageGovernance governance;
  private final AtomicLong maxCommitted = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private Thread sampler;

  /** Per-thread counts of accepted and refused uploads, reported by JMH as events. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Counts {
    /** Uploads accepted in this iteration. */
    public long accepted;

    /** Uploads refused for the limit in this iteration. */
    public long refused;

    final ArrayDeque<ImageId> kept = new ArrayDeque<>();
    boolean lastRefused;

    /** Resets the counts. */
    @Setup(Level.Iteration)
    public void reset() {
      accepted = 0;
      refused = 0;
    }
  }

  /** The governance with the limit, and the sampling thread. */
  @Setup(Level.Trial)
  public void start() {
    GovernanceConfig.Builder config = GovernanceConfig.builder();
    if (limit.equals("user_storage_quota")) {
      config.userStorageQuota(Long.toString(LIMIT_BYTES));
    } else if (limit.equals("image_size_total")) {
      config.unifiedLimits(
          StaticLimits.builder()
              .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, LIMIT_BYTES / UnifiedLimit.MIB)
              .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, -1)
              .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, -1)
              .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
              .build());
    } else if (!limit.equals("unlimited")) {
      throw new IllegalArgumentException("unknown limit " + limit);
    }
    catalog = new MemoryCatalog();
    governance =
        ImageGovernance.builder()
            .catalog(catalog)
            .config(config.build())
            .blobStore(MemoryBlobStore.builder(StoreId.of("memory")).build())
            .build();
    sampler =
        new Thread(
            () -> {
              while (running.get()) {
                sample();
                LockSupport.parkNanos(100_000);
              }
            },
            "quota-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private void sample() {
    UsageReport report = governance.quotas().usage(ADMIN, PROJECT);
    long committed = report.storedBytes();
    maxCommitted.accumulateAndGet(committed, Math::max);
    samples.incrementAndGet();
  }

  /** Stops the sampler, takes the last sample and writes the check. */
  @TearDown(Level.Trial)
  public void check() throws IOException, InterruptedException {
    running.set(false);
    sampler.join();
    sample();
    long end = governance.quotas().usage(ADMIN, PROJECT).storedBytes();
    boolean limited = !limit.equals("unlimited");
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("limit", limit);
    json.put("limitBytes", limited ? LIMIT_BYTES : -1);
    json.put("samples", samples.get());
    json.put("maxStoredBytes", maxCommitted.get());
    json.put("endStoredBytes", end);
    json.put("exceeded", limited && maxCommitted.get() > LIMIT_BYTES);
    Path dir = Path.of(System.getProperty("imagegov.bench.results", "benchmarks/results"));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("quota-check-" + limit + ".json"), json.toPrettyString());
  }

  /** One upload attempt: create, upload; keep it, or delete it if refused. */
  @Benchmark
  public void upload(Counts counts) {
    if (counts.kept.size() == KEPT || (counts.lastRefused && !counts.kept.isEmpty())) {
      governance.images().delete(OWNER, counts.kept.removeFirst());
    }
    ImageId id =
        governance
            .images()
            .create(
                OWNER,
                NewImage.builder()
                    .diskFormat("raw")
                    .containerFormat("bare")
                    .visibility(Visibility.PRIVATE)
                    .build())
            .id();
    try {
      governance
          .data()
          .upload(OWNER, id, new ByteArrayInputStream(DATA), OptionalLong.of(IMAGE_BYTES));
    } catch (GovernanceException e) {
      if (e.code() != RuleCode.STORAGE_QUOTA_EXCEEDED && e.code() != RuleCode.LIMIT_EXCEEDED) {
        throw e;
      }
      counts.refused++;
      counts.lastRefused = true;
      governance.images().delete(OWNER, id);
      return;
    }
    counts.accepted++;
    counts.lastRefused = false;
    counts.kept.addLast(id);
    sample();
  }
}
