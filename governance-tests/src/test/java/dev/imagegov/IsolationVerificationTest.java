package dev.imagegov;

import static dev.imagegov.IsolationWorld.ACCEPTING;
import static dev.imagegov.IsolationWorld.ADMIN;
import static dev.imagegov.IsolationWorld.COMMUNITY;
import static dev.imagegov.IsolationWorld.CONSUMER_OWN;
import static dev.imagegov.IsolationWorld.DEACTIVATED;
import static dev.imagegov.IsolationWorld.DORMANT;
import static dev.imagegov.IsolationWorld.GOLDEN;
import static dev.imagegov.IsolationWorld.HIDDEN;
import static dev.imagegov.IsolationWorld.OUTSIDER;
import static dev.imagegov.IsolationWorld.PENDING;
import static dev.imagegov.IsolationWorld.PRODUCER;
import static dev.imagegov.IsolationWorld.PUBLIC;
import static dev.imagegov.IsolationWorld.REJECTING;
import static dev.imagegov.IsolationWorld.SECRET;
import static dev.imagegov.IsolationWorld.UNOWNED;
import static dev.imagegov.IsolationWorld.UNSHARED;
import static dev.imagegov.access.IsolationAction.BOOT;
import static dev.imagegov.access.IsolationAction.CHANGE;
import static dev.imagegov.access.IsolationAction.GET;
import static dev.imagegov.access.IsolationAction.LIST;
import static dev.imagegov.access.IsolationAction.LIST_MEMBERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegov.access.Caller;
import dev.imagegov.access.IsolationAction;
import dev.imagegov.access.IsolationOracle;
import dev.imagegov.access.IsolationReport;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.model.ReferenceModelOracle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Isolation verification ({@code access().verifyIsolation}): for each project and image, the
 * actions the governance allows and the rule behind each, judged by an independent oracle. The
 * rule examples here are on a clean tenancy; {@link IsolationFaultsTest} seeds faults.
 */
final class IsolationVerificationTest {
  private final IsolationWorld world = new IsolationWorld();
  private final IsolationReport report = world.verify();

  /** The actions {@code project} may take on {@code image}, as the report grants them. */
  private Set<IsolationAction> actions(String project, ImageId image) {
    Set<IsolationAction> out = EnumSet.noneOf(IsolationAction.class);
    for (IsolationReport.Grant g : report.grantsOf(ProjectId.of(project))) {
      if (g.image().equals(image)) {
        out.add(g.action());
      }
    }
    return out;
  }

  private String rule(String project, ImageId image, IsolationAction action) {
    return report.grantsOf(ProjectId.of(project)).stream()
        .filter(g -> g.image().equals(image) && g.action() == action)
        .map(IsolationReport.Grant::rule).findFirst().orElse("(not granted)");
  }

  @Test
  void aCleanTenancyHasNoFindings() {
    assertThat(report.findings()).isEmpty();
    assertThat(report.clean()).isTrue();
    assertThat(report.pairsSkipped()).isZero();
    assertThat(report.images()).isEqualTo(10);
    assertThat(report.oracle()).isEqualTo("glance-rules");
  }

  @Test
  void aCleanTenancyHasNoFindingsAgainstTheReferenceModel() {
    IsolationReport byModel = world.verify(new ReferenceModelOracle());
    assertThat(byModel.findings()).isEmpty();
    assertThat(byModel.oracle()).isEqualTo("reference-model");
    assertThat(triples(byModel)).isEqualTo(triples(report));
    assertThat(byModel.grants()).extracting(IsolationReport.Grant::rule)
        .isEqualTo(report.grants().stream().map(IsolationReport.Grant::rule)
            .collect(Collectors.toList()));
  }

  private static List<String> triples(IsolationReport r) {
    return r.grants().stream().map(g -> g.project() + " " + g.image() + " " + g.action())
        .collect(Collectors.toList());
  }

  @Test
  void theOwnerMayDoEverythingWithItsSharedImage() {
    assertThat(actions(PRODUCER, GOLDEN)).containsExactly(GET, LIST, BOOT, LIST_MEMBERS, CHANGE);
    assertThat(rule(PRODUCER, GOLDEN, CHANGE)).isEqualTo("owner");
  }

  @Test
  void anAcceptedMemberGetsListsBootsAndListsMembersButCannotChange() {
    assertThat(actions(ACCEPTING, GOLDEN)).containsExactly(GET, LIST, BOOT, LIST_MEMBERS);
    assertThat(rule(ACCEPTING, GOLDEN, BOOT)).isEqualTo("member (accepted) of a shared image");
  }

  @Test
  void aPendingOrRejectedMemberBootsButDoesNotListTheImage() {
    assertThat(actions(PENDING, GOLDEN)).containsExactly(GET, BOOT, LIST_MEMBERS);
    assertThat(actions(REJECTING, GOLDEN)).containsExactly(GET, BOOT, LIST_MEMBERS);
    assertThat(rule(PENDING, GOLDEN, BOOT)).isEqualTo("member (pending) of a shared image");
  }

  @Test
  void noOtherProjectSeesAPrivateImage() {
    for (String p : List.of(ACCEPTING, PENDING, REJECTING, OUTSIDER)) {
      assertThat(actions(p, SECRET)).as(p).isEmpty();
    }
    assertThat(actions(PRODUCER, SECRET)).containsExactly(GET, LIST, BOOT, CHANGE);
  }

  @Test
  void aMembershipOfAPrivateImageIsDormant() {
    assertThat(actions(ACCEPTING, DORMANT)).isEmpty();
  }

  @Test
  void anOutsiderSeesNoSharedImageItIsNotAMemberOf() {
    assertThat(actions(OUTSIDER, GOLDEN)).isEmpty();
    assertThat(actions(OUTSIDER, UNSHARED)).isEmpty();
    assertThat(actions(OUTSIDER, DEACTIVATED)).isEmpty();
  }

  @Test
  void aPublicImageIsGotListedAndBootedByAllAndChangedByItsOwnerOnly() {
    assertThat(actions(OUTSIDER, PUBLIC)).containsExactly(GET, LIST, BOOT);
    assertThat(rule(OUTSIDER, PUBLIC, BOOT)).isEqualTo("public image");
    assertThat(actions(PRODUCER, PUBLIC)).containsExactly(GET, LIST, BOOT, CHANGE);
  }

  @Test
  void aCommunityImageIsBootedByAllButListedByItsOwnerOnly() {
    assertThat(actions(ACCEPTING, COMMUNITY)).containsExactly(GET, BOOT);
    assertThat(actions(OUTSIDER, COMMUNITY)).containsExactly(GET, LIST, BOOT, CHANGE);
  }

  @Test
  void aHiddenImageIsBootableButNotListed() {
    assertThat(actions(ACCEPTING, HIDDEN)).containsExactly(GET, BOOT);
  }

  @Test
  void aDeactivatedImageIsGotButNotBooted() {
    assertThat(actions(ACCEPTING, DEACTIVATED)).containsExactly(GET, LIST, LIST_MEMBERS);
    assertThat(actions(PRODUCER, DEACTIVATED)).containsExactly(GET, LIST, LIST_MEMBERS, CHANGE);
  }

  @Test
  void anUnownedPublicImageIsChangedByNobody() {
    assertThat(actions(OUTSIDER, UNOWNED)).containsExactly(GET, LIST, BOOT);
    assertThat(rule(OUTSIDER, UNOWNED, GET)).isEqualTo("unowned image");
  }

  @Test
  void eachPrivateImageNamesWhoCanSeeIt() {
    Map<ImageId, Set<String>> seen = new TreeMap<>();
    for (IsolationReport.PrivateImage i : report.privateImages()) {
      seen.put(i.image(), i.seenBy().keySet().stream().map(ProjectId::value)
          .collect(Collectors.toSet()));
    }
    assertThat(seen).containsOnlyKeys(GOLDEN, SECRET, DORMANT, DEACTIVATED, UNSHARED,
        CONSUMER_OWN);
    assertThat(seen.get(GOLDEN)).containsExactlyInAnyOrder(PRODUCER, ACCEPTING, PENDING,
        REJECTING);
    assertThat(seen.get(SECRET)).containsExactly(PRODUCER);
    assertThat(seen.get(DORMANT)).containsExactly(PRODUCER);
    assertThat(seen.get(CONSUMER_OWN)).containsExactly(ACCEPTING);
  }

  @Test
  void operatorChecksSayFoundForEachSeerAndNotFoundForAStranger() {
    List<IsolationReport.OperatorCheck> secret = report.checks().stream()
        .filter(c -> c.image().equals(SECRET)).collect(Collectors.toList());
    assertThat(secret).filteredOn(IsolationReport.OperatorCheck::found)
        .extracting(c -> c.project().value()).containsExactly(PRODUCER);
    assertThat(secret).filteredOn(c -> !c.found()).hasSize(1)
        .allSatisfy(c -> assertThat(c.project().value()).isNotEqualTo(PRODUCER));
    assertThat(report.toOperatorScript())
        .contains("openstack --os-project-id producer image show " + SECRET
            + "  # must answer: found")
        .contains("image show " + SECRET + "  # must answer: not found");
  }

  /**
   * The operator's checks say what the sharing rules expect, not what the governance answers: an
   * over-grant (here every member made an admin, so the outsider gets the golden image) is listed
   * as a check that must answer not found.
   */
  @Test
  void operatorChecksFollowTheRulesNotTheGovernance() {
    IsolationReport faulty = new IsolationWorld(GovernanceConfig.builder()
        .policy(dev.imagegov.access.Policy.parse("context_is_admin: 'role:member'\n",
            dev.imagegov.access.Policy.Format.YAML)).build(),
        java.util.function.UnaryOperator.identity()).verify();
    assertThat(faulty.checks())
        .contains(new IsolationReport.OperatorCheck(ProjectId.of(OUTSIDER), GOLDEN, false))
        .doesNotContain(new IsolationReport.OperatorCheck(ProjectId.of(OUTSIDER), GOLDEN, true));
    assertThat(faulty.privateImages()).filteredOn(i -> i.image().equals(GOLDEN)).singleElement()
        .satisfies(i -> assertThat(i.seenBy()).containsKey(ProjectId.of(OUTSIDER)));
  }

  @Test
  void rendersAsJson() throws Exception {
    JsonNode doc = new ObjectMapper().readTree(report.toJson());
    assertThat(doc.get("oracle").asText()).isEqualTo("glance-rules");
    assertThat(doc.get("clean").asBoolean()).isTrue();
    assertThat(doc.get("findings")).isEmpty();
    assertThat(doc.at("/consumers/consumer-a").findValuesAsText("image"))
        .contains(GOLDEN.value()).doesNotContain(SECRET.value(), DORMANT.value());
    JsonNode golden = null;
    for (JsonNode row : doc.at("/consumers/consumer-a")) {
      if (row.get("image").asText().equals(GOLDEN.value())) {
        golden = row;
      }
    }
    assertThat(golden.at("/actions/boot").asText()).isEqualTo("member (accepted) of a shared image");
    assertThat(doc.get("private_images")).hasSize(6);
    assertThat(doc.get("checks").size()).isEqualTo(report.checks().size());
  }

  @Test
  void rendersAsMarkdownPerConsumerAndPerPrivateImage() {
    String md = report.toMarkdown();
    assertThat(md).contains("## Isolation verification", "None: every access is justified",
        "### What each consumer can boot, and why", "#### consumer-b",
        "| " + GOLDEN + " | member (pending) of a shared image |",
        "### Who can see each private or shared image",
        "| " + SECRET + " | producer | private | producer (owner) |");
  }

  @Test
  void onlyAnAdminMayVerify() {
    assertThatThrownBy(() -> world.governance.access().verifyIsolation(
        Caller.member(PRODUCER), world.tenancy))
        .isInstanceOfSatisfying(GovernanceException.class, e -> {
          assertThat(e.code()).isEqualTo(RuleCode.POLICY_DENIED);
          assertThat(e.httpStatus()).isEqualTo(403);
        });
  }

  @Test
  void verifiesAnExplicitProjectListOnce() {
    IsolationReport two = world.governance.access().verifyIsolation(ADMIN,
        List.of(ProjectId.of(OUTSIDER), ProjectId.of(OUTSIDER), ProjectId.of(PENDING)),
        TenancyDirectory.none(), IsolationOracle.glanceRules());
    assertThat(two.projects()).containsExactly(ProjectId.of(OUTSIDER), ProjectId.of(PENDING));
    assertThat(two.findings()).isEmpty();
    assertThat(two.grantsOf(ProjectId.of(PENDING))).extracting(g -> g.image())
        .contains(GOLDEN);
  }

  /**
   * 40 projects owning 5 private images each: the verifier asks about each project's own images
   * and one stranger per image, 400 pairs, not the 8,000 of every project × image.
   */
  @Test
  void unrelatedPairsAreNotAsked() {
    MemoryCatalog catalog = new MemoryCatalog();
    List<ProjectId> projects = new ArrayList<>();
    Instant t = IsolationWorld.T0;
    for (int p = 0; p < 40; p++) {
      projects.add(ProjectId.of("p" + p));
      for (int k = 0; k < 5; k++) {
        catalog.insert(Image.builder().id(IsolationWorld.id(p * 5 + k)).owner(projects.get(p))
            .status(ImageStatus.ACTIVE).visibility(Visibility.PRIVATE)
            .createdAt(t).updatedAt(t).build());
      }
    }
    ImageGovernance g = ImageGovernance.builder().catalog(catalog).build();
    IsolationReport r = g.access().verifyIsolation(ADMIN, projects, TenancyDirectory.none(),
        IsolationOracle.glanceRules());
    assertThat(r.findings()).isEmpty();
    assertThat(r.pairsChecked()).isEqualTo(400);
    assertThat(r.checks()).filteredOn(c -> !c.found()).hasSize(200);
  }
}
