package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Caller;
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
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.model.ReferenceModelOracle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * On correct governance, isolation verification finds nothing, whatever the catalog: 40 catalogs
 * from fixed seeds (30 images each: every visibility and live status, hidden or not, obsolete or
 * not, owned by one of 6 projects or by nobody, with up to 3 members (never the owner) of any status, dormant ones
 * on private images included), each verified for the 6 projects against both oracles. Each
 * failure names its seed.
 */
final class IsolationAgreementPropertyTest {
  private static final int SEEDS = 40;
  private static final int IMAGES = 30;
  private static final List<ImageStatus> STATUSES = List.of(ImageStatus.QUEUED,
      ImageStatus.SAVING, ImageStatus.ACTIVE, ImageStatus.KILLED, ImageStatus.DEACTIVATED,
      ImageStatus.UPLOADING, ImageStatus.IMPORTING);

  @Test
  void correctGovernanceHasNoFindingsForEitherOracle() {
    for (long seed = 1; seed <= SEEDS; seed++) {
      List<ProjectId> projects = new ArrayList<>();
      for (int p = 0; p < 6; p++) {
        projects.add(ProjectId.of("project-" + p));
      }
      ImageGovernance governance = ImageGovernance.builder()
          .catalog(catalog(new Random(seed), projects)).build();
      for (IsolationOracle oracle
          : List.of(IsolationOracle.glanceRules(), new ReferenceModelOracle())) {
        IsolationReport report = governance.access().verifyIsolation(
            Caller.admin("admin-project"), projects, TenancyDirectory.none(), oracle);
        assertThat(report.findings()).as("seed %d, oracle %s", seed, oracle.name()).isEmpty();
        assertThat(report.images()).isEqualTo(IMAGES);
      }
    }
  }

  @Test
  void correctGovernanceHasNoFindingsOnTenanciesWithGroupsForEitherOracle() {
    java.util.Map<String, Integer> throughGroups = new java.util.HashMap<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random random = new Random(seed);
      List<ProjectId> domains = List.of(ProjectId.of("dom-0"), ProjectId.of("dom-1"));
      MemoryTenancy.Builder directory = MemoryTenancy.builder();
      domains.forEach(directory::domain);
      List<ProjectId> projects = new ArrayList<>();
      java.util.Map<ProjectId, ProjectId> domainOf = new java.util.HashMap<>();
      for (int p = 0; p < 8; p++) {
        ProjectId id = ProjectId.of("project-" + p);
        ProjectId parent = p >= 1 && random.nextInt(5) < 3
            ? projects.get(random.nextInt(projects.size())) : null;
        ProjectId domain = parent != null ? domainOf.get(parent)
            : random.nextInt(3) == 0 ? null : domains.get(random.nextInt(2));
        directory.project(id, parent, domain);
        projects.add(id);
        if (domain != null) {
          domainOf.put(id, domain);
        }
      }
      MemoryTenancy tenancy = directory.build();
      List<ProjectId> groups = new ArrayList<>(projects);
      groups.addAll(domains);
      ImageGovernance governance = ImageGovernance.builder()
          .catalog(groupCatalog(random, projects, groups))
          .tenancy(tenancy)
          .config(GovernanceConfig.builder().groupMembersAccepted(seed % 2 == 0).build())
          .build();
      for (IsolationOracle oracle
          : List.of(IsolationOracle.glanceRules(), new ReferenceModelOracle())) {
        IsolationReport report = governance.access().verifyIsolation(
            Caller.admin("admin-project"), tenancy, oracle);
        assertThat(report.findings()).as("groups, seed %d, oracle %s", seed, oracle.name())
            .isEmpty();
        throughGroups.merge(oracle.name(), (int) report.grants().stream()
            .filter(g -> g.rule().contains("via ") || g.rule().contains("through a group"))
            .count(), Integer::sum);
      }
    }
    assertThat(throughGroups).as("accesses justified through a group, by oracle")
        .containsOnlyKeys("glance-rules", "reference-model")
        .allSatisfy((oracle, count) -> assertThat(count).isPositive());
  }

  /**
   * 30 images of every visibility and live status owned by one of {@code projects}; up to 3
   * direct members among {@code groups} (projects and domains) and up to 2 group answers of a
   * project for any group; one row in 5 expires, half of those already (at {@code T0}).
   */
  private static MemoryCatalog groupCatalog(
      Random random, List<ProjectId> projects, List<ProjectId> groups) {
    MemoryCatalog catalog = new MemoryCatalog();
    Visibility[] visibilities = Visibility.values();
    MemberStatus[] statuses = MemberStatus.values();
    Instant future = Instant.parse("2100-01-01T00:00:00Z");
    for (int n = 0; n < IMAGES; n++) {
      Instant t = IsolationWorld.T0.plusSeconds(n);
      ImageId id = IsolationWorld.id(n);
      ProjectId owner = projects.get(random.nextInt(projects.size()));
      Image.Builder b = Image.builder().id(id).owner(owner)
          .status(STATUSES.get(random.nextInt(STATUSES.size())))
          .visibility(random.nextInt(3) == 0
              ? visibilities[random.nextInt(visibilities.length)] : Visibility.SHARED)
          .createdAt(t).updatedAt(t);
      java.util.Set<ProjectId> added = new java.util.HashSet<>(List.of(owner));
      List<ProjectId> direct = new ArrayList<>();
      for (int k = random.nextInt(4); k > 0; k--) {
        ProjectId m = groups.get(random.nextInt(groups.size()));
        if (added.add(m)) {
          direct.add(m);
          b.putMembers(m, row(random, id, m, null, statuses, t, future));
        }
      }
      for (int k = random.nextInt(3); k > 0; k--) {
        ProjectId m = projects.get(random.nextInt(projects.size()));
        ProjectId via = !direct.isEmpty() && random.nextInt(4) > 0
            ? direct.get(random.nextInt(direct.size())) : groups.get(random.nextInt(groups.size()));
        if (!via.equals(m) && added.add(m)) {
          b.putMembers(m, row(random, id, m, via, statuses, t, future));
        }
      }
      catalog.insert(b.build());
    }
    return catalog;
  }

  private static Member row(Random random, ImageId id, ProjectId project, ProjectId via,
      MemberStatus[] statuses, Instant t, Instant future) {
    Member.Builder m = Member.builder().imageId(id).project(project)
        .status(statuses[random.nextInt(statuses.length)]).createdAt(t).updatedAt(t);
    if (via != null) {
      m.via(via);
    }
    if (random.nextInt(5) == 0) {
      m.expiresAt(random.nextBoolean() ? IsolationWorld.T0 : future);
    }
    return m.build();
  }

  private static MemoryCatalog catalog(Random random, List<ProjectId> projects) {
    MemoryCatalog catalog = new MemoryCatalog();
    Visibility[] visibilities = Visibility.values();
    MemberStatus[] statuses = MemberStatus.values();
    for (int n = 0; n < IMAGES; n++) {
      Instant t = IsolationWorld.T0.plusSeconds(n);
      Image.Builder b = Image.builder().id(IsolationWorld.id(n))
          .status(STATUSES.get(random.nextInt(STATUSES.size())))
          .visibility(visibilities[random.nextInt(visibilities.length)])
          .osHidden(random.nextInt(5) == 0)
          .createdAt(t).updatedAt(t);
      ProjectId owner = random.nextInt(8) == 0 ? null : projects.get(random.nextInt(projects.size()));
      if (owner != null) {
        b.owner(owner);
      }
      if (random.nextInt(6) == 0) {
        b.putProperties("imagegov_lifecycle_state", "obsolete");
      }
      int members = random.nextInt(4);
      java.util.Set<ProjectId> added = new java.util.HashSet<>();
      for (int k = 0; k < members; k++) {
        ProjectId m = projects.get(random.nextInt(projects.size()));
        if (m.equals(owner) || !added.add(m)) {
          continue;
        }
        b.putMembers(m, Member.builder().imageId(IsolationWorld.id(n)).project(m)
            .status(statuses[random.nextInt(statuses.length)]).createdAt(t).updatedAt(t)
            .build());
      }
      catalog.insert(b.build());
    }
    return catalog;
  }
}
