package dev.imagegov.testkit.assertions;

import static dev.imagegov.testkit.assertions.GovernanceAssertions.assertThat;
import static dev.imagegov.testkit.assertions.GovernanceAssertions.assertThatGovernance;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Policy;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.query.ListRequest;
import dev.imagegov.testkit.contract.ScanningCatalog;
import dev.imagegov.testkit.fixture.GoldenImageTenancy;
import dev.imagegov.testkit.fixture.Tenancy;
import dev.imagegov.testkit.gen.Callers;
import dev.imagegov.testkit.gen.Callers.Role;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The negative assertions hold for every caller the generators make (a caller that may not list
 * passes "cannot see"), the assertions are AssertJ assertions (descriptions, soft assertions), and
 * a list assertion's failure names the list's clause that decided it.
 */
class AssertionsForEveryCallerTest {
  /** Fixed: which callers a property draws must not be left to chance. */
  private static final long SEED = 20261207L;

  private final GoldenImageTenancy t = GoldenImageTenancy.on(new ScanningCatalog());

  @Test
  void noGeneratedCallerOutsideTheSharingSeesTheGoldenImage() {
    qt().withFixedSeed(SEED)
        .withExamples(60)
        .forAll(Callers.callers(List.of(dev.imagegov.model.ProjectId.of("outsider"),
            dev.imagegov.model.ProjectId.of("nobody"))))
        .assuming(c -> !c.roles().contains("admin"))
        .checkAssert(c -> assertThat(t.governance()).as(c).cannotSee(t.golden())
            .cannotSee(t.draft()).doesNotList(t.golden(), t.draft()).cannotDownload(t.golden()));
  }

  @Test
  void aCallerWhoMayNotListAtAllCannotSeeEvenItsOwnProjectsImages() {
    qt().withFixedSeed(SEED)
        .withExamples(20)
        .forAll(Callers.of(GoldenImageTenancy.PRODUCER).withRoles(Role.NO_ROLE, Role.NO_PROJECT))
        .checkAssert(c -> {
          // The premise: get_images refuses this caller any list.
          assertThatGovernance(() -> t.governance().images().list(c, ListRequest.empty()))
              .failsWith(RuleCode.POLICY_DENIED);
          assertThat(t.governance()).as(c).cannotSee(t.golden()).cannotSee(t.draft())
              .doesNotList(CallerAssert.EVERYTHING, t.golden());
        });
  }

  @Test
  void aCallerWhoMayListButNotGetCannotSee() {
    ImageGovernance.Builder b = ImageGovernance.builder().catalog(new ScanningCatalog())
        .config(GovernanceConfig.builder()
            .policy(Policy.secureDefaults().withRules(Map.of("get_image", "role:admin or role:member")))
            .build());
    GoldenImageTenancy locked = GoldenImageTenancy.on(b);
    qt().withFixedSeed(SEED)
        .withExamples(20)
        .forAll(Callers.of(GoldenImageTenancy.PRODUCER).reader())
        .checkAssert(c -> {
          // The premise: the reader may list, and the list answers.
          assertThatGovernance(() -> locked.governance().images().list(c, ListRequest.empty()))
              .succeeds();
          assertThat(locked.governance()).as(c).cannotSee(locked.golden())
              .cannotSee(locked.draft());
        });
  }

  @Test
  void aPositiveListAssertionNamesTheRefusalWhenTheCallerMayNotList() {
    var noRole = Callers.of(GoldenImageTenancy.PRODUCER).noRole().caller();
    assertThatThrownBy(() -> assertThat(t.governance()).as(noRole).listsExactly())
        .hasMessageContaining("but the list was refused with POLICY_DENIED (403)");
    assertThatThrownBy(() -> assertThat(t.governance()).as(noRole).lists(t.golden()))
        .hasMessageContaining("get_images");
  }

  @Test
  void describedAsAndWithFailMessageApplyToEveryAssertion() {
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.outsider())
            .describedAs("isolation of %s", "golden").canGet(t.golden()))
        .hasMessageStartingWith("[isolation of golden] Expected outsider.member");
    assertThatThrownBy(() -> assertThat(t.governance()).describedAs("tenancy")
            .as(t.pending()).lists(t.golden()))
        .hasMessageStartingWith("[tenancy] Expected the list");
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.outsider())
            .withFailMessage("no leak").canDownload(t.golden()))
        .hasMessage("no leak");
    var golden = t.governance().images().get(t.producer(), t.golden());
    assertThatThrownBy(() -> assertThat(golden).as("golden").hasVisibility(Visibility.PUBLIC))
        .hasMessageStartingWith("[golden] Expected image");
    assertThatThrownBy(() -> assertThatGovernance(() -> t.governance().images().get(t.producer(),
            t.golden())).as("get by the producer").failsWith(RuleCode.POLICY_DENIED))
        .hasMessageStartingWith("[get by the producer] Expected the call to be refused");
  }

  @Test
  void softAssertionsCollectEveryFailure() {
    // readme:soft:begin
    SoftAssertions softly = new SoftAssertions();
    softly.check(() -> assertThat(t.governance()).as(t.outsider()).canGet(t.golden()));
    softly.check(() -> assertThat(t.governance()).as(t.producer()).canGet(t.golden()));
    softly.check(() -> assertThat(t.governance()).as(t.producer()).cannotSee(t.draft()));
    // readme:soft:end
    softly.check(() -> assertThat(t.governance().images().get(t.producer(), t.golden()))
        .hasName("not golden"));
    org.assertj.core.api.Assertions.assertThat(softly.errorsCollected())
        .extracting(Throwable::getMessage)
        .satisfiesExactly(
            m -> org.assertj.core.api.Assertions.assertThat(m).contains("to get image"),
            m -> org.assertj.core.api.Assertions.assertThat(m).contains("to answer IMAGE_NOT_FOUND"),
            m -> org.assertj.core.api.Assertions.assertThat(m).contains("to have name"));
    assertThatThrownBy(softly::assertAll).hasMessageContaining("3 failures");
  }

  @Test
  void aListFailureSaysWhichClauseLeftTheImageOut() {
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.pending()).lists(t.golden()))
        .hasMessageContaining("MEMBER_STATUS: the caller's membership is pending");
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.producer())
            .lists(ListRequest.parse("name=other"), t.golden()))
        .hasMessageContaining("list ?name=other: FILTER");
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.producer()).doesNotList(t.golden()))
        .hasMessageContaining("LISTED: the image is listed");
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.rejecting())
            .listsExactly(t.golden()))
        .hasMessageContaining("MEMBER_STATUS: the caller's membership is rejected");
  }

  @Test
  void aListFailureNamesOsHiddenAndCommunity() {
    Tenancy custom = Tenancy.builder()
        .image("hidden", "p1", Visibility.PUBLIC)
        .image("community", "p1", Visibility.COMMUNITY)
        .project("p2")
        .buildOn(new ScanningCatalog());
    custom.governance().images().patch(custom.member("p1"), custom.image("hidden"),
        JsonPatchParser.V2_1, "[{\"op\":\"replace\",\"path\":\"/os_hidden\",\"value\":true}]");
    assertThatThrownBy(() -> assertThat(custom.governance()).as(custom.member("p2"))
            .lists(custom.image("hidden")))
        .hasMessageContaining("OS_HIDDEN");
    assertThatThrownBy(() -> assertThat(custom.governance()).as(custom.member("p2"))
            .listsExactly(custom.image("community")))
        .hasMessageContaining("COMMUNITY_NOT_ASKED");
  }
}
