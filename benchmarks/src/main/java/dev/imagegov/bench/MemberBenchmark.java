package dev.imagegov.bench;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.fixture.CloudMix;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sharing an image: the owner adds a member ({@code sharing().addMember}) and the member accepts
 * ({@code sharing().updateMemberStatus(..., ACCEPTED)}), on fresh shared images in a catalog
 * that already holds {@code images} (10,000 or 1,000,000) of the testkit's cloud-shaped {@link
 * CloudMix} ({@link ListShapesBenchmark#MIX}: 50 owners, 200 consumers, 3 accepted members per
 * shared image, so the member indexes the changes maintain are as full as a real cloud's),
 * through the user's whole path: the default policy, property protections on (the roles file of
 * {@link FacadeBenchmark#PROTECTIONS}), and a fresh {@code Caller} per request, built from the
 * project's id text as a server builds one from each request's token.
 *
 * <p>Each measured iteration is one batch of {@value #BATCH} add-and-accept pairs on {@value
 * #BATCH} / {@value #MEMBERS_PER_IMAGE} images created (untimed) just before it, so every image
 * starts without members and ends with {@value #MEMBERS_PER_IMAGE}. Same-run baseline: {@link
 * #rawCompareAndSet}, the same two changes written straight to the catalog with {@code
 * compareAndSet} (no policy, validation, retry loop or events).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, batchSize = MemberBenchmark.BATCH)
@Measurement(iterations = 10, batchSize = MemberBenchmark.BATCH)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class MemberBenchmark {
  /** Add-and-accept pairs per measured batch. */
  public static final int BATCH = 20_000;

  static final int MEMBERS_PER_IMAGE = 4;
  private static final int FRESH = BATCH / MEMBERS_PER_IMAGE;

  /** Images in the catalog before the fresh ones. */
  @Param({"10000", "1000000"})
  public int images;

  private MemoryCatalog catalog;
  private ImageGovernance governance;
  private String[] names;
  private ProjectId[] projects;
  private final ImageId[] fresh = new ImageId[FRESH];
  private final int[] owners = new int[FRESH];
  private int created;
  private int next;

  /** The background catalog, the governance, and each project's id (text and object). */
  @Setup(Level.Trial)
  public void load() {
    CloudMix mix = ListShapesBenchmark.MIX;
    catalog = new MemoryCatalog();
    for (int n = 0; n < images; n++) {
      catalog.insert(mix.image(n));
    }
    governance = ImageGovernance.builder().config(GovernanceConfig.builder()
            .propertyProtections(FacadeBenchmark.protections())
            .build())
        .catalog(catalog).build();
    names = new String[mix.owners() + mix.consumers()];
    projects = new ProjectId[names.length];
    for (int p = 0; p < names.length; p++) {
      names[p] = CloudMix.projectName(p);
      projects[p] = CloudMix.project(p);
    }
  }

  /** Fresh shared images without members for the next batch. */
  @Setup(Level.Iteration)
  public void freshImages() {
    Instant now = Instant.now();
    for (int j = 0; j < FRESH; j++) {
      int serial = images + created++;
      owners[j] = CloudMix.pick(serial, 1, projects.length);
      Image image =
          Image.builder()
              .id(CloudMix.imageId(serial))
              .name("fresh-" + serial)
              .status(ImageStatus.ACTIVE)
              .visibility(Visibility.SHARED)
              .owner(projects[owners[j]])
              .createdAt(now)
              .updatedAt(now)
              .build();
      fresh[j] = catalog.insert(image).id();
    }
    next = 0;
  }

  private int memberOf(int image, int k) {
    int step = projects.length / (MEMBERS_PER_IMAGE + 1);
    return (owners[image] + 1 + k * step) % projects.length;
  }

  /** The owner adds a member, then the member accepts: two requests, each by a fresh caller. */
  @Benchmark
  public Member addAndAccept() {
    int i = next++;
    int image = i / MEMBERS_PER_IMAGE;
    int member = memberOf(image, i % MEMBERS_PER_IMAGE);
    ProjectId project = projects[member];
    governance.sharing().addMember(Caller.member(names[owners[image]]), fresh[image], project);
    return governance.sharing().updateMemberStatus(
        Caller.member(names[member]), fresh[image], project, MemberStatus.ACCEPTED);
  }

  /** Baseline: the same two changes as plain compare-and-sets on the catalog. */
  @Benchmark
  public Image rawCompareAndSet() {
    int i = next++;
    int image = i / MEMBERS_PER_IMAGE;
    ProjectId project = projects[memberOf(image, i % MEMBERS_PER_IMAGE)];
    ImageId id = fresh[image];
    Instant now = Instant.now();
    Image current = catalog.find(id).orElseThrow();
    Member pending = Member.pending(id, project, now);
    Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
    members.put(project, pending);
    Image added =
        catalog.compareAndSet(current.version(), current.toBuilder().members(members).build()).orElseThrow();
    Map<ProjectId, Member> accepted = new LinkedHashMap<>(added.members());
    accepted.put(project, pending.withStatus(MemberStatus.ACCEPTED, Instant.now()));
    return catalog.compareAndSet(added.version(), added.toBuilder().members(accepted).build()).orElseThrow();
  }
}
