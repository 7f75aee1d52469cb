package dev.imagegov.access;

import static dev.imagegov.access.Fixtures.CONSUMER;
import static dev.imagegov.access.Fixtures.OWNER;
import static dev.imagegov.access.Fixtures.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Visibility;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Explanations: readable, and consistent with the answer. */
class DecisionTest {
  private static final Policy POLICY = Policy.secureDefaults();

  @Test
  void decisionNamesTheRuleAndItsAnswer() {
    Caller reader = Caller.reader(OWNER);
    Decision d = POLICY.decide(Rules.GET_IMAGE, reader, ImageTarget.of(image(Visibility.PRIVATE), reader));
    assertThat(d.allowed()).isTrue();
    assertThat(d.rule()).isEqualTo(Rules.GET_IMAGE);
    assertThat(d.render()).startsWith("get_image = ALLOW\n");
  }

  @Test
  void traceShowsRolesAndComparedValues() {
    Caller reader = Caller.reader(OWNER);
    String text = POLICY.decide(Rules.GET_IMAGE, reader, ImageTarget.of(image(Visibility.PRIVATE), reader)).render();
    assertThat(text)
        .contains("role:admin → false (caller roles: reader)")
        .contains("project_id:%(project_id)s → true (caller project_id p-owner = target project_id p-owner)")
        .contains("'public':%(visibility)s → false ('public' ≠ target visibility private)")
        .contains("project_id:%(member_id)s → false (target has no member_id)");
  }

  @Test
  void deniedTraceSaysDeny() {
    Caller reader = Caller.reader(CONSUMER);
    Decision d = POLICY.decide(Rules.PUBLICIZE_IMAGE, reader, ImageTarget.of(image(Visibility.PRIVATE), reader));
    assertThat(d.allowed()).isFalse();
    assertThat(d.render()).isEqualTo("publicize_image = DENY\n  role:admin → false (caller roles: reader)\n");
  }

  @Test
  void ruleReferencesAreExpandedInTheTrace() {
    Policy p = POLICY.withRule("outer", "rule:get_images and @");
    Caller c = Caller.member(OWNER);
    Decision d = p.decide("outer", c, Fixtures.ownProject(c));
    assertThat(d.allowed()).isTrue();
    Explanation and = d.explanation();
    assertThat(and.check()).isEqualTo("and");
    Explanation ref = and.children().get(0);
    assertThat(ref.check()).isEqualTo("rule:get_images");
    assertThat(ref.children()).hasSize(1);
    assertThat(ref.children().get(0).check()).isEqualTo("or");
  }

  @Test
  void everyNodeResultIsConsistentWithItsChildren() {
    Caller c = Caller.member(CONSUMER);
    for (String rule : POLICY.ruleNames()) {
      Decision d = POLICY.decide(rule, c, ImageTarget.of(image(Visibility.SHARED), c));
      assertThat(d.allowed()).as(rule).isEqualTo(POLICY.allows(rule, c, ImageTarget.of(image(Visibility.SHARED), c)));
      assertConsistent(d.explanation());
    }
  }

  @Test
  void undefinedRuleIsExplained() {
    Decision d = POLICY.decide("nope", Caller.admin(OWNER), PolicyTarget.empty());
    assertThat(d.render()).isEqualTo("nope = DENY\n  rule:nope → false (no such rule in this policy)\n");
  }

  @Test
  void emptyRuleIsShownQuoted() {
    Decision d = POLICY.decide(Rules.DEFAULT, Caller.of(OWNER), PolicyTarget.empty());
    assertThat(d.render()).isEqualTo("default = ALLOW\n  \"\" → true (empty rule: always)\n");
  }

  @Test
  void explanationsAreValues() {
    Caller c = Caller.member(OWNER);
    Decision a = POLICY.decide(Rules.GET_IMAGES, c, Fixtures.ownProject(c));
    Decision b = POLICY.decide(Rules.GET_IMAGES, c, Fixtures.ownProject(c));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.explanation().toString()).isEqualTo(a.explanation().render());
  }

  static void assertConsistent(Explanation e) {
    List<Boolean> results = new ArrayList<>();
    for (Explanation child : e.children()) {
      assertConsistent(child);
      results.add(child.result());
    }
    switch (e.check()) {
      case "and":
        assertThat(e.result()).isEqualTo(!results.contains(false));
        break;
      case "or":
        assertThat(e.result()).isEqualTo(results.contains(true));
        break;
      case "not":
        assertThat(e.result()).isEqualTo(!results.get(0));
        break;
      default:
        if (e.check().startsWith("rule:") && !results.isEmpty()) {
          assertThat(e.result()).isEqualTo(results.get(0));
        }
    }
  }
}
