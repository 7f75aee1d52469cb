package dev.imagegov.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.error.ConfigurationException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of loading and deciding: any text either loads or is refused as invalid
 * configuration (never another exception), and the explained decision always agrees with the
 * plain one.
 */
class PropertyProtectionsPropertiesTest {
  static final Policy POLICY =
      Policy.secureDefaults().withRule("glance_creator", "role:admin or role:spl_role");

  /** Pieces of INI text, valid and not, that exercise every branch of the reader. */
  static final List<String> TOKENS =
      List.of(
          "[", "]", "[x]", "[.*]", "[DEFAULT]", "[^x_]", "[(]", "[\\]", "[(?P<a>x)(?P=a)]",
          "[a{,2}]", "[(?i)X]", "[[]", "=", ":", " = ", "create", "read", "update", "delete",
          "CREATE", "reed", "admin", "member", "spl_role", "@", "!", ",", "@,!", "%", "%%",
          "%(", ")s", "%(admins)s", "admins", "glance_creator", "context_is_admin", "nope", " ",
          "  ", "\t", "#", ";", "\n", "\n", "\n", "\r\n", "\r", "(", ")", "\\", "{", "}", "*",
          "?", "é", "\u0000", "\uFEFF", "\\Z", "\\p", "x");

  static Gen<String> garbage() {
    return lists()
        .of(Generate.pick(TOKENS))
        .ofSizeBetween(0, 40)
        .map(tokens -> String.join("", tokens));
  }

  static final List<String> SECTION_NAMES =
      List.of(
          "^x_owner_.*", "x_foo_matcher", "x_foo_*", "spl_", "^a", "b$", ".*", "(?i)Y", "z{,1}q",
          "[abc]_", "^x_(?P<n>\\d)");

  static final List<String> VALUES =
      List.of(
          "@", "!", "", "admin", "member", "reader", "spl_role", "admin,member", "Member , READER",
          "admin,@", "admin,!");

  static final List<String> POLICY_VALUES =
      List.of("@", "!", "", "context_is_admin", "default", "glance_creator");

  /** A valid file: some sections with a value for each operation. */
  static Gen<String> validFile(List<String> values) {
    Gen<String> section =
        Generate.pick(SECTION_NAMES)
            .zip(
                lists().of(Generate.pick(values)).ofSize(4),
                (name, v) ->
                    "[" + name + "]\ncreate = " + v.get(0) + "\nread = " + v.get(1)
                        + "\nupdate = " + v.get(2) + "\ndelete = " + v.get(3) + "\n");
    return lists()
        .of(section)
        .ofSizeBetween(0, 5)
        .map(
            sections -> {
              StringBuilder out = new StringBuilder();
              Set<String> seen = new java.util.HashSet<>();
              for (String s : sections) {
                if (seen.add(s.substring(0, s.indexOf('\n')))) {
                  out.append(s);
                }
              }
              return out.toString();
            });
  }

  static final List<Caller> CALLERS =
      List.of(
          Caller.admin("p"), Caller.member("p"), Caller.reader("p"), Caller.of("p", "spl_role"),
          Caller.of("p", "fake"), Caller.withoutProject(), Caller.of("p", "MEMBER"));

  static final List<String> PROPERTIES =
      List.of(
          "x_owner_a", "x_foo_matcher", "x_foo_bar", "spl_x", "ab", "cb", "y", "Y", "zq", "zzq",
          "a_", "x_1", "os_distro", "", "é");

  @Test
  void anyTextLoadsOrIsRefusedAsInvalidConfiguration() {
    qt().withExamples(2000)
        .forAll(garbage(), Generate.enumValues(RuleFormat.class))
        .checkAssert(
            (content, format) -> {
              try {
                PropertyProtections p = PropertyProtections.parse(content, format, POLICY, "g");
                for (String property : PROPERTIES) {
                  p.decide(Caller.admin("p"), property, PropertyOperation.READ);
                }
              } catch (ConfigurationException e) {
                assertThat(e.getMessage()).startsWith("g: line ");
              }
            });
  }

  @Test
  void generatedValidFilesLoadWithEverySection() {
    qt().forAll(validFile(VALUES))
        .checkAssert(
            content -> {
              long headers = content.lines().filter(l -> l.startsWith("[")).count();
              assertThat(
                      PropertyProtections.parse(content, RuleFormat.ROLES, POLICY, "v").sections())
                  .hasSize((int) headers);
            });
  }

  @Test
  void explainedDecisionAgreesWithAllows() {
    Gen<PropertyProtections> roles =
        validFile(VALUES.subList(0, 9))
            .map(f -> PropertyProtections.parse(f, RuleFormat.ROLES, POLICY, "r"));
    Gen<PropertyProtections> policies =
        validFile(POLICY_VALUES)
            .map(f -> PropertyProtections.parse(f, RuleFormat.POLICIES, POLICY, "p"));
    qt().forAll(
            Generate.oneOf(roles, policies),
            Generate.pick(CALLERS),
            Generate.pick(PROPERTIES),
            Generate.enumValues(PropertyOperation.class))
        .checkAssert(
            (p, caller, property, op) -> {
              ProtectionDecision d = p.decide(caller, property, op);
              assertThat(d.allowed()).isEqualTo(p.allows(caller, property, op));
              assertThat(d.render()).contains(d.allowed() ? "ALLOW" : "DENY");
            });
  }
}
