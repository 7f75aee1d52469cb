package dev.imagegov.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.ProjectId;
import dev.imagegov.model.UserId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a policy derives from a caller (implied roles, role bits, {@code is_admin}) is kept on the
 * caller; these tests check that the kept facts are always the evaluating policy's own.
 */
class CallerFactsTest {
  private static final Policy SECURE = Policy.secureDefaults();

  @Test
  void oneCallerUnderTwoPoliciesGetsEachPolicysIsAdmin() {
    Caller member = Caller.member("p");
    Policy membersAreAdmins = SECURE.withRule(Rules.CONTEXT_IS_ADMIN, "role:member");
    for (int round = 0; round < 3; round++) {
      assertThat(SECURE.isAdmin(member)).isFalse();
      assertThat(membersAreAdmins.isAdmin(member)).isTrue();
    }
    Policy checksIsAdmin = membersAreAdmins.withRule("check", "is_admin:True");
    assertThat(checksIsAdmin.allows("check", member, PolicyTarget.empty())).isTrue();
    Policy secureChecksIsAdmin = SECURE.withRule("check", "is_admin:True");
    assertThat(secureChecksIsAdmin.allows("check", member, PolicyTarget.empty())).isFalse();
    assertThat(checksIsAdmin.allows("check", member, PolicyTarget.empty())).isTrue();
  }

  @Test
  void oneCallerUnderTwoPoliciesGetsEachPolicysImpliedRoles() {
    Caller admin = Caller.of("p", "admin");
    Policy noImplication = SECURE.withImpliedRoles(Map.of());
    for (int round = 0; round < 3; round++) {
      assertThat(SECURE.effectiveRoles(admin))
          .containsExactlyInAnyOrder("admin", "member", "reader");
      assertThat(noImplication.effectiveRoles(admin)).containsExactly("admin");
      assertThat(SECURE.allows("reader_only", admin, PolicyTarget.empty())).isFalse();
      Policy readers = SECURE.withRule("reader_only", "role:reader");
      Policy readersNoImplication = noImplication.withRule("reader_only", "role:reader");
      assertThat(readers.allows("reader_only", admin, PolicyTarget.empty())).isTrue();
      assertThat(readersNoImplication.allows("reader_only", admin, PolicyTarget.empty())).isFalse();
    }
  }

  @Test
  void isAdminMayDependOnTheCallersProjectAndUser() {
    Policy p = SECURE.withRule(Rules.CONTEXT_IS_ADMIN, "project_id:ops and user_id:root");
    Caller opsRoot = caller("ops", "root");
    Caller opsOther = caller("ops", "u");
    Caller devRoot = caller("dev", "root");
    assertThat(p.isAdmin(opsRoot)).isTrue();
    assertThat(p.isAdmin(opsOther)).isFalse();
    assertThat(p.isAdmin(devRoot)).isFalse();
    assertThat(p.isAdmin(opsRoot)).isTrue();
  }

  private static Caller caller(String project, String user) {
    return Caller.of(Optional.of(ProjectId.of(project)), Optional.of(UserId.of(user)), Set.of());
  }

  @Test
  void isAdminReadsFalseWhileContextIsAdminIsComputed() {
    Policy p = SECURE.withRule(Rules.CONTEXT_IS_ADMIN, "role:admin or is_admin:False");
    assertThat(p.isAdmin(Caller.reader("p"))).isTrue();
    Policy q = SECURE.withRule(Rules.CONTEXT_IS_ADMIN, "is_admin:True");
    assertThat(q.isAdmin(Caller.admin("p"))).isFalse();
  }

  @Test
  void freshCallersGetTheirOwnImpliedRolesBeyondTheKeptRoleSets() {
    // More distinct role sets than the policy keeps expanded: every one still answers right,
    // the first time and again on a fresh caller with the same roles.
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 1_500; i++) {
        Caller caller = Caller.of("p", "admin", "custom_" + i);
        assertThat(SECURE.effectiveRoles(caller))
            .containsExactlyInAnyOrder("admin", "member", "reader", "custom_" + i);
        assertThat(SECURE.effectiveRoles(Caller.of("p", "custom_" + i)))
            .containsExactly("custom_" + i);
      }
    }
  }
}
