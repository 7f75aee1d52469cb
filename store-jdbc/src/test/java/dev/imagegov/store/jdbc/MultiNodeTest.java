package dev.imagegov.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.quota.ImageUsage;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.report.Finding;
import dev.imagegov.report.FindingKind;
import dev.imagegov.report.HygieneReport;
import dev.imagegov.report.HygieneRequest;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.store.s3.S3BlobStore;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several application nodes, each a JVM of its own ({@link MultiNodeWorker}), on one PostgreSQL
 * schema and one S3 store ({@link SharedS3}, a real S3 server in this JVM): they create, upload,
 * read back, patch, share and delete concurrently in two projects under hard limits of stored
 * bytes and images, and two of them are killed with SIGKILL, one half-way through a multipart
 * upload (holding a reservation), one at whatever it is doing when its fifth line arrives. The
 * test waits only for signals (the nodes' output lines and their exit), never for a duration,
 * and checks:
 *
 * <ul>
 *   <li>no quota is ever exceeded: each project's committed plus reserved usage, sampled after
 *       every line a node prints, stays within its limits, and so does the catalog at the end;
 *   <li>no acknowledged write is lost: every image whose creation, upload, patch or new member
 *       a node acknowledged is in the catalog with it (unless a node acknowledged its deletion);
 *   <li>usage is reconciled without repair: each project's committed usage equals what its
 *       images in the catalog contribute, killed nodes included (an image change and its usage
 *       commit in one transaction), and once the killed nodes' leases have run out (read through
 *       a store whose clock is a lease ahead, rather than by waiting) nothing is reserved;
 *   <li>every node read back whole, with the MD5 of its checksum, the data it picked (often
 *       another node's upload), and so does this JVM, as one more node, for every image whose
 *       upload was acknowledged and not deleted;
 *   <li>no data is left unaccounted for in S3: every object in the bucket is a location of a
 *       live image, or a finding of the hygiene report (data of a deleted image, or of an image
 *       a killed node left {@code saving}: the stuck period is zero, since every node has ended),
 *       and no acknowledged deletion left an unreported object; the multipart upload the node
 *       killed mid-upload left (which S3 never lists as an object) is found and aborted.
 * </ul>
 *
 * <p>{@code -Dimagegov.multinode.ops=N} sets the operations per node (default 12) and {@code
 * -Dimagegov.multinode.nodes=N} the number of nodes (default 4, at least 4: two are killed).
 * The seed of node {@code k} is {@code 1000 + k}.
 */
class MultiNodeTest {
  private static final int OPS = Integer.getInteger("imagegov.multinode.ops", 12);
  private static final int NODES = Math.max(4, Integer.getInteger("imagegov.multinode.nodes", 4));
  private static final String SCHEMA = "multinode";
  private static final String BUCKET = "multinode";
  /** Node 0 is killed half-way through an upload; node 1 when its fifth line arrives. */
  private static final int MID_UPLOAD = 0;
  private static final int ANYWHERE = 1;
  private static final int ANYWHERE_AFTER_LINES = 5;

  private record Line(int node, String text) {}

  @Test
  void nodesKilledMidWriteLoseNoAcknowledgedWriteAndOverrunNoQuota() throws Exception {
    Phases phases = new Phases();
    JdbcStore store = TestDatabase.store(SCHEMA);
    store.catalog().clear();
    store.usage().clear();
    phases.mark("postgres");
    Path logs = Files.createDirectories(Path.of("target", "multinode"));
    BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    List<Process> nodes = new ArrayList<>();
    List<Writer> stdins = new ArrayList<>();
    // The nodes' JVMs start (the longest part of the run) while the S3 server starts here; each
    // node opens its PostgreSQL store meanwhile, and its S3 store once told where the server is.
    for (int k = 0; k < NODES; k++) {
      Process p = new ProcessBuilder(javaBinary(), "-Xmx192m", "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
          MultiNodeWorker.class.getName(), TestDatabase.jdbcUrl(), SCHEMA,
          Integer.toString(k), Integer.toString(OPS), Long.toString(1000 + k),
          k == MID_UPLOAD ? "victim" : "survivor", BUCKET)
          .redirectError(logs.resolve("node-" + k + ".err").toFile())
          .start();
      nodes.add(p);
      stdins.add(new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
      int node = k;
      Thread reader = new Thread(() -> pump(node, p, lines), "node-" + k + "-output");
      reader.setDaemon(true);
      reader.start();
    }
    phases.mark("nodes started");
    try (SharedS3 s3 = new SharedS3(BUCKET)) {
      phases.mark("s3");
      for (Writer in : stdins) {
        in.write("S3 " + s3.endpoint() + "\n");
        in.flush();
      }
      // This JVM's own S3 store, for the checks at the end, opens while the nodes run.
      CompletableFuture<S3BlobStore> checker = CompletableFuture.supplyAsync(
          () -> S3BlobStore.open(SharedS3.STORE, SharedS3.options(s3.endpoint(), BUCKET)));
      run(store, checker, phases, logs, lines, nodes, stdins);
    } finally {
      nodes.forEach(Process::destroyForcibly); // only left running if the test failed
    }
  }

  private void run(JdbcStore store, CompletableFuture<S3BlobStore> checker, Phases phases,
      Path logs,
      BlockingQueue<Line> lines, List<Process> nodes, List<Writer> stdins) throws Exception {
    Acknowledged acks = new Acknowledged();
    Set<Integer> ended = new HashSet<>();
    Set<Integer> ready = new HashSet<>();
    Map<Integer, Integer> lineCount = new HashMap<>();
    List<String> problems = new ArrayList<>();
    long samples = 0;
    boolean killedMidUpload = false;
    Map<String, Integer> refused = new java.util.TreeMap<>();
    while (ended.size() < NODES) {
      Line line = lines.poll(5, TimeUnit.MINUTES); // a bound for a hung run, not a wait
      assertThat(line).as("a node printed nothing for five minutes: see %s", logs).isNotNull();
      if (line.text() == null) {
        ended.add(line.node());
        continue;
      }
      String[] w = line.text().split(" ");
      switch (w[0]) {
        case "READY":
          ready.add(line.node());
          if (ready.size() == NODES) {
            phases.mark("nodes ready");
            for (Writer in : stdins) {
              in.write("GO\n");
              in.flush();
            }
          }
          break;
        case "ACK":
          acks.add(w);
          break;
        case "MID":
          if (line.node() == MID_UPLOAD) {
            nodes.get(MID_UPLOAD).destroyForcibly(); // SIGKILL, holding its upload's reservation
            killedMidUpload = true;
          }
          break;
        case "REFUSED":
          refused.merge(w[1] + " " + w[2], 1, Integer::sum);
          break;
        case "DONE":
          break;
        default:
          problems.add("node " + line.node() + ": " + line.text());
      }
      if (line.node() == ANYWHERE
          && lineCount.merge(ANYWHERE, 1, Integer::sum) == ANYWHERE_AFTER_LINES) {
        nodes.get(ANYWHERE).destroyForcibly(); // SIGKILL, whatever it is doing
      }
      for (String project : MultiNodeWorker.PROJECTS) {
        samples++;
        assertWithinLimits(store.usage().snapshot(ProjectId.of(project)), "during the run");
      }
    }
    phases.mark("run");
    for (int k = 0; k < NODES; k++) {
      Process p = nodes.get(k);
      assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("node %s ended", k).isTrue();
      if (k != MID_UPLOAD && k != ANYWHERE) {
        assertThat(p.exitValue()).as("survivor node %s exit status (see %s)", k, logs).isZero();
      }
    }
    phases.mark("nodes exited");
    assertThat(problems).as("unexpected lines").isEmpty();
    assertThat(killedMidUpload).as("node %s was killed half-way through an upload", MID_UPLOAD)
        .isTrue();
    assertThat(lineCount.getOrDefault(ANYWHERE, 0))
        .as("node %s was killed at its line %s", ANYWHERE, ANYWHERE_AFTER_LINES)
        .isGreaterThanOrEqualTo(ANYWHERE_AFTER_LINES);
    Files.writeString(logs.resolve("summary.txt"), "nodes " + NODES + ", operations per node "
        + OPS + ", usage samples " + samples + "\nacknowledged: created " + acks.created.size()
        + ", uploaded " + acks.uploaded.size() + ", patched " + acks.properties.size()
        + ", shared " + acks.members.size() + ", deleted " + acks.deleted.size()
        + ", read back " + acks.read.size()
        + "\nrefused: " + refused + "\nphases: " + phases + "\n");
    assertThat(acks.created).as("the nodes created images").isNotEmpty();
    assertThat(samples).isPositive();

    Map<ImageId, Image> catalog = new HashMap<>();
    store.catalog().forEach(i -> catalog.put(i.id(), i));
    acks.assertKept(catalog);
    phases.mark("catalog read");

    Map<ProjectId, UsageDelta> fromCatalog = new HashMap<>();
    for (Image image : catalog.values()) {
      for (UsageDelta d : ImageUsage.change(null, image)) {
        fromCatalog.merge(d.project(), d, UsageDelta::plus);
      }
    }
    ProjectId gamma = ProjectId.of(MultiNodeWorker.VICTIM_PROJECT);
    assertThat(store.usage().snapshot(gamma).reserved(UsageKind.STORED_BYTES))
        .as("the node killed mid-upload still holds its upload's bytes until its lease ends")
        .isEqualTo(MultiNodeWorker.VICTIM_UPLOAD);
    Duration lease = Duration.ofMinutes(1);
    try (JdbcStore later = JdbcStore.open(TestDatabase.options(SCHEMA)
        .clock(Clock.offset(Clock.systemUTC(), lease.plusMinutes(1))).build())) {
      List<String> projects = new ArrayList<>(MultiNodeWorker.PROJECTS);
      projects.add(MultiNodeWorker.VICTIM_PROJECT);
      for (String name : projects) {
        ProjectId project = ProjectId.of(name);
        UsageSnapshot usage = later.usage().snapshot(project);
        UsageDelta expected = fromCatalog.getOrDefault(project, UsageDelta.none(project));
        for (UsageKind kind : UsageKind.values()) {
          assertThat(usage.committed(kind))
              .as("%s's committed %s equals what its images in the catalog contribute", name, kind)
              .isEqualTo(expected.amount(kind));
          assertThat(usage.reserved(kind))
              .as("%s's %s reserved once every lease ran out", name, kind)
              .isZero();
        }
        assertWithinLimits(usage, "at the end");
      }
    }
    phases.mark("usage reconciled");
    try (S3BlobStore blobs = checker.get()) {
      ImageGovernance g = ImageGovernance.builder().catalog(store.catalog())
          .usage(store.usage()).blobStore(blobs)
          .config(GovernanceConfig.builder().unifiedLimits(MultiNodeWorker.limits()).build())
          .build();
      assertDataReadable(g, catalog, acks);
      phases.mark("read back");
      assertNothingUnaccounted(g, blobs, catalog, acks);
    }
    phases.mark("hygiene");
    Files.writeString(logs.resolve("phases.txt"), phases + "\n");
  }

  /** How long each phase of the run took (written to target/multinode, to see where time goes). */
  private static final class Phases {
    private final StringBuilder text = new StringBuilder();
    private long last = System.nanoTime();

    void mark(String phase) {
      long now = System.nanoTime();
      text.append(text.length() == 0 ? "" : ", ").append(phase).append(' ')
          .append(TimeUnit.NANOSECONDS.toMillis(now - last)).append(" ms");
      last = now;
    }

    @Override
    public String toString() {
      long cpu = ((com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
      return text + " (this JVM's CPU so far " + cpu / 1_000_000 + " ms; the nodes' in their logs)";
    }
  }

  /** Every acknowledged upload not deleted reads back whole, with its checksum, on this node. */
  private static void assertDataReadable(ImageGovernance g, Map<ImageId, Image> catalog,
      Acknowledged acks) {
    int read = 0;
    for (ImageId id : acks.uploaded.keySet()) {
      if (acks.deleted.contains(id)) {
        continue;
      }
      Image image = catalog.get(id);
      Caller owner = Caller.member(image.owner().orElseThrow().value());
      assertThat(MultiNodeWorker.checkData(g, owner, image))
          .as("the data of %s, uploaded by another node, read back here", id)
          .isNull();
      read++;
    }
    assertThat(read).as("acknowledged uploads read back").isPositive();
  }

  /**
   * Every object in the bucket is a live image's location or a hygiene finding; none of an
   * acknowledged deletion is unreported; the killed node's multipart upload is aborted.
   */
  private static void assertNothingUnaccounted(ImageGovernance g, S3BlobStore blobs,
      Map<ImageId, Image> catalog, Acknowledged acks) {
    HygieneReport report = g.reports().hygiene(Caller.admin("operators"),
        HygieneRequest.of(TenancyDirectory.none()).withStuckPeriod(Duration.ZERO));
    Set<String> reported = new HashSet<>();
    for (Finding f : report.findings()) {
      if (f.store().equals(Optional.of(SharedS3.STORE))) {
        reported.add(f.subject());
      }
    }
    Set<String> stuck = new HashSet<>();
    report.findings(FindingKind.STUCK).forEach(f -> stuck.add(f.subject()));
    for (BlobKey key : blobs.keys()) {
      Image image = ImageId.isValid(key.value()) ? catalog.get(ImageId.of(key.value())) : null;
      boolean located = image != null
          && image.locations().stream().anyMatch(l -> l.store().equals(SharedS3.STORE));
      assertThat(located || reported.contains(key.value()) || stuck.contains(key.value()))
          .as("object %s in the bucket is a live image's location or a hygiene finding (%s)",
              key, report.findings())
          .isTrue();
    }
    for (ImageId id : acks.deleted) {
      if (blobs.exists(BlobKey.of(id))) {
        assertThat(reported).as("the object an acknowledged deletion of %s left", id)
            .contains(id.value());
      }
    }
    Instant afterEveryNode = Instant.now().plusSeconds(1);
    assertThat(blobs.abortUploadsBefore(afterEveryNode))
        .as("the multipart upload of the node killed mid-upload, found and aborted")
        .isGreaterThanOrEqualTo(1);
    assertThat(blobs.abortUploadsBefore(afterEveryNode))
        .as("multipart uploads left once aborted").isZero();
  }

  private static void assertWithinLimits(UsageSnapshot usage, String when) {
    assertThat(usage.usage(UsageKind.STORED_BYTES))
        .as("%s: %s's stored plus reserved bytes", when, usage.project())
        .isLessThanOrEqualTo(UnifiedLimit.IMAGE_SIZE_TOTAL.toBase(MultiNodeWorker.SIZE_LIMIT_MIB));
    assertThat(usage.usage(UsageKind.IMAGES))
        .as("%s: %s's images plus reserved", when, usage.project())
        .isLessThanOrEqualTo(MultiNodeWorker.COUNT_LIMIT);
  }

  /** Copies a node's output lines to {@code lines}, then a line with no text at its end. */
  private static void pump(int node, Process p, BlockingQueue<Line> lines) {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String s = r.readLine(); s != null; s = r.readLine()) {
        lines.add(new Line(node, s));
      }
    } catch (IOException e) {
      // A killed node's stream may end abruptly: that is its end.
    } finally {
      lines.add(new Line(node, null));
    }
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The writes the nodes acknowledged. */
  private static final class Acknowledged {
    final Set<ImageId> created = new HashSet<>();
    final Map<ImageId, Long> uploaded = new HashMap<>();
    final Map<ImageId, Set<String>> properties = new HashMap<>();
    final Map<ImageId, Set<ProjectId>> members = new HashMap<>();
    final Set<ImageId> deleted = new HashSet<>();
    /** Images a node read back whole with their checksum (often another node's upload). */
    final Set<ImageId> read = new HashSet<>();

    void add(String[] w) {
      ImageId id = ImageId.of(w[2]);
      switch (w[1]) {
        case "create" -> created.add(id);
        case "upload" -> uploaded.put(id, Long.parseLong(w[3]));
        case "patch" -> properties.computeIfAbsent(id, x -> new HashSet<>()).add(w[3]);
        case "member" -> members.computeIfAbsent(id, x -> new HashSet<>()).add(ProjectId.of(w[3]));
        case "delete" -> deleted.add(id);
        case "read" -> read.add(id);
        default -> throw new UncheckedIOException(new IOException("unknown ack " + w[1]));
      }
    }

    void assertKept(Map<ImageId, Image> catalog) {
      Set<ImageId> written = new HashSet<>(created);
      written.addAll(uploaded.keySet());
      written.addAll(properties.keySet());
      written.addAll(members.keySet());
      for (ImageId id : written) {
        if (deleted.contains(id)) {
          assertThat(catalog).as("an acknowledged deletion").doesNotContainKey(id);
          continue;
        }
        assertThat(catalog).as("an acknowledged image").containsKey(id);
        Image image = catalog.get(id);
        if (uploaded.containsKey(id)) {
          assertThat(image.size()).as("the acknowledged upload of %s", id)
              .hasValue(uploaded.get(id));
        }
        assertThat(image.properties().keySet()).as("acknowledged patches of %s", id)
            .containsAll(properties.getOrDefault(id, Set.of()));
        assertThat(image.members().keySet()).as("acknowledged members of %s", id)
            .containsAll(members.getOrDefault(id, Set.of()));
      }
    }
  }
}
