package dev.imagegov.bench;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.protection.RuleFormat;
import dev.imagegov.query.ListQueryParser;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.fixture.CloudMix;
import java.time.Instant;
import java.util.LinkedHashMap;
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
import org.openjdk.jmh.annotations.Threads;
import org.jspecify.annotations.Nullable;

/**
 * The user's whole path through {@link ImageGovernance}, as a server runs it, beside the same
 * work done on the store alone in the same run, so the cost of the rules shows as a ratio. Each
 * request builds a fresh {@link Caller} from its project's id text, as a server builds one from
 * the token of each request (a caller's derived policy facts are then computed per request, not
 * reused), over the testkit's cloud-shaped {@link CloudMix} of {@code images} ({@link
 * ListShapesBenchmark#MIX}: 50 owner projects, 200 consumer projects, every non-public image
 * shared with 3 consumers who accepted it, 12 custom properties and 3 tags per image), with
 * property protections {@code on} (a roles-format file shaped like a real cloud's: billing keys
 * for operators only, hardware keys read by all and written by operators, the rest written by
 * members; every returned image's properties are filtered by it) or {@code off}.
 *
 * <ul>
 *   <li>{@link #listPage} against {@link #storeListPage}: the first default page of one of
 *       {@value #LISTERS} consumer projects, against the catalog's answer to the same caller-bound
 *       query; and against {@link #sortedSetListPage}, the same page from a sorted set of that
 *       consumer's own visible images ({@link SortedSetLists}: a seek and a walk of 25, the least
 *       any store could do). The set-up checks that the facade, the catalog and the sorted sets
 *       list the same 25 images for every consumer.
 *   <li>{@link #get} against {@link #storeFind}: a by-id read of an image the caller may see (a
 *       member it is shared with or its owner, anyone for a public image), against the catalog's
 *       find.
 *   <li>{@link #patch} against {@link #storeCompareAndSet}: the owner replaces one property of
 *       one of its images with a JSON patch, against the same change as one compare-and-set.
 *   <li>{@link #shareAcceptUnshare} against {@link #storeShareAcceptUnshare}: the owner adds a
 *       member to one of its shared images, the member accepts, the owner removes it (so every
 *       call starts from the same state), against the same three member changes written as
 *       compare-and-sets. {@link MemberBenchmark} measures add + accept alone, on fresh images.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms5g", "-Xmx5g"})
public class FacadeBenchmark {
  private static final int PAIRS = 4_096;
  private static final int OWNED = 256;
  private static final int LISTERS = 128;

  /** The protections file, in Glance's roles format. */
  static final String PROTECTIONS = String.join("\n",
      "[^x_billing_.*]",
      "create = admin", "read = admin", "update = admin", "delete = admin",
      "[^hw_.*]",
      "create = admin", "read = admin,member,reader", "update = admin", "delete = admin",
      "[.*]",
      "create = admin,member", "read = admin,member,reader", "update = admin,member",
      "delete = admin,member",
      "");

  /** {@return {@link #PROTECTIONS} parsed under the default policy} */
  static PropertyProtections protections() {
    return PropertyProtections.parse(
        PROTECTIONS, RuleFormat.ROLES, Policy.secureDefaults(), "benchmark protections");
  }

  /** Catalog size. */
  @Param({"10000", "1000000"})
  public int images;

  /** Property protections: {@code on} or {@code off}. */
  @Param({"off", "on"})
  public String protections;

  private MemoryCatalog catalog;
  private ImageGovernance governance;
  private final String[] listProjects = new String[LISTERS];
  private final CatalogQuery[] listQueries = new CatalogQuery[LISTERS];
  private final String[] getProjects = new String[PAIRS];
  private final ImageId[] getIds = new ImageId[PAIRS];
  private String owner;
  private final ImageId[] owned = new ImageId[OWNED];
  private final String[] documents = new String[2];
  private String guest;
  private int next;

  /** The sorted sets of {@link #sortedSetListPage}, built only in that benchmark's forks. */
  @State(Scope.Benchmark)
  public static class SortedSets {
    SortedSetLists lists;

    /**
     * Builds one sorted set per listing consumer and checks its first page.
     *
     * @param bench the loaded benchmark
     */
    @Setup(Level.Trial)
    public void build(FacadeBenchmark bench) {
      lists = new SortedSetLists(bench.catalog, bench.listQueries);
    }
  }

  /** Loads the catalog, builds the governance and checks that every request is allowed. */
  @Setup(Level.Trial)
  public void load() {
    CloudMix mix = ListShapesBenchmark.MIX;
    catalog = new MemoryCatalog();
    for (int n = 0; n < images; n++) {
      catalog.insert(mix.image(n));
    }
    GovernanceConfig.Builder config = GovernanceConfig.builder();
    switch (protections) {
      case "on":
        config.propertyProtections(protections());
        break;
      case "off":
        break;
      default:
        throw new IllegalArgumentException("protections must be on or off: " + protections);
    }
    governance = ImageGovernance.builder().config(config.build()).catalog(catalog).build();

    CatalogQuery parsed = ListQueryParser.glanceDefaults().parse(ListRequest.empty());
    for (int i = 0; i < LISTERS; i++) {
      ProjectId project = mix.consumer(i * mix.consumers() / LISTERS);
      listProjects[i] = project.value();
      listQueries[i] = CatalogQuery.builder().from(parsed).seesAll(false).project(project).build();
      List<ImageId> facade = governance.images().list(Caller.member(listProjects[i]),
          ListRequest.empty()).images().stream().map(Image::id).toList();
      List<ImageId> store = catalog.query(listQueries[i]).stream().map(Image::id).toList();
      if (facade.size() != 25 || !facade.equals(store)) {
        throw new IllegalStateException("facade and catalog pages differ for consumer " + i);
      }
    }
    for (int i = 0; i < PAIRS; i++) {
      int n = CloudMix.pick(i, 900, images);
      Image image = mix.image(n);
      List<ProjectId> members = List.copyOf(image.members().keySet());
      ProjectId project = image.visibility() == Visibility.PUBLIC
          ? CloudMix.project(CloudMix.pick(i, 901, mix.owners() + mix.consumers()))
          : i % 2 == 0 ? members.get(CloudMix.pick(i, 902, members.size()))
              : image.owner().orElseThrow();
      getProjects[i] = project.value();
      getIds[i] = image.id();
      governance.images().get(Caller.member(getProjects[i]), getIds[i]);
    }

    owner = CloudMix.projectName(0);
    guest = mix.consumer(0).value();
    Caller ownerCaller = Caller.member(owner);
    for (int i = 0; i < OWNED; i++) {
      owned[i] = governance.images().create(ownerCaller, dev.imagegov.NewImage.builder()
              .name("facade-" + i)
              .diskFormat("qcow2")
              .containerFormat("bare")
              .visibility(Visibility.SHARED)
              .putProperties("x_team", "storage")
              .putProperties("os_distro", "ubuntu")
              .build())
          .id();
    }
    documents[0] = "[{\"op\":\"replace\",\"path\":\"/x_team\",\"value\":\"compute\"}]";
    documents[1] = "[{\"op\":\"replace\",\"path\":\"/x_team\",\"value\":\"storage\"}]";
    for (String document : documents) {
      governance.images().patch(ownerCaller, owned[0], JsonPatchParser.V2_1, document);
    }
    shareAcceptUnshare();
    next = 0;
  }

  /** The first default page of a member project, through the facade. */
  @Benchmark
  public List<Image> listPage() {
    String project = listProjects[next++ & (LISTERS - 1)];
    return governance.images().list(Caller.member(project), ListRequest.empty()).images();
  }

  /** Baseline: the catalog's answer to the same caller-bound query. */
  @Benchmark
  public List<Image> storeListPage() {
    return catalog.query(listQueries[next++ & (LISTERS - 1)]);
  }

  /**
   * Baseline: the same first page of the same consumer from its own sorted set of visible images.
   *
   * @param sets the sorted sets
   * @return the page
   */
  @Benchmark
  public List<Image> sortedSetListPage(SortedSets sets) {
    return sets.lists.page(next++ & (LISTERS - 1));
  }

  /** A by-id read through the facade by a fresh caller. */
  @Benchmark
  public Image get() {
    int i = next++ & (PAIRS - 1);
    return governance.images().get(Caller.member(getProjects[i]), getIds[i]);
  }

  /** Baseline: the catalog's find of the same id. */
  @Benchmark
  public Optional<Image> storeFind() {
    return catalog.find(getIds[next++ & (PAIRS - 1)]);
  }

  /** The owner replaces one property with a JSON patch, through the facade. */
  @Benchmark
  public Image patch() {
    int i = next++;
    return governance.images().patch(
        Caller.member(owner), owned[i & (OWNED - 1)], JsonPatchParser.V2_1,
        documents[(i >>> 8) & 1]);
  }

  /** Baseline: the same change as one compare-and-set on the catalog. */
  @Benchmark
  public Image storeCompareAndSet() {
    int i = next++;
    Image current = catalog.find(owned[i & (OWNED - 1)]).orElseThrow();
    Map<String, String> properties = new LinkedHashMap<>(current.properties());
    properties.put("x_team", ((i >>> 8) & 1) == 0 ? "compute" : "storage");
    return catalog.compareAndSet(current.version(),
        Image.builder().from(current).properties(properties).updatedAt(Instant.now()).build())
        .stored().orElseThrow();
  }

  /** The owner shares an image, the member accepts, the owner unshares it: three requests. */
  @Benchmark
  public Member shareAcceptUnshare() {
    ImageId id = owned[next++ & (OWNED - 1)];
    ProjectId member = ProjectId.of(guest);
    governance.sharing().addMember(Caller.member(owner), id, member);
    Member accepted = governance.sharing()
        .updateMemberStatus(Caller.member(guest), id, member, MemberStatus.ACCEPTED);
    governance.sharing().removeMember(Caller.member(owner), id, member);
    return accepted;
  }

  /** Baseline: the same three member changes as compare-and-sets on the catalog. */
  @Benchmark
  public Image storeShareAcceptUnshare() {
    ImageId id = owned[next++ & (OWNED - 1)];
    ProjectId project = ProjectId.of(guest);
    Instant now = Instant.now();
    Image current = catalog.find(id).orElseThrow();
    Member pending = Member.builder().imageId(id).project(project).status(MemberStatus.PENDING)
        .createdAt(now).updatedAt(now).build();
    current = writeMembers(current, project, pending);
    current = writeMembers(current, project,
        Member.builder().from(pending).status(MemberStatus.ACCEPTED).build());
    return writeMembers(current, project, null);
  }

  /** {@code current} with {@code project}'s membership set to {@code member} (none if null). */
  private Image writeMembers(Image current, ProjectId project, @Nullable Member member) {
    Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
    if (member == null) {
      members.remove(project);
    } else {
      members.put(project, member);
    }
    return catalog.compareAndSet(current.version(),
        Image.builder().from(current).members(members).updatedAt(Instant.now()).build())
        .stored().orElseThrow();
  }
}
