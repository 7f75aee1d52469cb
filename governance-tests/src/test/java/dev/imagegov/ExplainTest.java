package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.Caller;
import dev.imagegov.access.CheckKind;
import dev.imagegov.access.CheckStep;
import dev.imagegov.access.VisibilityReason;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code explain}: the decision, the visibility clause and the rule chain behind it. */
class ExplainTest {
  private final Fixtures f = new Fixtures();

  @Test
  void explainNamesTheVisibilityClauseAndTheRuleTrace() {
    Image image = f.createFor("producer", "pub", Visibility.PUBLIC);
    AccessExplanation why = f.governance.access().explain(OUTSIDER, image.id(), Action.GET);
    assertThat(why.outcome()).isEqualTo(AccessExplanation.Outcome.ALLOWED);
    assertThat(why.visibility()).isEqualTo(VisibilityReason.PUBLIC);
    assertThat(why.decisions()).hasSize(1);
    assertThat(why.render()).contains("the image is public").contains("get_image");
  }

  @Test
  void explainOfAnInvisibleImageSaysNotFound() {
    Image image = f.create(PRODUCER, "priv", Visibility.PRIVATE);
    AccessExplanation why = f.governance.access().explain(OUTSIDER, image.id(), Action.GET);
    assertThat(why.outcome()).isEqualTo(AccessExplanation.Outcome.NOT_FOUND);
    assertThat(why.visibility()).isEqualTo(VisibilityReason.INVISIBLE);
  }

  @Test
  void explainOfPublicizeByOwnerShowsTheDenyingRule() {
    Image image = f.create(PRODUCER, "golden", Visibility.SHARED);
    AccessExplanation why = f.governance.access().explain(PRODUCER, image.id(), Action.PUBLICIZE);
    assertThat(why.outcome()).isEqualTo(AccessExplanation.Outcome.FORBIDDEN);
    assertThat(why.visibility()).isEqualTo(VisibilityReason.OWNER);
    CheckStep failed = why.steps().get(why.steps().size() - 1);
    assertThat(failed.passed()).isFalse();
    assertThat(failed.kind()).isEqualTo(CheckKind.POLICY);
    assertThat(failed.decisions().get(0).rule()).isEqualTo("publicize_image");
    assertThat(failed.decisions().get(0).allowed()).isFalse();
    assertThat(why.render()).contains("publicize_image");
  }

  @Test
  void explainOfDeletingAProtectedImageNamesTheState() {
    Image image = f.images().create(PRODUCER, NewImage.builder().isProtected(true).build());
    AccessExplanation why = f.governance.access().explain(PRODUCER, image.id(), Action.DELETE);
    assertThat(why.outcome()).isEqualTo(AccessExplanation.Outcome.FORBIDDEN);
    assertThat(why.stateCheck()).hasValueSatisfying(s -> assertThat(s).contains("protected"));
  }

  @Test
  void explainAgreesWithGetAndDownloadForEveryCallerAndImage() {
    List<Caller> callers =
        List.of(PRODUCER, CONSUMER_A, OUTSIDER, ADMIN, Caller.reader("producer"), Caller.of("producer"),
            Caller.withoutProject("reader"));
    for (Visibility v : Visibility.values()) {
      ImageId id = f.createFor("producer", "img-" + v, v).id();
      if (v == Visibility.SHARED) {
        f.sharing().addMember(PRODUCER, id, "consumer-a");
      }
      for (Caller c : callers) {
        assertAgrees(c, id, Action.GET, () -> f.images().get(c, id));
        assertAgrees(c, id, Action.DOWNLOAD, () -> f.governance.access().authorizeDownload(c, id));
        assertAgrees(c, id, Action.LIST_MEMBERS, () -> f.sharing().listMembers(c, id));
      }
    }
  }

  private void assertAgrees(Caller c, ImageId id, Action action, Runnable operation) {
    AccessExplanation why = f.governance.access().explain(c, id, action);
    AccessExplanation.Outcome actual;
    try {
      operation.run();
      actual = AccessExplanation.Outcome.ALLOWED;
    } catch (GovernanceException e) {
      actual =
          e.httpStatus() == 404 ? AccessExplanation.Outcome.NOT_FOUND : AccessExplanation.Outcome.FORBIDDEN;
    }
    assertThat(why.outcome()).as("%s %s on %s%n%s", c, action, id, why.render()).isEqualTo(actual);
  }
}
