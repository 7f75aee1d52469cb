package dev.imagegov.protection;

import static dev.imagegov.protection.PropertyOperation.CREATE;
import static dev.imagegov.protection.PropertyOperation.DELETE;
import static dev.imagegov.protection.PropertyOperation.READ;
import static dev.imagegov.protection.PropertyOperation.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.error.ConfigurationException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of the reference's property-protection section (§7.2, §7.3), each against Glance's
 * own sample files where the reference uses them, and the file syntax Glance's configparser
 * accepts or refuses.
 */
class PropertyProtectionsTest {
  static final Caller ADMIN = Caller.admin("p");
  static final Caller MEMBER = Caller.of("p", "member");
  static final Caller READER = Caller.reader("p");
  static final Caller SPL = Caller.of("p", "spl_role");
  static final Caller NOBODY = Caller.of("p", "fake_role");
  static final Caller NO_ROLES = Caller.withoutProject();

  static final Policy POLICY = Policy.secureDefaults();
  /** The policy Glance's policies-format tests run with. */
  static final Policy GLANCE_TEST_POLICY =
      POLICY.withRule("glance_creator", "role:admin or role:spl_role");

  static Path resource(String name) {
    try {
      return Path.of(PropertyProtectionsTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static PropertyProtections glanceRoles() {
    return PropertyProtections.load(
        resource("property-protections.conf"), RuleFormat.ROLES, POLICY);
  }

  static PropertyProtections glancePolicies() {
    return PropertyProtections.load(
        resource("property-protections-policies.conf"), RuleFormat.POLICIES, GLANCE_TEST_POLICY);
  }

  static PropertyProtections harnessSample() {
    return PropertyProtections.load(resource("glance-ref-sample.conf"), RuleFormat.ROLES, POLICY);
  }

  static PropertyProtections roles(String content) {
    return PropertyProtections.parse(content, RuleFormat.ROLES, POLICY, "test.conf");
  }

  static PropertyProtections policies(String content, Policy policy) {
    return PropertyProtections.parse(content, RuleFormat.POLICIES, policy, "test.conf");
  }

  static String section(String name, String create, String read, String update, String delete) {
    return "[" + name + "]\ncreate = " + create + "\nread = " + read + "\nupdate = " + update
        + "\ndelete = " + delete + "\n";
  }

  static String all(String name, String value) {
    return section(name, value, value, value, value);
  }

  static EnumSet<PropertyOperation> allowed(PropertyProtections p, Caller c, String property) {
    EnumSet<PropertyOperation> out = EnumSet.noneOf(PropertyOperation.class);
    for (PropertyOperation op : PropertyOperation.values()) {
      if (p.allows(c, property, op)) {
        out.add(op);
      }
    }
    return out;
  }

  static void refused(String content, String... messageParts) {
    assertThatThrownBy(() -> roles(content))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContainingAll(messageParts);
  }

  // ------------------------------------------------------------ switched off

  @Test
  void noneAllowsEverythingAndIsNotEnabled() {
    PropertyProtections none = PropertyProtections.none();
    assertThat(none.enabled()).isFalse();
    assertThat(allowed(none, NO_ROLES, "anything")).containsExactlyInAnyOrder(
        PropertyOperation.values());
    assertThat(none.decide(NO_ROLES, "x", READ).section()).isEmpty();
  }

  @Test
  void fileWithoutSectionsAllowsEverything() {
    PropertyProtections empty = roles("# nothing but a comment\n");
    assertThat(empty.enabled()).isTrue();
    assertThat(allowed(empty, NOBODY, "x")).hasSize(4);
    assertThat(empty.decide(NOBODY, "x", DELETE).allowed()).isTrue();
  }

  // ------------------------------------------------------------ the sample files load

  @Test
  void glanceSampleSectionsLoadInFileOrder() {
    assertThat(glanceRoles().sections())
        .containsExactly(
            "^x_owner_.*", "spl_create_prop", "spl_read_prop", "spl_read_only_prop",
            "spl_update_prop", "spl_update_only_prop", "spl_delete_prop",
            "spl_delete_empty_prop", "^x_all_permitted.*", "^x_none_permitted.*", "x_none_read",
            "x_none_update", "x_none_delete", "x_case_insensitive", "x_foo_matcher", "x_foo_*",
            ".*");
    assertThat(glancePolicies().sections()).hasSize(10).endsWith(".*");
    assertThat(harnessSample().sections())
        .containsExactly("^x_ref_admin_.*", "^x_ref_frozen_.*", ".*");
  }

  @Test
  void harnessSampleBehavesAsItsCommentsSay() {
    PropertyProtections p = harnessSample();
    assertThat(allowed(p, ADMIN, "x_ref_admin_kernel")).hasSize(4);
    assertThat(allowed(p, MEMBER, "x_ref_admin_kernel")).containsExactly(READ);
    assertThat(allowed(p, READER, "x_ref_admin_kernel")).containsExactly(READ);
    assertThat(allowed(p, ADMIN, "x_ref_frozen_a")).isEmpty();
    assertThat(allowed(p, NO_ROLES, "os_distro")).hasSize(4);
  }

  // ------------------------------------------------------------ §7.2 values

  @Test
  void catchAllAdminSectionAllowsAdminOnly() {
    PropertyProtections p = glanceRoles();
    assertThat(allowed(p, ADMIN, "some_prop")).hasSize(4);
    assertThat(allowed(p, MEMBER, "some_prop")).isEmpty();
  }

  @Test
  void listedRoleIsAllowedPerOperation() {
    PropertyProtections p = glanceRoles();
    assertThat(allowed(p, SPL, "spl_create_prop")).containsExactly(CREATE, READ);
    assertThat(allowed(p, SPL, "spl_read_only_prop")).containsExactly(READ);
    assertThat(allowed(p, SPL, "spl_update_prop")).containsExactly(CREATE, READ, UPDATE);
    assertThat(allowed(p, SPL, "spl_update_only_prop")).containsExactly(UPDATE);
    assertThat(allowed(p, SPL, "spl_delete_prop")).containsExactly(CREATE, READ, DELETE);
    assertThat(allowed(p, NOBODY, "spl_create_prop")).isEmpty();
    assertThat(allowed(p, MEMBER, "x_owner_foo")).hasSize(4);
  }

  @Test
  void atAllowsEveryCallerEvenWithoutRoles() {
    assertThat(allowed(glanceRoles(), NO_ROLES, "x_all_permitted_foo")).hasSize(4);
    assertThat(allowed(glancePolicies(), NO_ROLES, "x_all_permitted_foo")).hasSize(4);
  }

  @Test
  void bangDeniesEveryCallerAdminsIncluded() {
    assertThat(allowed(glanceRoles(), ADMIN, "x_none_permitted_foo")).isEmpty();
    assertThat(allowed(glancePolicies(), ADMIN, "x_none_permitted_foo")).isEmpty();
    assertThat(allowed(glanceRoles(), ADMIN, "x_none_read")).containsExactly(CREATE);
    assertThat(allowed(glanceRoles(), MEMBER, "x_none_update"))
        .containsExactly(CREATE, READ, DELETE);
    assertThat(allowed(glanceRoles(), MEMBER, "x_none_delete"))
        .containsExactly(CREATE, READ, UPDATE);
  }

  @Test
  void emptyValueAllowsNobody() {
    PropertyProtections p = roles(section("x", "", "@", "admin", "@"));
    assertThat(allowed(p, ADMIN, "x")).containsExactly(READ, UPDATE, DELETE);
    assertThat(p.decide(ADMIN, "x", CREATE).reason()).contains("empty");
    PropertyProtections q = policies(section("x", "", "@", "@", "@"), POLICY);
    assertThat(q.allows(ADMIN, "x", CREATE)).isFalse();
  }

  @Test
  void rolesAreComparedIgnoringCase() {
    PropertyProtections p = glanceRoles();
    assertThat(allowed(p, Caller.of("p", "member"), "x_case_insensitive")).hasSize(4);
    assertThat(allowed(p, Caller.of("p", "MEMBER"), "x_case_insensitive")).hasSize(4);
    assertThat(allowed(roles(all("x", "Spl_Role")), Caller.of("p", "SPL_ROLE"), "x")).hasSize(4);
  }

  @Test
  void whitespaceAroundRoleNamesIsIgnored() {
    PropertyProtections p = roles(all("x", "  admin ,\tspl_role  ,member"));
    assertThat(allowed(p, SPL, "x")).hasSize(4);
    assertThat(allowed(p, MEMBER, "x")).hasSize(4);
    assertThat(allowed(p, NOBODY, "x")).isEmpty();
  }

  @Test
  void impliedRolesCountAsGlanceTokenRolesDo() {
    String file = all("x", "reader");
    assertThat(roles(file).allows(Caller.of("p", "admin"), "x", READ)).isTrue();
    PropertyProtections flat =
        PropertyProtections.parse(file, RuleFormat.ROLES, POLICY.withImpliedRoles(Map.of()), "t");
    assertThat(flat.allows(Caller.of("p", "admin"), "x", READ)).isFalse();
  }

  @Test
  void atMixedWithRolesIsAcceptedAndWinsAsInGlance() {
    assertThat(allowed(roles(all("x", "admin,@")), NOBODY, "x")).hasSize(4);
    assertThat(allowed(roles(all("x", "admin,!")), ADMIN, "x")).isEmpty();
  }

  @Test
  void atAndBangTogetherAreRefused() {
    refused(section("x", "@", "@,!", "@", "@"), "test.conf", "line 3", "section [x]",
        "mutually exclusive");
    refused(section("x", "@", "@", "@", "! , admin, @"), "line 5", "mutually exclusive");
  }

  @Test
  void missingOperationIsRefused() {
    refused("[x]\ncreate = @\nread = @\nupdate = @\n", "line 1", "section [x]", "'delete'");
  }

  @Test
  void misspeltOperationIsRefused() {
    refused("[x]\ncreate = @\nreed = @\nupdate = @\ndelete = @\n", "section [x]", "'read'");
  }

  @Test
  void unknownKeyIsRefusedWithItsLine() {
    refused(all("x", "@") + "foo = bar\n", "line 6", "section [x]", "unknown key 'foo'");
  }

  @Test
  void optionNamesIgnoreCaseAndColonIsADelimiter() {
    PropertyProtections p = roles("[x]\nCREATE = admin\nRead: @\nUpdate:admin\ndelete=admin\n");
    assertThat(allowed(p, MEMBER, "x")).containsExactly(READ);
  }

  // ------------------------------------------------------------ §7.3 matching

  @Test
  void firstMatchingSectionWins() {
    // test_check_return_first_match: [x_foo_matcher] (admin) comes before [x_foo_*] (@).
    PropertyProtections p = glanceRoles();
    assertThat(allowed(p, MEMBER, "x_foo_matcher")).isEmpty();
    assertThat(allowed(p, ADMIN, "x_foo_matcher")).hasSize(4);
    assertThat(allowed(p, MEMBER, "x_foo_bar")).hasSize(4);
    assertThat(p.decide(MEMBER, "x_foo_matcher", READ).section()).contains("x_foo_matcher");
    PropertyProtections q = glancePolicies();
    assertThat(allowed(q, MEMBER, "x_foo_matcher")).isEmpty();
    assertThat(allowed(q, MEMBER, "x_foo_bar")).hasSize(4);
  }

  @Test
  void sectionsAreSearchedNotAnchored() {
    PropertyProtections p = glanceRoles();
    assertThat(allowed(p, SPL, "my_spl_create_prop_2")).containsExactly(CREATE, READ);
    assertThat(p.decide(MEMBER, "y_x_owner_a", READ).section()).contains(".*");
    assertThat(allowed(p, MEMBER, "y_x_owner_a")).isEmpty();
  }

  @Test
  void noMatchingSectionDeniesEveryoneAdminsIncluded() {
    PropertyProtections p = roles(all("^x_", "@"));
    assertThat(allowed(p, ADMIN, "os_distro")).isEmpty();
    ProtectionDecision d = p.decide(ADMIN, "os_distro", READ);
    assertThat(d.allowed()).isFalse();
    assertThat(d.section()).isEmpty();
    assertThat(d.render()).contains("DENY").contains("no section");
  }

  // ------------------------------------------------------------ policies format

  @Test
  void policiesFormatEvaluatesTheNamedRule() {
    PropertyProtections p = glancePolicies();
    assertThat(allowed(p, SPL, "spl_creator_policy")).containsExactly(CREATE, READ);
    assertThat(allowed(p, ADMIN, "spl_creator_policy")).hasSize(4);
    assertThat(allowed(p, MEMBER, "spl_default_policy")).containsExactly(READ);
    assertThat(allowed(p, MEMBER, "other")).isEmpty();
    assertThat(allowed(p, ADMIN, "other")).hasSize(4);
    assertThat(allowed(p, ADMIN, "x_none_read")).containsExactly(CREATE);
    assertThat(p.decide(SPL, "spl_creator_policy", READ).render()).contains("glance_creator");
  }

  @Test
  void policiesAreEvaluatedWithAnEmptyTarget() {
    Policy policy = POLICY.withRule("own_project", "project_id:%(project_id)s or role:admin");
    PropertyProtections p = policies(all("x", "own_project"), policy);
    assertThat(p.allows(MEMBER, "x", READ)).isFalse();
    assertThat(p.allows(ADMIN, "x", READ)).isTrue();
  }

  @Test
  void multiplePoliciesInOneValueAreRefused() {
    assertThatThrownBy(() -> policies(all("x", "context_is_admin,default"), POLICY))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContainingAll("line 2", "section [x]", "exactly one");
  }

  @Test
  void unknownPolicyNameIsRefused() {
    assertThatThrownBy(
            () ->
                PropertyProtections.load(
                    resource("property-protections-policies.conf"), RuleFormat.POLICIES, POLICY))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContainingAll(
            "property-protections-policies.conf", "line 6", "[spl_creator_policy]",
            "glance_creator");
  }

  // ------------------------------------------------------------ section names are regexes

  @Test
  void badRegexIsRefused() {
    refused("# c\n" + all("x_(", "@"), "line 2", "section [x_(]", "regular expression");
    refused(all("[bad", "@"), "section [[bad]", "regular expression");
  }

  @Test
  void sectionNameNestedDeeperThanTheBoundIsRefused() {
    refused(all("(".repeat(65) + "x" + ")".repeat(65), "@"), "line 1", "nested deeper than 64");
    refused(all("a?".repeat(50_000), "@"), "line 1", "longer than 1024");
  }

  @Test
  void pythonRegexSyntaxIsUnderstood() {
    PropertyProtections p =
        roles(all("^(?P<w>[a-z]+)_(?P=w)\\Z", "@") + all("^n{,2}$", "admin") + all(".*", "!"));
    assertThat(p.allows(MEMBER, "ab_ab", READ)).isTrue();
    assertThat(p.allows(MEMBER, "ab_cd", READ)).isFalse();
    assertThat(p.allows(ADMIN, "nn", READ)).isTrue();
    assertThat(p.allows(ADMIN, "nnn", READ)).isFalse();
  }

  // ------------------------------------------------------------ configparser syntax

  @Test
  void defaultSectionIsInheritedByEverySection() {
    PropertyProtections p =
        roles("[DEFAULT]\nread = @\nupdate = admin\ndelete = admin\n\n[x]\ncreate = member\n"
            + "[y]\ncreate = admin\nread = admin\n");
    assertThat(p.sections()).containsExactly("x", "y");
    assertThat(allowed(p, MEMBER, "x")).containsExactly(CREATE, READ);
    assertThat(allowed(p, MEMBER, "y")).isEmpty();
  }

  @Test
  void interpolationVariablesMayBeDefinedInDefault() {
    PropertyProtections p =
        roles("[DEFAULT]\nadmins = admin,spl_role\n" + all("x", "%(admins)s") + all("y", "50%%"));
    assertThat(allowed(p, SPL, "x")).hasSize(4);
    assertThat(p.decide(Caller.of("p", "50%"), "y", READ).allowed()).isTrue();
    refused("[DEFAULT]\nadmins = admin\n" + all("x", "@"), "line 2", "[DEFAULT]", "'admins'");
    refused(all("x", "5%"), "line 2", "'%' must be followed");
    refused(all("x", "%(nope)s"), "line 2", "nope");
  }

  @Test
  void continuationLinesExtendTheValue() {
    PropertyProtections p =
        roles(
            "[x]\ncreate = admin,\n  spl_role\nread = @\n\n  # comment\nupdate = @\n"
                + "delete = @\n");
    assertThat(allowed(p, SPL, "x")).hasSize(4);
  }

  @Test
  void commentsStartWithHashOrSemicolonOnTheirOwnLine() {
    PropertyProtections p =
        roles("; top\n[x]\n  # indented comment\ncreate = @\nread = @ # not a comment\n"
            + "update = @\ndelete = @\n");
    assertThat(p.allows(NOBODY, "x", READ)).isFalse();
    assertThat(p.allows(Caller.of("p", "@ # not a comment"), "x", READ)).isTrue();
  }

  @Test
  void duplicateSectionsAndOptionsAreRefused() {
    refused(all("x", "@") + all("x", "@"), "line 6", "[x] is defined twice");
    refused("[x]\ncreate = @\ncreate = admin\n", "line 3", "'create' is defined twice");
  }

  @Test
  void malformedLinesAreRefused() {
    refused("create = @\n", "line 1", "before any [section]");
    refused("[x]\njust words\n", "line 2", "neither");
    refused("[x]\n = value\n", "line 2", "without a name");
  }

  @Test
  void unreadableFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.conf");
    assertThatThrownBy(() -> PropertyProtections.load(missing, RuleFormat.ROLES, POLICY))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("missing.conf");
    Path latin1 = dir.resolve("latin1.conf");
    Files.write(latin1, new byte[] {'[', (byte) 0xe9, ']', '\n'});
    assertThatThrownBy(() -> PropertyProtections.load(latin1, RuleFormat.ROLES, POLICY))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("UTF-8");
  }

  // ------------------------------------------------------------ explanations

  @Test
  void decisionNamesTheSectionLineAndRoles() {
    ProtectionDecision d = glanceRoles().decide(SPL, "spl_read_only_prop", READ);
    assertThat(d.allowed()).isTrue();
    assertThat(d.section()).contains("spl_read_only_prop");
    assertThat(d.render())
        .startsWith("read 'spl_read_only_prop' = ALLOW")
        .contains("read = admin,spl_role")
        .contains("spl_role");
  }

  @Test
  void everyPropertyNameIsDecidedByItsFirstMatchingSectionBeyondTheKeptNames() {
    // More distinct names than the protections keep matched, each asked twice: x_owner_* reads
    // for admin and member ([^x_owner_.*]), x_foo_* for anyone ([x_foo_*] = @), the rest for
    // admins only ([.*]).
    PropertyProtections protections = glanceRoles();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 6_000; i++) {
        String prefix = i % 3 == 0 ? "x_owner_" : i % 3 == 1 ? "x_foo_" : "plain_";
        String name = prefix + i;
        assertThat(protections.allows(ADMIN, name, READ)).as(name).isTrue();
        assertThat(protections.allows(MEMBER, name, READ)).as(name)
            .isEqualTo(!prefix.equals("plain_"));
        assertThat(protections.allows(NOBODY, name, READ)).as(name)
            .isEqualTo(prefix.equals("x_foo_"));
      }
    }
  }
}
