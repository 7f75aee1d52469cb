package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Caller;
import dev.imagegov.access.IsolationAction;
import dev.imagegov.access.IsolationOracle;
import dev.imagegov.access.IsolationReport;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.sharing.MemoryTenancy;
import dev.imagegov.sharing.Tenant;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.model.ReferenceModelOracle;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Isolation verification on a tenancy with groups: both oracles know the group rule (an image
 * shared with a parent project or domain reaches the projects below it, each with its own answer,
 * and only while they are below it; an expired row is a removed one), so a correct governance has
 * no finding; and each seeded fault involving groups is flagged.
 *
 * <pre>
 * acme (domain)
 *   platform
 *     team-a
 *     team-b
 *   other        (was below platform once: its answer to platform's offer is still stored)
 * producer, outsider (no domain)
 * </pre>
 */
final class GroupIsolationTest {
  private static final ProjectId ACME = ProjectId.of("acme");
  private static final ProjectId PLATFORM = ProjectId.of("platform");
  private static final ProjectId TEAM_A = ProjectId.of("team-a");
  private static final ProjectId TEAM_B = ProjectId.of("team-b");
  private static final ProjectId OTHER = ProjectId.of("other");
  private static final ProjectId PRODUCER = ProjectId.of("producer");
  private static final ProjectId OUTSIDER = ProjectId.of("outsider");
  private static final Instant T0 = IsolationWorld.T0;

  /** Shared with platform; team-a accepted it; other's stale answer (accepted) is still stored. */
  private static final ImageId GOLDEN = IsolationWorld.id(1);
  /** Shared with the domain; team-b rejected it. */
  private static final ImageId DOMAIN_WIDE = IsolationWorld.id(2);
  /** Shared with platform until T0: the share has expired. */
  private static final ImageId EXPIRED = IsolationWorld.id(3);
  /** Private, with a dormant platform row. */
  private static final ImageId SECRET = IsolationWorld.id(4);

  private static MemoryTenancy tenancy(boolean otherStillBelowPlatform) {
    return MemoryTenancy.builder()
        .domain(ACME)
        .project(PLATFORM, null, ACME)
        .project(TEAM_A, PLATFORM, ACME)
        .project(TEAM_B, PLATFORM, ACME)
        .project(OTHER, otherStillBelowPlatform ? PLATFORM : null, ACME)
        .project(PRODUCER)
        .project(OUTSIDER)
        .build();
  }

  private static MemoryCatalog catalog() {
    MemoryCatalog catalog = new MemoryCatalog();
    catalog.insert(image(GOLDEN, Visibility.SHARED, row(GOLDEN, PLATFORM, MemberStatus.PENDING,
        null, null), row(GOLDEN, TEAM_A, MemberStatus.ACCEPTED, PLATFORM, null),
        row(GOLDEN, OTHER, MemberStatus.ACCEPTED, PLATFORM, null)));
    catalog.insert(image(DOMAIN_WIDE, Visibility.SHARED,
        row(DOMAIN_WIDE, ACME, MemberStatus.ACCEPTED, null, null),
        row(DOMAIN_WIDE, TEAM_B, MemberStatus.REJECTED, ACME, null)));
    catalog.insert(image(EXPIRED, Visibility.SHARED,
        row(EXPIRED, PLATFORM, MemberStatus.ACCEPTED, null, T0)));
    catalog.insert(image(SECRET, Visibility.PRIVATE,
        row(SECRET, PLATFORM, MemberStatus.ACCEPTED, null, null)));
    return catalog;
  }

  private static Image image(ImageId id, Visibility visibility, Member... members) {
    Image.Builder b = Image.builder().id(id).name("image-" + id.value().substring(30))
        .owner(PRODUCER).status(ImageStatus.ACTIVE).visibility(visibility)
        .createdAt(T0).updatedAt(T0);
    for (Member m : members) {
      b.putMembers(m.project(), m);
    }
    return b.build();
  }

  private static Member row(ImageId image, ProjectId project, MemberStatus status,
      ProjectId via, Instant expires) {
    Member.Builder m = Member.builder().imageId(image).project(project).status(status)
        .createdAt(T0).updatedAt(T0);
    if (via != null) {
      m.via(via);
    }
    if (expires != null) {
      m.expiresAt(expires);
    }
    return m.build();
  }

  /**
   * Verifies the true tenancy (other at the top of the domain) on a governance that reads {@code
   * governanceTenancy} through a catalog seen through {@code fault}.
   */
  private static IsolationReport verify(
      MemoryTenancy governanceTenancy, UnaryOperator<Catalog> fault, IsolationOracle oracle) {
    ImageGovernance governance = ImageGovernance.builder()
        .catalog(fault.apply(catalog()))
        .tenancy(governanceTenancy)
        .clock(new TickingClock())
        .build();
    return governance.access().verifyIsolation(Caller.admin("admin-project"), tenancy(false),
        oracle);
  }

  private static IsolationReport withCatalog(UnaryOperator<Catalog> fault) {
    return verify(tenancy(false), fault, IsolationOracle.glanceRules());
  }

  /** The findings as {@code kind project image action} lines, for exact assertions. */
  private static List<String> lines(IsolationReport report) {
    return IsolationWorld.lines(report, GroupIsolationTest::name);
  }

  private static String name(ImageId id) {
    return id.equals(GOLDEN) ? "golden" : id.equals(DOMAIN_WIDE) ? "domain-wide"
        : id.equals(EXPIRED) ? "expired" : id.equals(SECRET) ? "secret" : id.value();
  }

  private static List<String> granted(IsolationReport report, IsolationAction action) {
    return report.grants().stream().filter(g -> g.action() == action)
        .map(g -> g.project() + " " + name(g.image())).sorted().toList();
  }

  @Test
  void correctGovernanceOnATenancyWithGroupsHasNoFindingForEitherOracle() {
    for (IsolationOracle oracle
        : List.of(IsolationOracle.glanceRules(), new ReferenceModelOracle())) {
      IsolationReport report = verify(tenancy(false), UnaryOperator.identity(), oracle);

      assertThat(report.findings()).as(oracle.name()).isEmpty();
      assertThat(granted(report, IsolationAction.GET)).as(oracle.name())
          .filteredOn(l -> !l.startsWith("producer"))
          .containsExactly("acme domain-wide", "other domain-wide", "platform domain-wide",
              "platform golden", "team-a domain-wide", "team-a golden", "team-b domain-wide",
              "team-b golden");
      assertThat(granted(report, IsolationAction.LIST)).as(oracle.name())
          .filteredOn(l -> !l.startsWith("producer"))
          .as("accepted: team-a's own answer; the domain's offer unanswered is pending")
          .containsExactly("acme domain-wide", "team-a golden");
    }
    IsolationReport glance = verify(tenancy(false), UnaryOperator.identity(),
        IsolationOracle.glanceRules());
    assertThat(glance.grants()).filteredOn(g -> g.project().equals(TEAM_B)
            && g.image().equals(GOLDEN) && g.action() == IsolationAction.GET)
        .singleElement()
        .satisfies(g -> assertThat(g.rule()).isEqualTo(
            "member (pending) of a shared image, via platform above the project"));
  }

  /**
   * With strict consent a member boots only an image it accepted: the governance refuses the
   * others, and both oracles expect exactly that, so the refusals are not findings.
   */
  @Test
  void strictConsentRefusalsAreExpectedByBothOracles() {
    for (IsolationOracle oracle
        : List.of(IsolationOracle.glanceRules(), new ReferenceModelOracle())) {
      ImageGovernance governance = ImageGovernance.builder()
          .config(GovernanceConfig.builder().strictConsent(true).build())
          .catalog(catalog())
          .tenancy(tenancy(false))
          .clock(new TickingClock())
          .build();
      IsolationReport report = governance.access().verifyIsolation(
          Caller.admin("admin-project"), tenancy(false), oracle);

      assertThat(report.findings()).as(oracle.name()).isEmpty();
      assertThat(granted(report, IsolationAction.BOOT)).as(oracle.name())
          .filteredOn(l -> !l.startsWith("producer"))
          .as("only accepted memberships boot: team-a's answer, the domain's own row")
          .containsExactly("acme domain-wide", "team-a golden");
    }
  }

  /**
   * A tenancy directory adapter that still answers an old hierarchy (a cache): other moved out of
   * platform's subtree, but the governance still lets it use platform's image, through its stored
   * answer. The verification, given the tenancy as it is, flags every such access.
   */
  @Test
  void aProjectMovedOutOfTheSubtreeThatStillSeesTheImageIsFlagged() {
    IsolationReport report =
        verify(tenancy(true), UnaryOperator.identity(), IsolationOracle.glanceRules());

    assertThat(lines(report)).containsExactlyInAnyOrder(
        "unjustified_access other golden get", "unjustified_access other golden list",
        "unjustified_access other golden boot", "unjustified_access other golden list_members");
    assertThat(verify(tenancy(true), UnaryOperator.identity(), new ReferenceModelOracle())
        .findings()).extracting(IsolationReport.Finding::kind).isNotEmpty()
        .containsOnly(IsolationReport.Kind.UNJUSTIFIED_ACCESS);
  }

  /**
   * A listing index that answers a group's offer to a project that is not below the group (a
   * sibling): other, beside platform in the domain, is listed platform's image through its
   * stale answer.
   */
  @Test
  void aListingIndexThatAppliesAGroupAnswerToASiblingIsFlagged() {
    IsolationReport report = withCatalog(c -> new ForwardingCatalog(c) {
      @Override
      public List<Image> query(CatalogQuery query) {
        boolean sibling = query.project().filter(OTHER::equals).isPresent();
        return super.query(sibling
            ? query.toBuilder().lineage(List.of(PLATFORM, ACME)).build()
            : query);
      }
    });

    assertThat(lines(report)).containsExactlyInAnyOrder(
        "index_disagrees other golden get", "unjustified_access other golden list");
  }

  /** A by-id read that loses the group a stored answer names makes it a direct membership. */
  @Test
  void aByIdReadThatTurnsAGroupAnswerIntoADirectMembershipIsFlagged() {
    IsolationReport report = withCatalog(c -> new ForwardingCatalog(c) {
      @Override
      public Optional<Image> find(ImageId id) {
        return super.find(id).map(i -> {
          Image.Builder b = Image.builder().from(i).members(java.util.Map.of());
          i.members().forEach((p, m) -> b.putMembers(p, Member.builder().from(m)
              .via(Optional.empty()).build()));
          return b.build();
        });
      }
    });

    assertThat(lines(report)).containsExactlyInAnyOrder(
        "unjustified_access other golden get", "unjustified_access other golden boot",
        "unjustified_access other golden list_members");
  }

  /** A by-id read that loses a group row's expiry revives the expired share for its subtree. */
  @Test
  void aByIdReadThatForgetsAGroupsExpiryIsFlagged() {
    IsolationReport report = withCatalog(c -> new ForwardingCatalog(c) {
      @Override
      public Optional<Image> find(ImageId id) {
        return super.find(id).map(i -> !id.equals(EXPIRED) ? i
            : Image.builder().from(i).members(java.util.Map.of())
                .putMembers(PLATFORM, Member.builder().from(i.members().get(PLATFORM))
                    .expiresAt(Optional.empty()).build()).build());
      }
    });

    assertThat(report.findings()).isNotEmpty().allSatisfy(f -> {
      assertThat(f.image()).isEqualTo(EXPIRED);
      assertThat(f.kind()).isEqualTo(IsolationReport.Kind.UNJUSTIFIED_ACCESS);
    });
    assertThat(lines(report)).containsExactlyInAnyOrder(
        "unjustified_access platform expired get", "unjustified_access platform expired boot",
        "unjustified_access platform expired list_members",
        "unjustified_access team-a expired get", "unjustified_access team-a expired boot",
        "unjustified_access team-a expired list_members",
        "unjustified_access team-b expired get", "unjustified_access team-b expired boot",
        "unjustified_access team-b expired list_members");
  }

  /** The tenancy the governance reads may change under it; verification reads it per call. */
  @Test
  void aMoveIsJudgedByTheNextVerification() {
    MemoryTenancy live = tenancy(false);
    ImageGovernance governance = ImageGovernance.builder().catalog(catalog()).tenancy(live)
        .clock(new TickingClock()).build();
    live.put(new Tenant(TEAM_A, Optional.empty(), Optional.of(ACME)));

    IsolationReport report = governance.access().verifyIsolation(
        Caller.admin("admin-project"), live, IsolationOracle.glanceRules());

    assertThat(report.findings()).isEmpty();
    assertThat(granted(report, IsolationAction.GET)).doesNotContain("team-a golden")
        .contains("team-b golden");
  }
}
