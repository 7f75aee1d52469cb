package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GovernanceConfig#loadGlanceConfig}: the policy loader's warnings come back with the
 * configuration, not only in the log.
 */
class GlanceConfigWarningsTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void aMisspeltRuleOfTheNamedPolicyFileIsReturnedAsAWarning() throws IOException {
    Path policy = write("custom-policy.yaml",
        "get_image: \"role:reader\"\nmodify_imge: \"role:admin\"\n");
    Path conf = write("glance-api.conf",
        "[oslo_policy]\npolicy_file = custom-policy.yaml\n");
    GovernanceConfig.Loaded loaded = GovernanceConfig.loadGlanceConfig(conf);
    assertThat(loaded.warnings()).singleElement().satisfies(w -> assertThat(w)
        .startsWith("policy file " + policy + ", line 2: ")
        .contains("\"modify_imge\""));
    // The configuration itself is the one fromGlanceConfig reads.
    assertThat(loaded.builder().build().policy().checkString("modify_imge"))
        .hasValue("role:admin");
    assertThat(GovernanceConfig.fromGlanceConfig(conf).build().policy().checkStrings())
        .isEqualTo(loaded.builder().build().policy().checkStrings());
  }

  @Test
  void theDefaultPolicyFileNextToTheConfigurationIsCheckedToo() throws IOException {
    write("policy.yaml", "delete_imag: \"!\"\n");
    GovernanceConfig.Loaded loaded =
        GovernanceConfig.loadGlanceConfig("[DEFAULT]\nimage_member_quota = 3\n", dir);
    assertThat(loaded.warnings()).singleElement().satisfies(w -> assertThat(w)
        .contains("line 1").contains("\"delete_imag\""));
    assertThat(loaded.builder().build().imageMemberQuota()).isEqualTo(3);
  }

  @Test
  void aConfigurationWithoutPolicyFileOrWithEveryRuleUsedHasNoWarning() throws IOException {
    assertThat(GovernanceConfig.loadGlanceConfig(write("glance-api.conf", "")).warnings())
        .isEmpty();
    write("policy.yaml", "get_image: \"role:reader\"\n");
    assertThat(GovernanceConfig.loadGlanceConfig("", dir).warnings()).isEmpty();
  }

  @Test
  void aConfigurationFileThatCannotBeReadIsAConfigurationErrorNamingIt() {
    Path missing = dir.resolve("absent.conf");
    assertThatThrownBy(() -> GovernanceConfig.loadGlanceConfig(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("cannot be read");
  }

  @Test
  void aMalformedOptionIsAConfigurationErrorNamingItsLineEvenWithWarningsToGive()
      throws IOException {
    write("policy.yaml", "delete_imag: \"!\"\n");
    assertThatThrownBy(() -> GovernanceConfig.loadGlanceConfig(
            "[DEFAULT]\n\nimage_member_quota = many\n", dir))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("image_member_quota = many");
  }

  @Test
  void aPolicyFileThatIsSetMustExist() {
    assertThatThrownBy(() -> GovernanceConfig.loadGlanceConfig(
            "[oslo_policy]\npolicy_file = nowhere.yaml\n", dir))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("policy_file = nowhere.yaml")
        .hasMessageContaining("no such file");
  }

  @Test
  void aNullConfigurationIsAProgrammingError() {
    assertThatThrownBy(() -> GovernanceConfig.loadGlanceConfig(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> GovernanceConfig.loadGlanceConfig(null, dir))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> GovernanceConfig.loadGlanceConfig("", null))
        .isInstanceOf(NullPointerException.class);
  }
}
