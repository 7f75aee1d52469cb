package dev.imagegov.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.model.UserId;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The oslo.policy expression language, through {@link Policy#withRule}. */
class RuleParserTest {
  private static final Policy BASE = Policy.secureDefaults().withImpliedRoles(Map.of());
  private static final Caller ALICE = Caller.of("p1", "a");
  private static final PolicyTarget TARGET =
      PolicyTarget.of(Map.of("owner", "p1", "visibility", "public", "other", "p2", "flag", "True"));

  private static boolean eval(String check) {
    return eval(check, ALICE, TARGET);
  }

  private static boolean eval(String check, Caller caller, PolicyTarget target) {
    Policy p = BASE.withRule("t", check);
    boolean r = p.allows("t", caller, target);
    assertThat(p.decide("t", caller, target).allowed()).as("decide agrees for %s", check).isEqualTo(r);
    return r;
  }

  static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String check) {
    return assertThatThrownBy(() -> BASE.withRule("bad_rule", check))
        .hasMessageContaining("bad_rule")
        .isInstanceOf(ConfigurationException.class);
  }

  // ------------------------------------------------------------ constants

  @Test
  void emptyRuleAlwaysAllows() {
    assertThat(eval("")).isTrue();
    assertThat(eval("", Caller.withoutProject(), PolicyTarget.empty())).isTrue();
  }

  @Test
  void atAlwaysAllowsAndBangNeverDoes() {
    assertThat(eval("@")).isTrue();
    assertThat(eval("!")).isFalse();
  }

  // ------------------------------------------------------------ check kinds

  @Test
  void roleCheckMatchesEffectiveRolesIgnoringCase() {
    assertThat(eval("role:a")).isTrue();
    assertThat(eval("role:A")).isTrue();
    assertThat(eval("role:b")).isFalse();
  }

  @Test
  void roleCheckMayTakeItsNameFromTheTarget() {
    PolicyTarget t = PolicyTarget.of(Map.of("needed", "A"));
    assertThat(eval("role:%(needed)s", ALICE, t)).isTrue();
    assertThat(eval("role:%(missing)s", ALICE, t)).isFalse();
  }

  @Test
  void ruleCheckEvaluatesTheReferencedRule() {
    Policy p = BASE.withRule("inner", "role:a").withRule("outer", "rule:inner and @");
    assertThat(p.allows("outer", ALICE, TARGET)).isTrue();
    assertThat(p.allows("outer", Caller.of("p1", "b"), TARGET)).isFalse();
  }

  @Test
  void projectIdComparesCallerProjectWithTargetValue() {
    assertThat(eval("project_id:%(owner)s")).isTrue();
    assertThat(eval("project_id:%(other)s")).isFalse();
    assertThat(eval("tenant:%(owner)s")).isTrue();
  }

  @Test
  void absentTargetValueNeverMatches() {
    assertThat(eval("project_id:%(nothing)s")).isFalse();
    assertThat(eval("not project_id:%(nothing)s")).isTrue();
  }

  @Test
  void callerWithoutProjectNeverMatchesProjectId() {
    assertThat(eval("project_id:%(owner)s", Caller.withoutProject("a"), TARGET)).isFalse();
  }

  @Test
  void projectIdMayBeComparedWithALiteral() {
    assertThat(eval("project_id:p1")).isTrue();
    assertThat(eval("project_id:p2")).isFalse();
  }

  @Test
  void templatesMixTextAndPlaceholders() {
    PolicyTarget t = PolicyTarget.of(Map.of("suffix", "1"));
    assertThat(eval("project_id:p%(suffix)s", ALICE, t)).isTrue();
    assertThat(eval("project_id:p%%", Caller.of("p%", "a"), t)).isTrue();
  }

  @Test
  void userIdComparesCallerUser() {
    Caller bob = ALICE.as(UserId.of("u1"));
    assertThat(eval("user_id:%(uid)s", bob, PolicyTarget.of(Map.of("uid", "u1")))).isTrue();
    assertThat(eval("user_id:%(uid)s", ALICE, PolicyTarget.of(Map.of("uid", "u1")))).isFalse();
  }

  @Test
  void isAdminComesFromContextIsAdmin() {
    assertThat(eval("is_admin:True", Caller.of("p1", "admin"), TARGET)).isTrue();
    assertThat(eval("is_admin:True")).isFalse();
    assertThat(eval("is_admin:False")).isTrue();
    assertThat(eval("is_admin:%(flag)s", Caller.of("p1", "admin"), TARGET)).isTrue();
  }

  @Test
  void isAdminInsideContextIsAdminReadsFalse() {
    Policy p = BASE.withRule(Rules.CONTEXT_IS_ADMIN, "role:admin or not is_admin:True");
    assertThat(p.isAdmin(Caller.of("p1", "nobody"))).isTrue();
  }

  @Test
  void rolesAttributeChecksMembership() {
    assertThat(eval("roles:a")).isTrue();
    assertThat(eval("roles:b")).isFalse();
  }

  @Test
  void unknownCallerAttributeNeverMatches() {
    assertThat(eval("visibility:public")).isFalse();
    assertThat(eval("domain_id:%(owner)s")).isFalse();
  }

  @Test
  void quotedLiteralComparesWithTargetValue() {
    assertThat(eval("'public':%(visibility)s")).isTrue();
    assertThat(eval("\"public\":%(visibility)s")).isTrue();
    assertThat(eval("'shared':%(visibility)s")).isFalse();
    assertThat(eval("'public':%(absent)s")).isFalse();
  }

  @Test
  void pythonConstantsAreLiterals() {
    assertThat(eval("True:%(flag)s")).isTrue();
    assertThat(eval("42:%(n)s", ALICE, PolicyTarget.of(Map.of("n", "42")))).isTrue();
  }

  // ------------------------------------------------------------ operators

  @Test
  void notBindsTighterThanAnd() {
    // (not role:a) and role:b  — false for ALICE; not (role:a and role:b) would be true
    assertThat(eval("not role:a and role:b")).isFalse();
  }

  @Test
  void andBindsTighterThanOr() {
    // role:a or (role:b and !)  — true; (role:a or role:b) and ! would be false
    assertThat(eval("role:a or role:b and !")).isTrue();
    assertThat(eval("! and role:b or role:a")).isTrue();
  }

  @Test
  void parenthesesOverridePrecedence() {
    assertThat(eval("(role:a or role:b) and !")).isFalse();
    assertThat(eval("not (role:a and role:b)")).isTrue();
    assertThat(eval("((role:a))")).isTrue();
    assertThat(eval("( role:a )")).isTrue();
  }

  @Test
  void doubleNegationCancels() {
    assertThat(eval("not not role:a")).isTrue();
  }

  @Test
  void keywordsAreCaseInsensitive() {
    assertThat(eval("role:b OR role:a")).isTrue();
    assertThat(eval("role:a AND Not role:b")).isTrue();
  }

  @Test
  void anyWhitespaceSeparatesTokens() {
    assertThat(eval("role:b\tor\nrole:a")).isTrue();
  }

  @Test
  void glanceDefaultStringsParse() {
    assertThat(Policy.secureDefaults().checkString(Rules.GET_IMAGE).orElseThrow())
        .contains("'public':%(visibility)s");
    assertThat(eval(Policy.secureDefaults().checkString(Rules.GET_IMAGE).orElseThrow(), Caller.reader("px"), TARGET)).isTrue();
  }

  // ------------------------------------------------------------ malformed

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(role:a",
        "role:a)",
        "((role:a)",
        "()",
        "role:a or",
        "and role:a",
        "role:a role:b",
        "not",
        "role:a or or role:b",
        "admin",
        "role:",
        ":x",
        "rule:",
        "project_id:%(owner)",
        "project_id:%(owner)d",
        "project_id:%()s",
        "project_id:100%",
        "'public:%(visibility)s",
        "'pub'lic':%(visibility)s",
        "a b:%(x)s",
        "http://example.com/check",
        "   ",
        "$weird:%(x)s"
      })
  void malformedCheckStringsAreInvalidConfiguration(String check) {
    assertInvalid(check);
  }

  @Test
  void unknownRuleReferenceIsInvalidConfiguration() {
    assertInvalid("rule:nope or role:a").hasMessageContaining("nope");
  }

  @Test
  void cycleOfRuleReferencesIsInvalidConfiguration() {
    Policy p = BASE.withRule("a", "role:x");
    assertThatThrownBy(() -> p.withRules(Map.of("a", "rule:b", "b", "rule:a")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cycle");
    assertThatThrownBy(() -> p.withRule("a", "rule:a"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("a → a");
  }

  @Test
  void ruleReferencesMayBeDefinedTogetherInAnyOrder() {
    Policy p = BASE.withRules(Map.of("x", "rule:y", "y", "role:a"));
    assertThat(p.allows("x", ALICE, TARGET)).isTrue();
  }

  @Test
  void emptyRuleNameIsInvalidConfiguration() {
    assertThatThrownBy(() -> BASE.withRule("", "@"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void failedOverrideLeavesThePolicyUnchanged() {
    try {
      BASE.withRule(Rules.GET_IMAGE, "(");
    } catch (ConfigurationException expected) {
      // refused
    }
    assertThat(BASE.checkString(Rules.GET_IMAGE)).isEqualTo(Policy.secureDefaults().checkString(Rules.GET_IMAGE));
  }
  // ------------------------------------------------------------ nesting bound

  @Test
  void ruleNestedDeeperThanSixtyFourLevelsIsRefused() {
    int deep = 100_000;
    assertInvalid("(".repeat(deep) + "role:a" + ")".repeat(deep)).hasMessageContaining("deeper than 64");
    assertInvalid("not ".repeat(deep) + "role:a").hasMessageContaining("deeper than 64");
    assertInvalid("(not ".repeat(deep) + "role:a" + ")".repeat(deep)).hasMessageContaining("deeper than 64");
    assertInvalid("(".repeat(64) + "role:a" + ")".repeat(64)).hasMessageContaining("deeper than 64");
  }

  @Test
  void ruleNestedSixtyFourLevelsDeepIsEvaluated() {
    assertThat(eval("(".repeat(63) + "role:a" + ")".repeat(63))).isTrue();
    assertThat(eval("not ".repeat(62) + "(role:a)")).isTrue();
    assertThat(eval("not ".repeat(63) + "role:a")).isFalse();
  }

  @Test
  void ruleNestedDeeperThanSixtyFourLevelsThroughReferencesIsRefused() {
    Map<String, String> chain = new java.util.HashMap<>();
    int length = 20_000;
    for (int i = 0; i < length; i++) {
      chain.put("r" + i, "rule:r" + (i + 1));
    }
    chain.put("r" + length, "role:a");
    assertThatThrownBy(() -> BASE.withRules(chain))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("nested deeper than 64")
        .hasMessageMatching("(?s)policy rule \"r[0-9]+\".*");
    Policy nested = BASE.withRule("inner", "(".repeat(40) + "role:a" + ")".repeat(40));
    assertThatThrownBy(() -> nested.withRule("outer", "(".repeat(30) + "rule:inner" + ")".repeat(30)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("\"outer\" is nested deeper than 64");
  }

  @Test
  void chainOfSixtyFourRuleReferencesIsEvaluated() {
    Map<String, String> chain = new java.util.HashMap<>();
    for (int i = 0; i < 63; i++) {
      chain.put("r" + i, "rule:r" + (i + 1));
    }
    chain.put("r63", "role:a");
    Policy p = BASE.withRules(chain);
    assertThat(p.allows("r0", ALICE, TARGET)).isTrue();
    assertThat(p.decide("r0", ALICE, TARGET).allowed()).isTrue();
  }
}
