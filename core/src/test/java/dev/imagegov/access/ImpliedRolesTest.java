package dev.imagegov.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImpliedRolesTest {
  private static final Policy POLICY = Policy.secureDefaults();

  @Test
  void adminImpliesMemberAndReaderTransitively() {
    assertThat(POLICY.effectiveRoles(Caller.of("p", "admin"))).containsExactlyInAnyOrder("admin", "member", "reader");
  }

  @Test
  void memberImpliesReader() {
    assertThat(POLICY.effectiveRoles(Caller.of("p", "member"))).containsExactlyInAnyOrder("member", "reader");
  }

  @Test
  void unrelatedRolesAreKept() {
    assertThat(POLICY.effectiveRoles(Caller.of("p", "observer", "reader"))).containsExactlyInAnyOrder("observer", "reader");
  }

  @Test
  void rolesAreMatchedIgnoringCase() {
    Caller shouty = Caller.of("p", "ADMIN");
    assertThat(POLICY.isAdmin(shouty)).isTrue();
    Policy p = POLICY.withRule("custom", "role:Observer");
    assertThat(p.allows("custom", Caller.of("p", "observer"), PolicyTarget.empty())).isTrue();
  }

  @Test
  void customImpliedRolesReplaceTheDefaults() {
    Policy p = POLICY.withImpliedRoles(Map.of("Operator", Set.of("admin")));
    assertThat(p.effectiveRoles(Caller.of("p", "operator"))).containsExactlyInAnyOrder("operator", "admin");
    assertThat(p.allows(Rules.PUBLICIZE_IMAGE, Caller.of("p", "operator"), PolicyTarget.empty())).isTrue();
    assertThat(p.effectiveRoles(Caller.of("p", "admin"))).containsExactly("admin");
  }

  @Test
  void cyclicImpliedRolesTerminate() {
    Policy p = POLICY.withImpliedRoles(Map.of("a", Set.of("b"), "b", Set.of("a", "c")));
    assertThat(p.effectiveRoles(Caller.of("p", "a"))).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void manyRolesBeyondTheMaskStillWork() {
    Policy p = POLICY;
    StringBuilder rule = new StringBuilder("role:r0");
    for (int i = 1; i < 80; i++) {
      rule.append(" or role:r").append(i);
    }
    p = p.withRule("many", rule.toString()).withRule("last", "role:r79");
    assertThat(p.allows("many", Caller.of("p", "r75"), PolicyTarget.empty())).isTrue();
    assertThat(p.allows("last", Caller.of("p", "r79"), PolicyTarget.empty())).isTrue();
    assertThat(p.allows("last", Caller.of("p", "r78"), PolicyTarget.empty())).isFalse();
  }

  @Test
  void emptyImpliedRoleNameIsInvalidConfiguration() {
    assertThatThrownBy(() -> POLICY.withImpliedRoles(Map.of(" ", Set.of("reader"))))
        .isInstanceOf(ConfigurationException.class);
  }
}
