package dev.imagegov.access;

import static dev.imagegov.access.Fixtures.OWNER;
import static dev.imagegov.access.Fixtures.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.model.Visibility;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** policy.yaml / policy.json overrides. */
class PolicyFileTest {
  @TempDir Path dir;

  private static Path resource(String name) {
    try {
      return Paths.get(PolicyFileTest.class.getResource("/policy/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private Path write(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content.getBytes(StandardCharsets.UTF_8));
    return p;
  }

  private static void assertOverridesApplied(Policy p) {
    Caller member = Caller.member(OWNER);
    assertThat(p.allows(Rules.PUBLICIZE_IMAGE, member, ImageTarget.of(image(Visibility.PRIVATE), member))).isTrue();
    assertThat(p.allows(Rules.GET_IMAGES, Caller.of(OWNER), PolicyTarget.empty())).isTrue();
    assertThat(p.allows(Rules.MODIFY_IMAGE, Caller.reader(OWNER), ImageTarget.of(image(Visibility.PRIVATE), Caller.reader(OWNER)))).isFalse();
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(Runnable r) {
    return assertThatThrownBy(r::run)
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void yamlFileOverridesDefaults() {
    assertOverridesApplied(Policy.load(resource("custom.yaml"), Policy.secureDefaults()));
  }

  @Test
  void jsonFileOverridesDefaults() {
    assertOverridesApplied(Policy.load(resource("custom.json"), Policy.secureDefaults()));
  }

  @Test
  void overridesApplyOnTopOfLegacyDefaults() {
    Policy p = Policy.load(resource("custom.yaml"), Policy.legacyDefaults());
    assertThat(p.allows(Rules.GET_IMAGE, Caller.of("px"), PolicyTarget.empty())).isTrue();
    assertThat(p.checkString("owner_member")).isPresent();
  }

  @Test
  void emptyFileChangesNothing() {
    Policy base = Policy.secureDefaults();
    assertThat(Policy.load(resource("empty.yaml"), base).checkStrings()).isEqualTo(base.checkStrings());
  }

  @Test
  void parsedStringsWork() {
    Policy p = Policy.parse("get_images: role:admin\n", Policy.Format.YAML);
    assertThat(p.allows(Rules.GET_IMAGES, Caller.reader(OWNER), Fixtures.ownProject(Caller.reader(OWNER)))).isFalse();
    Policy q = Policy.parse("{\"get_images\": \"role:admin\"}", Policy.Format.JSON, Policy.legacyDefaults());
    assertThat(q.checkString(Rules.GET_IMAGES)).contains("role:admin");
  }

  @Test
  void unknownRuleReferenceNamesTheRuleAndTheFile() {
    Path file = resource("unknown-ref.yaml");
    assertInvalid(() -> Policy.load(file, Policy.secureDefaults()))
        .hasMessageContaining("publicize_image")
        .hasMessageContaining("does_not_exist")
        .hasMessageContaining("unknown-ref.yaml");
  }

  @Test
  void listOfListsSyntaxIsRefusedNamingTheRule() {
    assertInvalid(() -> Policy.load(resource("list-value.json"), Policy.secureDefaults()))
        .hasMessageContaining("get_image")
        .hasMessageContaining("list-value.json");
  }

  @Test
  void malformedCheckStringNamesTheRule() throws IOException {
    Path p = write("policy.yaml", "modify_image: \"role:admin or (\"\n");
    assertInvalid(() -> Policy.load(p, Policy.secureDefaults())).hasMessageContaining("modify_image");
  }

  @Test
  void nonStringValuesAreRefused() throws IOException {
    Path n = write("n.yaml", "get_image: 5\n");
    Path b = write("b.json", "{\"get_image\": true}");
    Path z = write("z.yaml", "get_image:\n");
    assertInvalid(() -> Policy.load(n, Policy.secureDefaults())).hasMessageContaining("get_image");
    assertInvalid(() -> Policy.load(b, Policy.secureDefaults())).hasMessageContaining("get_image");
    assertInvalid(() -> Policy.load(z, Policy.secureDefaults())).hasMessageContaining("get_image");
  }

  @Test
  void documentThatIsNotAMappingIsRefused() throws IOException {
    Path list = write("list.yaml", "- role:admin\n");
    Path scalar = write("scalar.json", "\"role:admin\"");
    assertInvalid(() -> Policy.load(list, Policy.secureDefaults())).hasMessageContaining("mapping");
    assertInvalid(() -> Policy.load(scalar, Policy.secureDefaults())).hasMessageContaining("mapping");
  }

  @Test
  void syntaxErrorsAreRefusedWithTheFileName() throws IOException {
    Path json = write("broken.json", "{\"get_image\": \"role:admin\"");
    Path yaml = write("broken.yaml", "get_image: [unclosed\n  - x: {\n");
    assertInvalid(() -> Policy.load(json, Policy.secureDefaults())).hasMessageContaining("broken.json");
    assertInvalid(() -> Policy.load(yaml, Policy.secureDefaults())).hasMessageContaining("broken.yaml");
  }

  @Test
  void emptyRuleNameIsRefused() throws IOException {
    Path p = write("e.json", "{\"\": \"@\"}");
    assertInvalid(() -> Policy.load(p, Policy.secureDefaults())).hasMessageContaining("empty name");
  }

  @Test
  void missingFileIsRefused() {
    Path missing = dir.resolve("absent.yaml");
    assertInvalid(() -> Policy.load(missing, Policy.secureDefaults())).hasMessageContaining("absent.yaml");
  }

  @Test
  void cycleInAFileIsRefused() throws IOException {
    Path p = write("c.yaml", "a: rule:b\nb: rule:c\nc: rule:a\n");
    assertInvalid(() -> Policy.load(p, Policy.secureDefaults())).hasMessageContaining("cycle");
  }

  @Test
  void yamlTagsOtherThanStrAreRefusedRatherThanMisread() {
    assertInvalid(() -> Policy.parse("get_image: !foo\n", Policy.Format.YAML)).hasMessageContaining("get_image");
    assertInvalid(() -> Policy.parse("get_image: !\n", Policy.Format.YAML)).hasMessageContaining("get_image");
    assertThat(Policy.parse("get_image: !!str role:admin\n", Policy.Format.YAML).checkString(Rules.GET_IMAGE))
        .contains("role:admin");
  }

  @Test
  void yamlAliasesAreRefused() {
    assertInvalid(() -> Policy.parse("a: &x role:admin\nget_image: *x\n", Policy.Format.YAML))
        .hasMessageContaining("get_image")
        .hasMessageContaining("alias");
  }

  @Test
  void quotedBangInYamlMeansNobody() {
    Policy p = Policy.parse("get_image: '!'\n", Policy.Format.YAML);
    assertThat(p.allows(Rules.GET_IMAGE, Caller.admin(OWNER), PolicyTarget.empty())).isFalse();
  }

  @Test
  void moreThanOneDocumentIsRefused() {
    assertInvalid(() -> Policy.parse("a: '@'\n---\nb: '@'\n", Policy.Format.YAML)).hasMessageContaining("more than one");
    assertInvalid(() -> Policy.parse("{\"a\": \"@\"} {}", Policy.Format.JSON)).hasMessageContaining("more than one");
    assertInvalid(() -> Policy.parse("{\"a\": \"@\"} x", Policy.Format.JSON));
  }

  @Test
  void duplicateKeysKeepTheLastValueAsPythonLoadersDo() {
    assertThat(Policy.parse("get_images: '!'\nget_images: '@'\n", Policy.Format.YAML).checkString(Rules.GET_IMAGES))
        .contains("@");
  }

  @Test
  void aRuleNoGlanceActionUsesIsAWarningNamingTheFileAndLine() throws IOException {
    Path file = write("policy.yaml",
        "publicize_image: \"role:member\"\n"
            + "modify_imge: \"role:admin\"\n"
            + "owner_or_admin: \"role:admin or project_id:%(project_id)s\"\n"
            + "delete_image: \"rule:owner_or_admin\"\n");
    LoadedPolicy loaded = Policy.loadChecked(file, Policy.secureDefaults());
    assertThat(loaded.warnings()).singleElement().satisfies(w -> assertThat(w)
        .startsWith("policy file " + file + ", line 2: ")
        .contains("\"modify_imge\"")
        .contains("no Glance action"));
    assertThat(loaded.policy().checkString("modify_imge")).hasValue("role:admin");
    assertThat(Policy.load(file, Policy.secureDefaults()).checkStrings())
        .isEqualTo(loaded.policy().checkStrings());
  }

  @Test
  void aJsonPolicyWhoseRulesAreAllUsedHasNoWarning() throws IOException {
    Path file = write("policy.json",
        "{\n  \"helper\": \"role:admin\",\n  \"get_image\": \"rule:helper\"\n}\n");
    assertThat(Policy.loadChecked(file, Policy.secureDefaults()).warnings()).isEmpty();
    Path typo = write("typo.json", "{\n  \"helper\": \"role:admin\",\n  \"get_imag\": \"@\"\n}\n");
    assertThat(Policy.loadChecked(typo, Policy.secureDefaults()).warnings())
        .hasSize(2)
        .anySatisfy(w -> assertThat(w).startsWith("policy file " + typo + ", line 2: ")
            .contains("\"helper\""))
        .anySatisfy(w -> assertThat(w).startsWith("policy file " + typo + ", line 3: ")
            .contains("\"get_imag\""));
  }
}
