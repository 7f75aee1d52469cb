package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.CheckKind;
import dev.imagegov.access.CheckStep;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.exposure.ExposureGuardrail;
import dev.imagegov.exposure.ExposureReport;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The exposure guardrail (an imagegov extension): {@code producers-only} lets only producer
 * projects and admins make an image public or community, {@code blocked} lets nobody, on every
 * path (create, visibility change, patch), and {@code explain} names it. Setting it changes no
 * existing image; its report lists those it would not allow.
 */
final class ExposureGuardrailRulesTest {
  private static final ProjectId PRODUCER_PROJECT = ProjectId.of("producer");

  private static Fixtures with(ExposureGuardrail guardrail) {
    return new Fixtures(GovernanceConfig.builder().exposure(guardrail).build());
  }

  private static void refusedByGuardrail(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(GovernanceException.class, e -> {
          assertThat(e.code()).isEqualTo(RuleCode.EXPOSURE_GUARDRAIL);
          assertThat(e.httpStatus()).isEqualTo(403);
        })
        .hasMessageContaining("exposure guardrail");
  }

  @Test
  void openIsGlanceBehaviourAndTheDefault() {
    assertThat(GovernanceConfig.defaults().exposure()).isEqualTo(ExposureGuardrail.open());
    Fixtures f = new Fixtures();
    assertThat(f.create(OUTSIDER, "c", Visibility.COMMUNITY).visibility())
        .isEqualTo(Visibility.COMMUNITY);
  }

  @Test
  void producersOnlyRefusesANonProducerOnCreateVisibilityChangeAndPatch() {
    Fixtures f = with(ExposureGuardrail.producersOnly(List.of(PRODUCER_PROJECT)));
    refusedByGuardrail(() -> f.create(OUTSIDER, "c", Visibility.COMMUNITY));
    Image own = f.create(OUTSIDER, "p", Visibility.PRIVATE);
    refusedByGuardrail(() -> f.images().setVisibility(OUTSIDER, own.id(), Visibility.COMMUNITY));
    refusedByGuardrail(() -> f.images().patch(OUTSIDER, own.id(), JsonPatchParser.V2_1,
        "[{\"op\":\"replace\",\"path\":\"/visibility\",\"value\":\"community\"}]"));
    assertThat(f.images().get(OUTSIDER, own.id()).visibility()).isEqualTo(Visibility.PRIVATE);
    assertThat(f.images().get(OUTSIDER, own.id()).version()).isEqualTo(own.version());
  }

  @Test
  void producersOnlyLetsAProducerAndAnAdminExpose() {
    Fixtures f = with(ExposureGuardrail.producersOnly(List.of(PRODUCER_PROJECT)));
    assertThat(f.create(PRODUCER, "c", Visibility.COMMUNITY).visibility())
        .isEqualTo(Visibility.COMMUNITY);
    assertThat(f.createFor("outsider", "pub", Visibility.PUBLIC).visibility())
        .isEqualTo(Visibility.PUBLIC);
  }

  @Test
  void blockedRefusesEveryoneAdminsIncluded() {
    Fixtures f = with(ExposureGuardrail.blocked());
    refusedByGuardrail(() -> f.create(PRODUCER, "c", Visibility.COMMUNITY));
    refusedByGuardrail(() -> f.createFor("producer", "pub", Visibility.PUBLIC));
    Image shared = f.create(PRODUCER, "s", Visibility.SHARED);
    refusedByGuardrail(() -> f.images().setVisibility(ADMIN, shared.id(), Visibility.PUBLIC));
    // Less exposure is always allowed.
    assertThat(f.images().setVisibility(PRODUCER, shared.id(), Visibility.PRIVATE).visibility())
        .isEqualTo(Visibility.PRIVATE);
  }

  @Test
  void blockedHoldsUntilAnAdminLiftsItAndOnlyAnAdminMay() {
    Fixtures f = with(ExposureGuardrail.blocked());
    Image shared = f.create(PRODUCER, "s", Visibility.SHARED);
    refusedByGuardrail(() -> f.images().setVisibility(ADMIN, shared.id(), Visibility.PUBLIC));
    // A non-admin may not lift it, and a refused or empty change leaves it as it was.
    assertThatThrownBy(() -> f.governance.exposure().change(PRODUCER, ExposureGuardrail.open()))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.POLICY_DENIED));
    assertThatThrownBy(() -> f.governance.exposure().change(ADMIN, null))
        .isInstanceOf(GovernanceException.class).hasMessageContaining("missing");
    assertThat(f.governance.exposure().guardrail()).isEqualTo(ExposureGuardrail.blocked());
    refusedByGuardrail(() -> f.images().setVisibility(ADMIN, shared.id(), Visibility.PUBLIC));

    assertThat(f.governance.exposure().change(ADMIN, ExposureGuardrail.open()))
        .isEqualTo(ExposureGuardrail.blocked());
    assertThat(f.governance.access().explain(PRODUCER, shared.id(), Action.COMMUNITIZE).allowed())
        .isTrue();
    assertThat(f.images().setVisibility(PRODUCER, shared.id(), Visibility.COMMUNITY).visibility())
        .isEqualTo(Visibility.COMMUNITY);

    // Imposed again at run time: it changes no image, refuses new exposure, and the report
    // lists the image it would not allow.
    f.governance.exposure().change(ADMIN, ExposureGuardrail.blocked());
    assertThat(f.images().get(PRODUCER, shared.id()).visibility())
        .isEqualTo(Visibility.COMMUNITY);
    refusedByGuardrail(() -> f.create(PRODUCER, "c", Visibility.COMMUNITY));
    assertThat(f.governance.exposure().report(ADMIN).disallowed())
        .extracting(ExposureReport.Finding::image).containsExactly(shared.id());
    Image another = f.create(PRODUCER, "t", Visibility.SHARED);
    AccessExplanation e =
        f.governance.access().explain(PRODUCER, another.id(), Action.COMMUNITIZE);
    assertThat(e.errorCode()).contains(RuleCode.EXPOSURE_GUARDRAIL);
    assertThat(e.steps().get(e.steps().size() - 1).detail()).contains("blocked");
  }

  @Test
  void explainNamesTheGuardrailAndAgreesWithTheOperation() {
    Fixtures f = with(ExposureGuardrail.blocked());
    Image shared = f.create(PRODUCER, "s", Visibility.SHARED);
    AccessExplanation e = f.governance.access().explain(PRODUCER, shared.id(), Action.COMMUNITIZE);
    assertThat(e.allowed()).isFalse();
    assertThat(e.errorCode()).contains(RuleCode.EXPOSURE_GUARDRAIL);
    CheckStep last = e.steps().get(e.steps().size() - 1);
    assertThat(last.kind()).isEqualTo(CheckKind.GUARDRAIL);
    assertThat(last.passed()).isFalse();
    refusedByGuardrail(
        () -> f.images().setVisibility(PRODUCER, shared.id(), Visibility.COMMUNITY));
  }

  @Test
  void settingTheGuardrailChangesNoImageAndTheReportListsWhatItWouldNotAllow() {
    MemoryCatalogHolder holder = new MemoryCatalogHolder();
    ImageGovernance open = holder.governance(GovernanceConfig.defaults());
    Image community = open.images().create(OUTSIDER,
        dev.imagegov.NewImage.builder().name("c").visibility(Visibility.COMMUNITY).build());
    Image producers = open.images().create(PRODUCER,
        dev.imagegov.NewImage.builder().name("p").visibility(Visibility.COMMUNITY).build());
    ImageGovernance guarded = holder.governance(GovernanceConfig.builder()
        .exposure(ExposureGuardrail.producersOnly(List.of(PRODUCER_PROJECT))).build());
    assertThat(guarded.images().get(OUTSIDER, community.id()).visibility())
        .isEqualTo(Visibility.COMMUNITY);
    ExposureReport report = guarded.exposure().report(ADMIN);
    assertThat(report.disallowed()).extracting(ExposureReport.Finding::image)
        .containsExactly(community.id());
    assertThat(report.toMarkdown()).contains(community.id().value())
        .doesNotContain(producers.id().value());
    assertThat(report.toJson()).contains(community.id().value());
    assertThatThrownBy(() -> guarded.exposure().report(OUTSIDER))
        .isInstanceOf(GovernanceException.class);
  }

  @Test
  void defaultVisibilityPrivateGivesLeastExposure() {
    Fixtures f = new Fixtures(
        GovernanceConfig.builder().defaultVisibility(Visibility.PRIVATE).build());
    Image image = f.images().create(PRODUCER, dev.imagegov.NewImage.builder().name("x").build());
    assertThat(image.visibility()).isEqualTo(Visibility.PRIVATE);
    assertThat(new Fixtures().images()
        .create(PRODUCER, dev.imagegov.NewImage.builder().name("x").build()).visibility())
        .isEqualTo(Visibility.SHARED);
  }

  @Test
  void aProducerListWithoutProducersOnlyIsRefused() {
    assertThatThrownBy(() -> new ExposureGuardrail(
        ExposureGuardrail.Mode.BLOCKED, java.util.Set.of(PRODUCER_PROJECT)))
        .isInstanceOf(GovernanceException.class).hasMessageContaining("producers-only");
    assertThatThrownBy(() -> ExposureGuardrail.parse("closed", List.of()))
        .isInstanceOf(GovernanceException.class).hasMessageContaining("closed");
  }

  /** One memory catalog under two governances: the same images seen with two configurations. */
  private static final class MemoryCatalogHolder {
    private final dev.imagegov.store.memory.MemoryCatalog catalog =
        new dev.imagegov.store.memory.MemoryCatalog();

    ImageGovernance governance(GovernanceConfig config) {
      return ImageGovernance.builder().catalog(catalog).config(config).build();
    }
  }
}
