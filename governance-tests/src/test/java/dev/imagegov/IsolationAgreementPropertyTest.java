package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Caller;
import dev.imagegov.access.IsolationOracle;
import dev.imagegov.access.IsolationReport;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
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
