package dev.imagegov;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.protection.RuleFormat;
import dev.imagegov.quota.UnifiedLimit;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link GovernanceConfig#fromGlanceConfig}: the options imagegov implements, read from the
 * {@code glance-api.conf} operators already have, with oslo.config's syntax and value rules.
 */
class GlanceConfigFileTest {
  @TempDir Path dir;

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private GovernanceConfig read(String... lines) throws IOException {
    return GovernanceConfig.fromGlanceConfig(write("glance-api.conf", lines)).build();
  }

  private void invalid(String expectedMessage, String... lines) {
    assertThatThrownBy(() -> read(lines))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(expectedMessage);
  }

  @Test
  void anEmptyFileGivesGlancesDefaults() throws IOException {
    GovernanceConfig config = read("");
    GovernanceConfig defaults = GovernanceConfig.defaults();
    assertThat(config.imageMemberQuota()).isEqualTo(128);
    assertThat(config.imagePropertyQuota()).isEqualTo(128);
    assertThat(config.imageTagQuota()).isEqualTo(128);
    assertThat(config.imageLocationQuota()).isEqualTo(10);
    assertThat(config.userStorageQuota()).isEqualTo("0");
    assertThat(config.imageSizeCap()).isEqualTo(1L << 40);
    assertThat(config.limitParamDefault()).isEqualTo(25);
    assertThat(config.apiLimitMax()).isEqualTo(1000);
    assertThat(config.delayedDelete()).isFalse();
    assertThat(config.scrubTime()).isEqualTo(Duration.ZERO);
    assertThat(config.hashingAlgorithm()).isEqualTo("sha512");
    assertThat(config.unifiedLimits()).isEmpty();
    assertThat(config.diskFormats()).isEqualTo(defaults.diskFormats());
    assertThat(config.containerFormats()).isEqualTo(defaults.containerFormats());
    assertThat(config.propertyProtections().enabled()).isFalse();
    assertThat(config.policy().checkStrings()).isEqualTo(Policy.secureDefaults().checkStrings());
    assertThat(config.legacyOwnershipChecks()).isFalse();
  }

  @Test
  void everyDefaultSectionOptionIsRead() throws IOException {
    GovernanceConfig config =
        read(
            "[DEFAULT]",
            "image_member_quota = 5",
            "image_property_quota = -1",
            "image_tag_quota = 7",
            "image_location_quota = 2",
            "user_storage_quota = 10GB",
            "image_size_cap = 1_048_576",
            "limit_param_default = 10",
            "api_limit_max = 50",
            "delayed_delete = True",
            "scrub_time = 3600",
            "hashing_algorithm = sha256",
            "use_keystone_limits = false");
    assertThat(config.imageMemberQuota()).isEqualTo(5);
    assertThat(config.imagePropertyQuota()).isEqualTo(-1);
    assertThat(config.imageTagQuota()).isEqualTo(7);
    assertThat(config.imageLocationQuota()).isEqualTo(2);
    assertThat(config.userStorageQuotaBytes()).hasValue(10L << 30);
    assertThat(config.imageSizeCap()).isEqualTo(1_048_576);
    assertThat(config.limitParamDefault()).isEqualTo(10);
    assertThat(config.apiLimitMax()).isEqualTo(50);
    assertThat(config.delayedDelete()).isTrue();
    assertThat(config.scrubTime()).isEqualTo(Duration.ofHours(1));
    assertThat(config.hashingAlgorithm()).isEqualTo("sha256");
    assertThat(config.unifiedLimits()).isEmpty();
  }

  @Test
  void imageFormatListsAreCommaSeparated() throws IOException {
    GovernanceConfig config =
        read("[image_format]", "disk_formats = raw, qcow2 ,iso,", "container_formats=bare");
    assertThat(config.diskFormats()).containsExactly("raw", "qcow2", "iso");
    assertThat(config.containerFormats()).containsExactly("bare");
    assertThat(config.imageSchema().diskFormats()).containsExactly("raw", "qcow2", "iso");
  }

  @Test
  void formatsOutsideImageFormatAreNotRead() throws IOException {
    assertThat(read("[DEFAULT]", "disk_formats = raw").diskFormats())
        .isEqualTo(GovernanceConfig.DEFAULT_DISK_FORMATS);
  }

  @Test
  void keystoneLimitsStartWithNothingRegisteredUntilASourceIsGiven() throws IOException {
    Path conf = write("glance-api.conf", "[DEFAULT]", "use_keystone_limits = yes");
    GovernanceConfig config = GovernanceConfig.fromGlanceConfig(conf).build();
    assertThat(config.unifiedLimits()).isPresent();
    assertThat(
            config.unifiedLimits().get()
                .limit(ProjectId.of("p"), UnifiedLimit.values()[0]))
        .isZero();
    GovernanceConfig replaced =
        GovernanceConfig.fromGlanceConfig(conf).unifiedLimits((project, resource) -> -1).build();
    assertThat(replaced.unifiedLimits().get().limit(ProjectId.of("p"), UnifiedLimit.values()[0]))
        .isEqualTo(-1);
  }

  @ParameterizedTest
  @CsvSource({
    "true,true", "True,true", "YES,true", "on,true", "1,true",
    "false,false", "FALSE,false", "no,false", "Off,false", "0,false"
  })
  void booleansAreReadAsOsloConfigReadsThem(String text, boolean expected) throws IOException {
    assertThat(read("[DEFAULT]", "delayed_delete = " + text).delayedDelete())
        .isEqualTo(expected);
  }

  @Test
  void unknownSectionsAndOptionsAreIgnored() throws IOException {
    GovernanceConfig config =
        read(
            "[DEFAULT]",
            "debug = true",
            "logging_context_format_string = %(asctime)s.%(msecs)03d %(levelname)s",
            "enabled_import_methods = [glance-direct,web-download]",
            "enabled_backends = fast:file, cheap:file",
            "[glance_store]",
            "default_backend = fast",
            "[database]",
            "connection = mysql+pymysql://glance:p%40ss@db/glance",
            "[keystone_authtoken]",
            "www_authenticate_uri = http://keystone:5000",
            "[DEFAULT]",
            "image_tag_quota = 3");
    assertThat(config.imageTagQuota()).isEqualTo(3);
  }

  @Test
  void osloConfigSyntaxQuotesContinuationsAndRepeatedOptions() throws IOException {
    GovernanceConfig config =
        read(
            "# a comment",
            "[DEFAULT]",
            "; another comment",
            "image_tag_quota: \"9\"",
            "image_member_quota = 1",
            "image_member_quota = 2",
            "[image_format]",
            "disk_formats = raw,",
            "    qcow2",
            "",
            "[IMAGE_FORMAT]",
            "container_formats = 'bare'");
    assertThat(config.imageTagQuota()).isEqualTo(9);
    assertThat(config.imageMemberQuota()).isEqualTo(2);
    assertThat(config.diskFormats()).containsExactly("raw", "qcow2");
    assertThat(config.containerFormats()).containsExactly("bare");
  }

  // ------------------------------------------------------------ malformed values

  @Test
  void aMalformedIntegerNamesSectionOptionLineAndValue() {
    invalid(
        "line 3, [DEFAULT] image_member_quota = lots: not an integer",
        "[DEFAULT]", "debug = true", "image_member_quota = lots");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "image_property_quota = 1.5", "image_tag_quota = 99999999999",
        "image_location_quota = ", "limit_param_default = 0", "api_limit_max = -3",
        "image_size_cap = 0", "image_size_cap = 9223372036854775809", "scrub_time = -1",
        "delayed_delete = maybe", "use_keystone_limits = 2", "user_storage_quota = 10 GB",
        "user_storage_quota = 10gb", "hashing_algorithm = crc32",
        "property_protection_rule_format = Roles"
      })
  void malformedValuesOfKnownOptionsAreRefused(String line) {
    String key = line.substring(0, line.indexOf(' '));
    invalid("line 2, [DEFAULT] " + key + " = ", "[DEFAULT]", line);
  }

  @Test
  void anEmptyFormatListIsRefused() {
    invalid("[image_format] disk_formats = ,: the list is empty",
        "[image_format]", "disk_formats = ,");
  }

  @Test
  void malformedPolicyBooleansAreRefused() {
    invalid("[oslo_policy] enforce_new_defaults = sure", "[oslo_policy]",
        "enforce_new_defaults = sure");
    invalid("[oslo_policy] enforce_scope = 2", "[oslo_policy]", "enforce_scope = 2");
  }

  @Test
  void syntaxErrorsNameTheLine() {
    invalid("line 2: ", "[DEFAULT]", "not an option");
    invalid("line 1: ", "image_tag_quota = 1");
    invalid("line 1: ", "[DEFAULT", "image_tag_quota = 1");
    invalid("line 1: ", "  indented = 1");
  }

  @Test
  void anUnreadableFileIsInvalidConfiguration() {
    assertThatThrownBy(() -> GovernanceConfig.fromGlanceConfig(dir.resolve("missing.conf")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("missing.conf");
  }

  // ----------------------------------------------------------- files it names

  private static final String PROTECTIONS =
      String.join(
          "\n", "[^secret_]", "create = admin", "read = admin", "update = admin", "delete = admin",
          "[.*]", "create = @", "read = @", "update = @", "delete = @", "");

  @Test
  void aRelativeProtectionsFileIsResolvedAgainstTheConfigurationsDirectory() throws IOException {
    write("etc/rules/protections.conf", PROTECTIONS);
    Path conf =
        write(
            "etc/glance-api.conf",
            "[DEFAULT]",
            "property_protection_file = rules/protections.conf");
    GovernanceConfig config = GovernanceConfig.fromGlanceConfig(conf).build();
    assertThat(config.propertyProtections().enabled()).isTrue();
    assertThat(config.propertyProtections().format()).isEqualTo(RuleFormat.ROLES);
    assertThat(config.propertyProtections().sections()).containsExactly("^secret_", ".*");

    Fixtures f = new Fixtures(config);
    Image image =
        f.images()
            .create(
                Fixtures.ADMIN,
                NewImage.builder()
                    .owner("producer")
                    .properties(Map.of("secret_key", "s", "os_distro", "debian"))
                    .build());
    assertThat(f.images().get(Fixtures.PRODUCER, image.id()).properties())
        .containsOnlyKeys("os_distro");
  }

  @Test
  void thePoliciesRuleFormatUsesTheConfiguredPolicy() throws IOException {
    write("policy.yaml", "\"glance_creator\": \"role:admin or role:spl_role\"");
    write(
        "protections.conf",
        "[^spl_]", "create = glance_creator", "read = glance_creator",
        "update = context_is_admin", "delete = context_is_admin",
        "[.*]", "create = @", "read = @", "update = @", "delete = @");
    GovernanceConfig config =
        read(
            "[DEFAULT]",
            "property_protection_file = protections.conf",
            "property_protection_rule_format = policies",
            "[oslo_policy]",
            "policy_file = policy.yaml");
    assertThat(config.propertyProtections().format()).isEqualTo(RuleFormat.POLICIES);
    Caller spl = Caller.of("producer", "member", "spl_role");
    assertThat(config.propertyProtections().allows(spl, "spl_x",
        dev.imagegov.protection.PropertyOperation.CREATE)).isTrue();
    assertThat(config.propertyProtections().allows(Fixtures.PRODUCER, "spl_x",
        dev.imagegov.protection.PropertyOperation.CREATE)).isFalse();
  }

  @Test
  void aRelativePolicyFileIsResolvedAndApplied() throws IOException {
    write("conf.d/admin-only-publicize.yaml", "\"modify_image\": \"role:admin\"");
    Path conf =
        write("glance-api.conf", "[oslo_policy]", "policy_file = conf.d/admin-only-publicize.yaml");
    GovernanceConfig config = GovernanceConfig.fromGlanceConfig(conf).build();
    assertThat(config.policy().checkString("modify_image")).contains("role:admin");
    Fixtures f = new Fixtures(config);
    Image image = f.create(Fixtures.PRODUCER, "mine", Visibility.PRIVATE);
    Expect.fails(RuleCode.POLICY_DENIED,
        () -> f.images().update(Fixtures.PRODUCER, image.id(),
            dev.imagegov.patch.ImagePatch.builder().setName("renamed").build()));
  }

  @Test
  void policyYamlNextToTheConfigurationIsReadByDefault() throws IOException {
    write("policy.yaml", "\"modify_image\": \"role:admin\"");
    assertThat(read("").policy().checkString("modify_image")).contains("role:admin");
  }

  @Test
  void missingNamedFilesAreInvalidConfiguration() {
    invalid("[oslo_policy] policy_file = nowhere.yaml: no such file",
        "[oslo_policy]", "policy_file = nowhere.yaml");
    invalid("nowhere.conf", "[DEFAULT]", "property_protection_file = nowhere.conf");
    invalid("[DEFAULT] property_protection_file = $state_path/p.conf: oslo.config '$'",
        "[DEFAULT]", "property_protection_file = $state_path/p.conf");
  }

  @Test
  void anEmptyProtectionsFileOptionTurnsProtectionsOff() throws IOException {
    assertThat(read("[DEFAULT]", "property_protection_file =").propertyProtections().enabled())
        .isFalse();
  }

  // ------------------------------------------------------- legacy versus secure

  @Test
  void enforceNewDefaultsFalseSelectsLegacyRulesAndOwnershipChecks() throws IOException {
    GovernanceConfig legacy = read("[oslo_policy]", "enforce_new_defaults = False");
    assertThat(legacy.policy().checkStrings())
        .isEqualTo(GovernanceConfig.legacyPolicyMode().policy().checkStrings());
    assertThat(legacy.legacyOwnershipChecks()).isTrue();

    GovernanceConfig secure =
        read("[oslo_policy]", "enforce_new_defaults = True", "enforce_scope = True");
    assertThat(secure.policy().checkStrings()).isEqualTo(Policy.secureDefaults().checkStrings());
    assertThat(secure.legacyOwnershipChecks()).isFalse();
  }

  @Test
  void legacyAndSecureModesDecideDifferently() throws IOException {
    // A reader may create images under Zed's legacy rules but not under secure RBAC.
    Caller reader = Caller.reader("producer");
    Fixtures legacy = new Fixtures(read("[oslo_policy]", "enforce_new_defaults = 0"));
    assertThat(legacy.create(reader, "x", Visibility.PRIVATE).owner())
        .contains(ProjectId.of("producer"));
    Fixtures secure = new Fixtures(read("[oslo_policy]", "enforce_new_defaults = 1"));
    Expect.fails(RuleCode.POLICY_DENIED, () -> secure.create(reader, "x", Visibility.PRIVATE));
  }

  @Test
  void aPolicyFileAppliesOnTopOfTheLegacyRules() throws IOException {
    write("policy.yaml", "\"publicize_image\": \"\"");
    GovernanceConfig config =
        read("[oslo_policy]", "enforce_new_defaults = false", "policy_file = policy.yaml");
    assertThat(config.policy().checkString("publicize_image")).contains("");
    assertThat(config.policy().checkString("add_image"))
        .isEqualTo(Policy.legacyDefaults().checkString("add_image"));
  }

  // ------------------------------------------------------------- other entries

  @Test
  void theStringAndReaderVariantsResolveAgainstTheGivenDirectory() throws IOException {
    write("p.conf", PROTECTIONS);
    String text = "[DEFAULT]\nimage_tag_quota = 4\nproperty_protection_file = p.conf\n";
    GovernanceConfig fromString = GovernanceConfig.fromGlanceConfig(text, dir).build();
    GovernanceConfig fromReader =
        GovernanceConfig.fromGlanceConfig(new StringReader(text), dir).build();
    for (GovernanceConfig c : List.of(fromString, fromReader)) {
      assertThat(c.imageTagQuota()).isEqualTo(4);
      assertThat(c.propertyProtections().sections()).containsExactly("^secret_", ".*");
    }
  }

  @Test
  void theBuilderTakesJavaOnlySettings() throws IOException {
    GovernanceConfig config =
        GovernanceConfig.fromGlanceConfig(
                write("glance-api.conf", "[DEFAULT]", "image_tag_quota = 4"))
            .verifyDownloads(true)
            .storeReserveBytes(1024)
            .build();
    assertThat(config.imageTagQuota()).isEqualTo(4);
    assertThat(config.verifyDownloads()).isTrue();
    assertThat(config.storeReserveBytes()).isEqualTo(1024);
  }

  @Test
  void imagegovSectionSetsTheExposureGuardrailAndDefaultVisibility() throws IOException {
    GovernanceConfig config = read("[imagegov]", "exposure = producers-only",
        "exposure_producers = golden, factory", "default_visibility = private");
    assertThat(config.exposure()).isEqualTo(dev.imagegov.exposure.ExposureGuardrail.producersOnly(
        java.util.List.of(dev.imagegov.model.ProjectId.of("golden"),
            dev.imagegov.model.ProjectId.of("factory"))));
    assertThat(config.defaultVisibility()).isEqualTo(dev.imagegov.model.Visibility.PRIVATE);
    invalid("exposure", "[imagegov]", "exposure = closed");
    invalid("default_visibility", "[imagegov]", "default_visibility = public");
  }

  @Test
  void imagegovSectionTurnsOnStrictConsent() throws IOException {
    assertThat(read("[imagegov]", "strict_consent = true").strictConsent()).isTrue();
    assertThat(read("[imagegov]", "exposure = open").strictConsent()).isFalse();
    invalid("strict_consent", "[imagegov]", "strict_consent = maybe");
  }

  @Test
  void imagegovSectionSetsWhetherGroupMembersStartAccepted() throws IOException {
    assertThat(read("[imagegov]", "group_members_accepted = true").groupMembersAccepted()).isTrue();
    assertThat(read("[imagegov]", "exposure = open").groupMembersAccepted())
        .as("pending until each project answers, by default").isFalse();
    invalid("group_members_accepted", "[imagegov]", "group_members_accepted = maybe");
  }
}
