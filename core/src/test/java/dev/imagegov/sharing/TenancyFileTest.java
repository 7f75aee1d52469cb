package dev.imagegov.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.model.ProjectId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tenancy file declares domains and projects; every fault is refused naming its line. */
final class TenancyFileTest {
  private static final ProjectId ACME = ProjectId.of("acme");
  private static final ProjectId PLATFORM = ProjectId.of("platform");
  private static final ProjectId TEAM = ProjectId.of("team-a");

  private static MemoryTenancy parse(String yaml) {
    return TenancyFile.parse(yaml, "tenancy.yaml");
  }

  private static void refused(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(message);
  }

  @Test
  void projectsMayNameTheirParentBeforeItIsDeclaredAndInheritItsDomain() {
    MemoryTenancy t = parse(String.join("\n",
        "domains: [acme]",
        "projects:",
        "  team-a: {parent: platform}",
        "  platform: {domain: acme}",
        "  lab:",
        ""));
    assertThat(t.find(TEAM)).contains(new Tenant(TEAM, Optional.of(PLATFORM), Optional.of(ACME)));
    assertThat(t.lineage(TEAM)).containsExactly(PLATFORM, ACME);
    assertThat(t.find(ProjectId.of("lab"))).contains(Tenant.root(ProjectId.of("lab")));
    assertThat(t.find(ACME)).contains(Tenant.root(ACME));
  }

  @Test
  void anEmptyDocumentIsAnEmptyDirectory() {
    assertThat(parse("").tenants()).isEmpty();
  }

  @Test
  void aFileIsReadAndNamedInMessages(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tenancy.yaml");
    Files.writeString(file, "projects:\n  a: {parent: nowhere}\n");
    assertThatThrownBy(() -> TenancyFile.read(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("tenancy file " + file + ", line 2: project a names parent nowhere, which is"
            + " not declared");
    assertThatThrownBy(() -> TenancyFile.read(dir.resolve("missing.yaml")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("tenancy file " + dir.resolve("missing.yaml") + ": cannot be read");
  }

  @Test
  void unknownKeysAreRefusedWithTheirLine() {
    refused("domains: []\nteams: {}\n",
        "tenancy.yaml, line 2: unknown key \"teams\" (expected domains or projects)");
    refused("projects:\n  a: {parent: b, owner: c}\n  b: {}\n",
        "tenancy.yaml, line 2: project a: unknown key \"owner\" (expected parent or domain)");
  }

  @Test
  void valuesOfTheWrongKindAreRefused() {
    refused("- a\n", "tenancy.yaml, line 1: the document must be a mapping");
    refused("domains: acme\n", "tenancy.yaml, line 1: domains must be a list of ids");
    refused("projects: [a]\n",
        "tenancy.yaml, line 1: projects must be a mapping from project id to its parent and domain");
    refused("projects:\n  a: {parent: [b]}\n", "tenancy.yaml, line 2: project a: parent must be an id");
  }

  @Test
  void duplicatesAreRefused() {
    refused("domains: [acme, acme]\n", "tenancy.yaml, line 1: domain acme is declared twice");
    refused("domains: [acme]\nprojects:\n  acme: {}\n",
        "tenancy.yaml, line 3: acme is declared both as a domain and as a project");
  }

  @Test
  void unknownReferencesAreRefused() {
    refused("projects:\n  a: {domain: nowhere}\n",
        "tenancy.yaml, line 2: project a names domain nowhere, which is not declared");
    refused("domains: [d]\nprojects:\n  a: {parent: d}\n",
        "tenancy.yaml, line 3: project a names parent d, which is a domain");
  }

  @Test
  void aProjectBelowAParentBelongsToItsParentsDomain() {
    refused("domains: [d, e]\nprojects:\n  p: {domain: d}\n  c: {parent: p, domain: e}\n",
        "tenancy.yaml, line 4: project c names domain e but its parent p is in domain d");
  }

  @Test
  void aLoopingParentChainIsRefused() {
    refused("projects:\n  a: {parent: b}\n  b: {parent: a}\n",
        "tenancy.yaml, line 2: the parent chain of project a loops at a");
  }

  @Test
  void aChainDeeperThanTheBoundIsRefused() {
    StringBuilder yaml = new StringBuilder("projects:\n  p0: {}\n");
    for (int i = 1; i <= TenancyDirectory.MAX_DEPTH + 1; i++) {
      yaml.append("  p").append(i).append(": {parent: p").append(i - 1).append("}\n");
    }
    refused(yaml.toString(), "tenancy.yaml, line " + (TenancyDirectory.MAX_DEPTH + 3)
        + ": the parent chain of project p" + (TenancyDirectory.MAX_DEPTH + 1)
        + " is deeper than " + TenancyDirectory.MAX_DEPTH);
    StringBuilder deepest = new StringBuilder("projects:\n  p0: {}\n");
    for (int i = 1; i <= TenancyDirectory.MAX_DEPTH; i++) {
      deepest.append("  p").append(i).append(": {parent: p").append(i - 1).append("}\n");
    }
    assertThat(parse(deepest.toString()).lineage(ProjectId.of("p" + TenancyDirectory.MAX_DEPTH)))
        .hasSize(TenancyDirectory.MAX_DEPTH);
  }

  @Test
  void yamlSyntaxErrorsAliasesAndTagsAreRefusedWithTheirLine() {
    assertThatThrownBy(() -> parse("projects:\n  a: {parent: b\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("tenancy.yaml: not valid YAML at line ");
    refused("domains: [&d acme]\nprojects:\n  a: {domain: *d}\n",
        "tenancy.yaml, line 3: YAML aliases are not allowed (*d)");
    refused("domains: [!!binary acme]\n",
        "tenancy.yaml, line 1: YAML tags are not allowed (!tag:yaml.org,2002:binary)");
  }

  @Test
  void emptyIdsAreRefused() {
    refused("domains: ['']\n", "tenancy.yaml, line 1: a domain id is empty");
    refused("projects:\n  '': {}\n", "tenancy.yaml, line 2: a project has an empty id");
  }
}
