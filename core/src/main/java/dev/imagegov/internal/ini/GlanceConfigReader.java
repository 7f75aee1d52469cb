package dev.imagegov.internal.ini;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.LoadedPolicy;
import dev.imagegov.access.Policy;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.exposure.ExposureGuardrail;
import dev.imagegov.data.StoreBackends;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.protection.RuleFormat;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.StorageQuota;
import dev.imagegov.spi.blob.HashAlgorithm;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the options imagegov implements from a {@code glance-api.conf} (oslo.config INI) into a
 * configuration builder; see {@link GovernanceConfig#fromGlanceConfig(Path)} for the contract.
 */
public final class GlanceConfigReader {
  private static final String DEFAULT = IniFile.DEFAULT_SECTION;
  private static final String IMAGE_FORMAT = "image_format";
  private static final String OSLO_POLICY = "oslo_policy";
  private static final String IMAGEGOV = "imagegov";
  /** Python's {@code int()} on ASCII digits, with its optional sign and digit-group underscores. */
  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+(_[0-9]+)*");

  private final IniFile ini;
  private final Path baseDirectory;
  private final String source;
  /** The warnings of the files read (the policy file's unused rules), in order. */
  private final List<String> warnings = new ArrayList<>();

  private GlanceConfigReader(IniFile ini, Path baseDirectory, String source) {
    this.ini = ini;
    this.baseDirectory = baseDirectory;
    this.source = source;
  }

  public static GovernanceConfig.Builder read(Path file) {
    return load(file).builder();
  }

  /** {@link #read(Path)} with the warnings of the files it read. */
  public static GovernanceConfig.Loaded load(Path file) {
    String source = "glance configuration " + file;
    String content;
    try {
      content =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw invalid(source + ": not valid UTF-8 text", e);
    } catch (IOException | RuntimeException e) {
      throw invalid(source + ": cannot be read (" + e + ")", e);
    }
    Path absolute = file.toAbsolutePath();
    Path directory = absolute.getParent() == null ? absolute : absolute.getParent();
    return load(content, directory, source);
  }

  public static GovernanceConfig.Builder read(Reader reader, Path baseDirectory) {
    StringBuilder content = new StringBuilder();
    char[] buffer = new char[8192];
    try {
      for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
        content.append(buffer, 0, n);
      }
    } catch (IOException e) {
      throw invalid("glance configuration: cannot be read (" + e + ")", e);
    }
    return read(content.toString(), baseDirectory, "glance configuration");
  }

  public static GovernanceConfig.Builder read(
      String content, Path baseDirectory, String source) {
    return load(content, baseDirectory, source).builder();
  }

  /** {@link #read(String, Path, String)} with the warnings of the files it read. */
  public static GovernanceConfig.Loaded load(
      String content, Path baseDirectory, String source) {
    IniFile ini;
    try {
      ini = IniFile.parseOsloConfig(content);
    } catch (IniFile.SyntaxError e) {
      throw invalid(source + ": line " + e.line() + ": " + e.getMessage(), null);
    }
    GlanceConfigReader reader = new GlanceConfigReader(ini, baseDirectory.toAbsolutePath(), source);
    GovernanceConfig.Builder builder = reader.builder();
    return new GovernanceConfig.Loaded(builder, reader.warnings);
  }

  private GovernanceConfig.Builder builder() {
    GovernanceConfig.Builder b = GovernanceConfig.builder();
    integer(DEFAULT, "image_member_quota").ifPresent(b::imageMemberQuota);
    integer(DEFAULT, "image_property_quota").ifPresent(b::imagePropertyQuota);
    integer(DEFAULT, "image_tag_quota").ifPresent(b::imageTagQuota);
    integer(DEFAULT, "image_location_quota").ifPresent(b::imageLocationQuota);
    option(DEFAULT, "user_storage_quota")
        .ifPresent(o -> b.userStorageQuota(check(o, () -> StorageQuota.parse(o.value()))));
    option(DEFAULT, "image_size_cap").ifPresent(o -> b.imageSizeCap(sizeCap(o)));
    atLeastOne(DEFAULT, "limit_param_default").ifPresent(b::limitParamDefault);
    atLeastOne(DEFAULT, "api_limit_max").ifPresent(b::apiLimitMax);
    bool(DEFAULT, "delayed_delete").ifPresent(b::delayedDelete);
    bool(DEFAULT, "show_multiple_locations").ifPresent(b::showMultipleLocations);
    bool(DEFAULT, "show_image_direct_url").ifPresent(b::showImageDirectUrl);
    option(DEFAULT, "scrub_time").ifPresent(o -> b.scrubTime(scrubTime(o)));
    option(DEFAULT, "hashing_algorithm")
        .ifPresent(o -> b.hashingAlgorithm(check(o, () -> HashAlgorithm.of(o.value()))));
    if (bool(DEFAULT, "use_keystone_limits").orElse(false)) {
      // Keystone with no limits registered: every resource limited to 0 until the caller sets
      // the real source on the returned builder.
      b.unifiedLimits(StaticLimits.builder().build());
    }
    list(IMAGE_FORMAT, "disk_formats").ifPresent(b::diskFormats);
    list(IMAGE_FORMAT, "container_formats").ifPresent(b::containerFormats);

    imagegovOptions(b);
    storeBackends().ifPresent(b::storeBackends);

    boolean secure = bool(OSLO_POLICY, "enforce_new_defaults").orElse(true);
    // enforce_scope is validated and otherwise ignored: imagegov never enforces scope.
    bool(OSLO_POLICY, "enforce_scope");
    Policy policy = policy(secure ? Policy.secureDefaults() : Policy.legacyDefaults());
    b.policy(policy).legacyOwnershipChecks(!secure);
    b.propertyProtections(protections(policy));
    return b;
  }

  /**
   * imagegov's own options, in an {@code [imagegov]} section Glance does not read: {@code
   * exposure} (open, producers-only, blocked), {@code exposure_producers} (a list of projects),
   * {@code default_visibility} (shared, private), {@code strict_consent} and {@code
   * group_members_accepted} (booleans).
   */
  private void imagegovOptions(GovernanceConfig.Builder b) {
    Optional<IniFile.Option> exposure = option(IMAGEGOV, "exposure");
    Optional<IniFile.Option> producers = option(IMAGEGOV, "exposure_producers");
    if (exposure.isPresent() || producers.isPresent()) {
      IniFile.Option o = exposure.isPresent() ? exposure.get() : producers.get();
      List<ProjectId> projects = list(IMAGEGOV, "exposure_producers").orElse(List.of()).stream()
          .map(ProjectId::of).collect(java.util.stream.Collectors.toList());
      try {
        b.exposure(ExposureGuardrail.parse(
            exposure.map(IniFile.Option::value).orElse("open"), projects));
      } catch (GovernanceException e) {
        throw bad(o, e.getMessage());
      }
    }
    bool(IMAGEGOV, "strict_consent").ifPresent(b::strictConsent);
    option(IMAGEGOV, "default_visibility").ifPresent(o -> {
      if (o.value().equals("shared")) {
        b.defaultVisibility(Visibility.SHARED);
      } else if (o.value().equals("private")) {
        b.defaultVisibility(Visibility.PRIVATE);
      } else {
        throw bad(o, "must be shared or private");
      }
    });
    bool(IMAGEGOV, "group_members_accepted").ifPresent(b::groupMembersAccepted);
  }

  /**
   * {@code [DEFAULT] enabled_backends = id:type, …}, {@code [glance_store] default_backend} and,
   * for each {@code file} store, {@code filesystem_store_datadir} of its own section (Glance's
   * default when unset).
   */
  private Optional<StoreBackends> storeBackends() {
    Optional<IniFile.Option> enabled = option(DEFAULT, "enabled_backends");
    if (enabled.isEmpty()) {
      return Optional.empty();
    }
    IniFile.Option o = enabled.get();
    List<StoreBackends.Backend> backends = new ArrayList<>();
    for (String entry : list(DEFAULT, "enabled_backends").orElseThrow()) {
      int colon = entry.indexOf(':');
      String id = colon < 0 ? "" : IniFile.strip(entry.substring(0, colon));
      String type = colon < 0 ? "" : IniFile.strip(entry.substring(colon + 1));
      if (id.isEmpty() || type.isEmpty()) {
        throw bad(o, "\"" + entry + "\" is not id:type");
      }
      if (id.startsWith("os_glance_")) {
        throw bad(o, "store ids starting with os_glance_ are reserved: " + id);
      }
      StoreId storeId;
      try {
        storeId = StoreId.of(id);
      } catch (RuntimeException e) {
        throw bad(o, "\"" + id + "\" is not a valid store id (" + e.getMessage() + ")");
      }
      if (backends.stream().anyMatch(b -> b.id().equals(storeId))) {
        throw bad(o, "the store " + id + " is declared twice");
      }
      Optional<Path> directory = Optional.empty();
      if (type.equals("file")) {
        directory = Optional.of(option(id, "filesystem_store_datadir").map(this::path)
            .orElse(Path.of(StoreBackends.DEFAULT_FILE_DIRECTORY)));
      }
      backends.add(new StoreBackends.Backend(
          storeId, type, directory, source + ": line " + o.line()));
    }
    IniFile.Option d = option("glance_store", "default_backend").orElseThrow(() -> bad(o,
        "[glance_store] default_backend must name one of the enabled backends"));
    StoreId chosen = backends.stream().map(StoreBackends.Backend::id)
        .filter(id -> id.value().equals(d.value())).findFirst()
        .orElseThrow(() -> bad(d, "not one of enabled_backends"));
    return Optional.of(new StoreBackends(backends, chosen));
  }

  private Policy policy(Policy base) {
    Optional<IniFile.Option> option = option(OSLO_POLICY, "policy_file");
    if (option.isEmpty()) {
      // oslo.policy's default policy_file, looked up next to the configuration file.
      Path fallback = baseDirectory.resolve("policy.yaml");
      return Files.isRegularFile(fallback) ? load(fallback, base) : base;
    }
    IniFile.Option o = option.get();
    Path file = path(o);
    if (!Files.isRegularFile(file)) {
      throw bad(o, "no such file: " + file);
    }
    return load(file, base);
  }

  /** The policy file applied on {@code base}, its warnings kept. */
  private Policy load(Path file, Policy base) {
    LoadedPolicy loaded = Policy.loadChecked(file, base);
    warnings.addAll(loaded.warnings());
    return loaded.policy();
  }

  private PropertyProtections protections(Policy policy) {
    Optional<IniFile.Option> file = option(DEFAULT, "property_protection_file");
    RuleFormat format = RuleFormat.ROLES;
    Optional<IniFile.Option> formatOption = option(DEFAULT, "property_protection_rule_format");
    if (formatOption.isPresent()) {
      IniFile.Option o = formatOption.get();
      if (o.value().equals("roles")) {
        format = RuleFormat.ROLES;
      } else if (o.value().equals("policies")) {
        format = RuleFormat.POLICIES;
      } else {
        throw bad(o, "must be roles or policies");
      }
    }
    if (file.isEmpty() || file.get().value().isEmpty()) {
      return PropertyProtections.none();
    }
    return PropertyProtections.load(path(file.get()), format, policy);
  }

  private Path path(IniFile.Option o) {
    if (o.value().isEmpty()) {
      throw bad(o, "a file name is required");
    }
    if (o.value().indexOf('$') >= 0) {
      throw bad(o, "oslo.config '$' substitution is not supported; write the path out");
    }
    try {
      return baseDirectory.resolve(o.value()).normalize();
    } catch (InvalidPathException e) {
      throw bad(o, "not a valid path (" + e.getMessage() + ")");
    }
  }

  private Optional<IniFile.Option> option(String section, String key) {
    return ini.option(section, key);
  }

  private Optional<Integer> integer(String section, String key) {
    return option(section, key).map(o -> (int) number(o, Integer.MIN_VALUE, Integer.MAX_VALUE));
  }

  private Optional<Integer> atLeastOne(String section, String key) {
    return option(section, key).map(o -> (int) number(o, 1, Integer.MAX_VALUE));
  }

  private long sizeCap(IniFile.Option o) {
    // Glance's maximum is 8 EiB (2^63), one more than a long holds: read as 2^63 - 1.
    if (o.value().replace("_", "").replaceFirst("^\\+", "").equals("9223372036854775808")) {
      return Long.MAX_VALUE;
    }
    return number(o, 1, Long.MAX_VALUE);
  }

  private Duration scrubTime(IniFile.Option o) {
    return Duration.ofSeconds(number(o, 0, Long.MAX_VALUE));
  }

  private long number(IniFile.Option o, long min, long max) {
    String v = o.value();
    if (!INTEGER.matcher(v).matches()) {
      throw bad(o, "not an integer");
    }
    long n;
    try {
      n = Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw bad(o, "out of range (" + min + " to " + max + ")");
    }
    if (n < min || n > max) {
      throw bad(o, "out of range (" + min + " to " + max + ")");
    }
    return n;
  }

  /** oslo.config's boolean: true/false, yes/no, on/off, 1/0, in any case. */
  private Optional<Boolean> bool(String section, String key) {
    return option(section, key)
        .map(
            o -> {
              switch (o.value().toLowerCase(Locale.ROOT)) {
                case "true":
                case "yes":
                case "on":
                case "1":
                  return true;
                case "false":
                case "no":
                case "off":
                case "0":
                  return false;
                default:
                  throw bad(o, "not a boolean (true/false, yes/no, on/off, 1/0)");
              }
            });
  }

  /** A comma-separated list; items are trimmed, empty items dropped; the list may not be empty. */
  private Optional<List<String>> list(String section, String key) {
    return option(section, key)
        .map(
            o -> {
              List<String> items = new ArrayList<>();
              for (String item : o.value().split(",", -1)) {
                String trimmed = IniFile.strip(item);
                if (!trimmed.isEmpty() && !items.contains(trimmed)) {
                  items.add(trimmed);
                }
              }
              if (items.isEmpty()) {
                throw bad(o, "the list is empty");
              }
              return List.copyOf(items);
            });
  }

  /** Runs a validator of the option's value; its refusal is reported at the option. */
  private String check(IniFile.Option o, Runnable validation) {
    try {
      validation.run();
    } catch (ConfigurationException | GovernanceException e) {
      throw bad(o, e.getMessage());
    }
    return o.value();
  }

  private ConfigurationException bad(IniFile.Option o, String problem) {
    String section = o.section();
    return invalid(
        source + ": line " + o.line() + ", [" + section + "] " + o.key() + " = " + o.value()
            + ": " + problem,
        null);
  }

  private static ConfigurationException invalid(String message, @Nullable Throwable cause) {
    return new ConfigurationException(message, cause);
  }
}
