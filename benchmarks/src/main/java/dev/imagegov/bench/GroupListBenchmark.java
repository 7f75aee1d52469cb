package dev.imagegov.bench;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.sharing.MemoryTenancy;
import dev.imagegov.store.memory.MemoryCatalog;
import java.time.Instant;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * A default list page (25 rows) of a project that sees its images through groups (hierarchical
 * sharing), beside the same page of a direct member, on one {@code MemoryCatalog} in one run.
 *
 * <p>The tenancy: a domain {@code bench-domain}; a parent project {@code bench-parent} in it; the
 * group caller's project {@code bench-child} below the parent; the direct caller's project {@code
 * bench-direct}, a top-level project of its own. Every image is shared, owned by one of 50
 * projects; the parent is a direct member of every second image, the domain of every fourth
 * (those at 1 mod 4), and {@code bench-direct} of three images in four, so both callers see three
 * in four images; the child answered one offer in sixteen (accepted, via the parent). Unanswered
 * group offers count as accepted ({@code group_members_accepted}), so they are in the default
 * list. A fresh {@code Caller} per request.
 *
 * <p>What the ratio shows: the group page merges the member index of each of the child's groups
 * (two here) and reads its answers, so it should cost a small constant times the direct page at
 * both sizes, not grow with the catalog (O(page + log n)). The set-up finds each deep marker (the
 * row at half the list) by walking the list once and checks that the first page is full.
 */
public class GroupListBenchmark extends ListPageBenchmark {
  static final int OWNERS = 50;
  static final ProjectId DOMAIN = ProjectId.of("bench-domain");
  static final ProjectId PARENT = ProjectId.of("bench-parent");
  static final ProjectId CHILD = ProjectId.of("bench-child");
  static final ProjectId DIRECT = ProjectId.of("bench-direct");
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** Who asks: a project below two group members, or a direct member. */
  @Param({"group", "direct"})
  public String member;

  /** Loads the catalog, builds the request and finds the deep marker. */
  @Setup(Level.Trial)
  public void load() {
    MemoryCatalog catalog = new MemoryCatalog();
    for (int n = 0; n < images; n++) {
      catalog.insert(image(n));
    }
    MemoryTenancy tenancy = MemoryTenancy.builder()
        .domain(DOMAIN)
        .project(PARENT, null, DOMAIN)
        .project(CHILD, PARENT, DOMAIN)
        .project(DIRECT)
        .build();
    governance = ImageGovernance.builder()
        .catalog(catalog)
        .tenancy(tenancy)
        .config(GovernanceConfig.builder().groupMembersAccepted(true).build())
        .build();
    ListRequest base = ListRequest.empty();
    ImageList first = governance.images().list(caller(), base);
    if (first.images().size() < 25) {
      throw new IllegalStateException(member + ": a first page of " + first.images().size());
    }
    List<ImageId> ids = choosePage(base);
    int expected = images - images / 4;
    if (page.equals("deep") && Math.abs(ids.size() - expected) > 1) {
      throw new IllegalStateException(member + " lists " + ids.size() + ", not " + expected);
    }
  }

  @Override
  Caller caller() {
    return Caller.member((member.equals("group") ? CHILD : DIRECT).value());
  }

  /** Image {@code n}: a pure function of {@code n}. */
  static Image image(int n) {
    ImageId id = Dataset.imageId(n);
    Instant created = T0.plusSeconds(n);
    Image.Builder b = Image.builder()
        .id(id)
        .name("image-" + n)
        .status(ImageStatus.ACTIVE)
        .visibility(Visibility.SHARED)
        .owner(Dataset.project(Dataset.pick(n, 1, OWNERS)))
        .diskFormat("qcow2")
        .containerFormat("bare")
        .size(50_000_000L)
        .createdAt(created)
        .updatedAt(created);
    if (n % 2 == 0) {
      b.putMembers(PARENT, row(id, PARENT, created, null));
    }
    if (n % 4 == 1) {
      b.putMembers(DOMAIN, row(id, DOMAIN, created, null));
    }
    if (n % 16 == 0) {
      b.putMembers(CHILD, row(id, CHILD, created, PARENT));
    }
    if (n % 4 != 3) {
      b.putMembers(DIRECT, row(id, DIRECT, created, null));
    }
    return b.build();
  }

  private static Member row(ImageId id, ProjectId project, Instant at, ProjectId via) {
    Member.Builder m = Member.builder().imageId(id).project(project)
        .status(MemberStatus.ACCEPTED).createdAt(at.plusSeconds(60)).updatedAt(at.plusSeconds(60));
    if (via != null) {
      m.via(via);
    }
    return m.build();
  }
}
