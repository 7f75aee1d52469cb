package dev.imagegov.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.model.ProjectId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The memory tenancy directory keeps the port's contract: chains end, never loop, name known projects. */
final class MemoryTenancyTest {
  private static final ProjectId DOMAIN = ProjectId.of("dom");
  private static final ProjectId ORG = ProjectId.of("org");
  private static final ProjectId TEAM = ProjectId.of("team");
  private static final ProjectId OTHER = ProjectId.of("other");

  private static MemoryTenancy tree() {
    return MemoryTenancy.builder()
        .domain(DOMAIN)
        .project(ORG, null, DOMAIN)
        .project(TEAM, ORG, DOMAIN)
        .project(OTHER)
        .build();
  }

  @Test
  void lineageListsAncestorsNearestFirstThenTheDomain() {
    MemoryTenancy t = tree();
    assertThat(t.lineage(TEAM)).containsExactly(ORG, DOMAIN);
    assertThat(t.lineage(ORG)).containsExactly(DOMAIN);
    assertThat(t.lineage(OTHER)).isEmpty();
    assertThat(t.lineage(ProjectId.of("unknown"))).isEmpty();
  }

  @Test
  void aMovedProjectIsAnsweredFromItsNewPlaceAtOnce() {
    MemoryTenancy t = tree();
    t.put(new Tenant(TEAM, Optional.of(OTHER), Optional.empty()));
    assertThat(t.lineage(TEAM)).containsExactly(OTHER);
  }

  @Test
  void aProjectCannotMoveBelowItsOwnDescendant() {
    MemoryTenancy t = tree();
    assertThatThrownBy(() -> t.put(new Tenant(ORG, Optional.of(TEAM), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("descendant");
    assertThat(t.lineage(TEAM)).containsExactly(ORG, DOMAIN);
  }

  @Test
  void aParentMustBeKnownFirst() {
    assertThatThrownBy(() -> MemoryTenancy.builder().project(TEAM, ORG, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not know");
  }

  @Test
  void aProjectOthersNameCannotBeRemoved() {
    MemoryTenancy t = tree();
    assertThatThrownBy(() -> t.remove(ORG)).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.remove(TEAM)).isTrue();
    assertThat(t.remove(ORG)).isTrue();
    assertThat(t.tenants()).extracting(Tenant::id).containsExactly(DOMAIN, OTHER);
  }

  @Test
  void aLoopingDirectoryIsReportedNotFollowedForever() {
    TenancyDirectory looping = new TenancyDirectory() {
      @Override
      public Optional<Tenant> find(ProjectId p) {
        return Optional.of(new Tenant(p,
            Optional.of(p.equals(ORG) ? TEAM : ORG), Optional.empty()));
      }

      @Override
      public List<Tenant> tenants() {
        return List.of();
      }
    };
    assertThatThrownBy(() -> looping.lineage(TEAM)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("loops");
  }

  @Test
  void noneKnowsNobody() {
    assertThat(TenancyDirectory.none().knows(ORG)).isFalse();
    assertThat(TenancyDirectory.none().tenants()).isEmpty();
  }
}
