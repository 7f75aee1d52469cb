package dev.imagegov;

import static dev.imagegov.IsolationWorld.ACCEPTING;
import static dev.imagegov.IsolationWorld.COMMUNITY;
import static dev.imagegov.IsolationWorld.GOLDEN;
import static dev.imagegov.IsolationWorld.OUTSIDER;
import static dev.imagegov.IsolationWorld.PUBLIC;
import static dev.imagegov.IsolationWorld.SECRET;
import static dev.imagegov.IsolationWorld.UNSHARED;
import static dev.imagegov.access.IsolationReport.Kind.INDEX_DISAGREES;
import static dev.imagegov.access.IsolationReport.Kind.REFUSED_ACCESS;
import static dev.imagegov.access.IsolationReport.Kind.UNJUSTIFIED_ACCESS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.Caller;
import dev.imagegov.access.IsolationAction;
import dev.imagegov.access.IsolationOracle;
import dev.imagegov.access.IsolationReport;
import dev.imagegov.access.Policy;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Isolation verification finds every seeded fault: faults in the policy file, in the catalog (a
 * listing index that leaks or drops an image, a by-id read that exposes a private image or invents
 * a membership), and in the oracle itself. Each test seeds one fault into the clean {@link
 * IsolationWorld} (which has no finding, {@link IsolationVerificationTest}) and asserts exactly
 * which findings it produces.
 */
final class IsolationFaultsTest {

  private static IsolationReport withPolicy(String yaml) {
    GovernanceConfig config = GovernanceConfig.builder()
        .policy(Policy.parse(yaml, Policy.Format.YAML)).build();
    return new IsolationWorld(config, UnaryOperator.identity()).verify();
  }

  private static IsolationReport withCatalog(UnaryOperator<Catalog> fault) {
    return new IsolationWorld(GovernanceConfig.defaults(), fault).verify();
  }

  /** The world whose catalog answers a by-id read of {@code target} changed by {@code fault}. */
  private static IsolationReport withRead(ImageId target, UnaryOperator<Image> fault) {
    return withCatalog(c -> new ForwardingCatalog(c) {
      @Override
      public Optional<Image> find(ImageId id) {
        return super.find(id).map(i -> id.equals(target) ? fault.apply(i) : i);
      }
    });
  }

  /** The findings as {@code kind project image action} lines, for exact assertions. */
  private static List<String> lines(IsolationReport report) {
    return IsolationWorld.lines(report, IsolationFaultsTest::name);
  }

  private static String name(ImageId id) {
    return id.equals(GOLDEN) ? "golden" : id.equals(SECRET) ? "secret"
        : id.equals(PUBLIC) ? "public" : id.equals(UNSHARED) ? "unshared"
        : id.equals(COMMUNITY) ? "community" : id.value();
  }

  /**
   * With {@code context_is_admin} widened to every member, by-id visibility lets every project
   * see every image; {@code get_image} (which names {@code role:admin} itself) still guards private
   * images, so the over-grants are the shared images of which a project is not a member.
   */
  @Test
  void aPolicyThatMakesEveryMemberAnAdminIsFlaggedAsOverGrants() {
    IsolationReport report = withPolicy("context_is_admin: 'role:member'\n");
    assertThat(lines(report)).contains("unjustified_access outsider golden get",
        "unjustified_access outsider golden boot", "unjustified_access outsider unshared get",
        "unjustified_access consumer-b golden list");
    assertThat(report.findings())
        .allSatisfy(f -> assertThat(f.kind()).isEqualTo(UNJUSTIFIED_ACCESS))
        .noneMatch(f -> f.image().equals(SECRET));
    assertThat(report.findings()).filteredOn(f -> f.image().equals(GOLDEN)
            && f.project().value().equals(OUTSIDER) && f.action() == IsolationAction.GET)
        .singleElement()
        .satisfies(f -> assertThat(f.detail()).contains("admin").contains("no sharing rule"));
  }

  @Test
  void aPolicyThatRefusesDownloadsToMembersIsFlaggedAsRefusedBoots() {
    IsolationReport report = withPolicy("download_image: 'role:admin'\n");
    assertThat(report.findings()).isNotEmpty().allSatisfy(f -> {
      assertThat(f.kind()).isEqualTo(REFUSED_ACCESS);
      assertThat(f.action()).isEqualTo(IsolationAction.BOOT);
    });
    assertThat(lines(report)).contains("refused_access consumer-a golden boot",
        "refused_access outsider public boot", "refused_access producer secret boot");
  }

  @Test
  void aPolicyThatHidesSharedImagesFromMembersIsFlaggedAsRefusedGets() {
    IsolationReport report =
        withPolicy("get_image: 'role:admin or (role:reader and project_id:%(project_id)s)'\n");
    assertThat(lines(report)).contains("refused_access consumer-a golden get",
        "refused_access consumer-a golden boot", "refused_access consumer-a golden list",
        "refused_access outsider public get");
    assertThat(report.findings()).allSatisfy(f -> assertThat(f.kind()).isEqualTo(REFUSED_ACCESS));
    assertThat(lines(report)).noneMatch(l -> l.startsWith("refused_access producer golden")
        || l.startsWith("refused_access producer secret"));
  }

  @Test
  void aListingIndexThatLeaksASharedImageIsFlagged() {
    IsolationReport report = withCatalog(c -> new ForwardingCatalog(c) {
      @Override
      public List<Image> query(CatalogQuery query) {
        List<Image> rows = new ArrayList<>(super.query(query));
        if (query.marker().isEmpty()) {
          super.find(UNSHARED).filter(i -> !rows.contains(i)).ifPresent(i -> rows.add(0, i));
        }
        return rows;
      }
    });
    assertThat(lines(report)).contains("index_disagrees outsider unshared get",
        "unjustified_access outsider unshared list");
    assertThat(report.findings()).noneMatch(f -> f.action() == IsolationAction.GET
        && f.kind() != INDEX_DISAGREES);
  }

  @Test
  void aListingIndexThatDropsAnAcceptedImageIsFlagged() {
    IsolationReport report = withCatalog(c -> new ForwardingCatalog(c) {
      @Override
      public List<Image> query(CatalogQuery query) {
        List<Image> rows = new ArrayList<>(super.query(query));
        if (query.project().map(p -> p.value().equals(ACCEPTING)).orElse(false)) {
          rows.removeIf(i -> i.id().equals(GOLDEN));
        }
        return rows;
      }
    });
    assertThat(lines(report)).containsExactlyInAnyOrder("index_disagrees consumer-a golden get",
        "refused_access consumer-a golden list");
  }

  @Test
  void aByIdReadThatExposesAPrivateImageIsFoundByTheStrangerCheck() {
    IsolationReport report = withRead(SECRET,
        i -> Image.builder().from(i).visibility(Visibility.COMMUNITY).build());
    assertThat(report.findings()).isNotEmpty().allSatisfy(f -> {
      assertThat(f.image()).isEqualTo(SECRET);
      assertThat(f.kind()).isEqualTo(UNJUSTIFIED_ACCESS);
    });
    assertThat(report.findings()).extracting(IsolationReport.Finding::action)
        .contains(IsolationAction.GET, IsolationAction.BOOT);
    ProjectId stranger = report.findings().get(0).project();
    assertThat(stranger.value()).isNotEqualTo(IsolationWorld.PRODUCER);
    assertThat(report.checks())
        .contains(new IsolationReport.OperatorCheck(stranger, SECRET, false))
        .doesNotContain(new IsolationReport.OperatorCheck(stranger, SECRET, true));
  }

  @Test
  void aByIdReadThatInventsAMembershipIsFlagged() {
    IsolationReport report = withRead(GOLDEN, i -> Image.builder().from(i)
        .putMembers(ProjectId.of(OUTSIDER), Member.builder().imageId(i.id())
            .project(ProjectId.of(OUTSIDER)).status(MemberStatus.ACCEPTED)
            .createdAt(i.createdAt()).updatedAt(i.createdAt()).build()).build());
    assertThat(lines(report)).containsExactlyInAnyOrder(
        "unjustified_access outsider golden get", "unjustified_access outsider golden boot",
        "unjustified_access outsider golden list_members");
  }

  @Test
  void anOracleThatForgetsCommunityImagesDisagreesWithTheGovernance() {
    IsolationOracle forgetful = new IsolationOracle() {
      @Override
      public Optional<String> justify(
          Caller caller, Image image, IsolationAction action, Context context) {
        boolean owner = image.owner().map(caller::isIn).orElse(false);
        return image.visibility() == Visibility.COMMUNITY && !owner
            ? Optional.empty()
            : IsolationOracle.glanceRules().justify(caller, image, action, context);
      }

      @Override
      public String name() {
        return "forgetful";
      }
    };
    IsolationReport report = new IsolationWorld().verify(forgetful);
    assertThat(report.findings()).isNotEmpty().allSatisfy(f -> {
      assertThat(f.image()).isEqualTo(COMMUNITY);
      assertThat(f.kind()).isEqualTo(UNJUSTIFIED_ACCESS);
      assertThat(f.detail()).contains("forgetful");
    });
    assertThat(lines(report)).contains("unjustified_access consumer-a community get",
        "unjustified_access consumer-a community boot");
  }

  /**
   * An image whose by-id read is newer than the scan (a write during the run) is skipped and
   * counted, not judged: its answers say nothing about the state the oracle judged.
   */
  @Test
  void anImageChangedDuringTheRunIsSkippedNotJudged() {
    IsolationReport report = withRead(SECRET, i -> Image.builder().from(i)
        .visibility(Visibility.COMMUNITY).version(i.version() + 1).build());
    assertThat(report.findings()).isEmpty();
    assertThat(report.pairsSkipped()).isPositive();
    assertThat(report.grants()).noneMatch(g -> g.image().equals(SECRET));
    assertThat(report.toMarkdown()).contains("skipped because their image changed during the run");
  }
}
