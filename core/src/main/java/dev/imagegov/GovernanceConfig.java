package dev.imagegov;

import dev.imagegov.access.Policy;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.exposure.ExposureGuardrail;
import dev.imagegov.internal.ini.GlanceConfigReader;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.PatchLimits;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.quota.LimitSource;
import dev.imagegov.quota.StorageQuota;
import dev.imagegov.schema.ImageSchema;
import dev.imagegov.schema.PropertyDefinitions;
import dev.imagegov.spi.blob.HashAlgorithm;
import java.io.Reader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The options that shape governance, with Glance's defaults. Build one with {@link #builder()}
 * or take {@link #defaults()}.
 *
 * <p>{@link #policy()} defaults to Glance's secure-RBAC rules. {@link #legacyOwnershipChecks()}
 * adds the hard-coded admin-or-owner checks Glance runs when new defaults are off; {@link
 * #legacyPolicyMode()} turns on both Zed's open legacy rules and those checks.
 */
@Value.Immutable
public abstract class GovernanceConfig {
  /** Glance's {@code [image_format] disk_formats} default. */
  public static final List<String> DEFAULT_DISK_FORMATS =
      List.of("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso", "ploop");

  /** Glance's {@code [image_format] container_formats} default. */
  public static final List<String> DEFAULT_CONTAINER_FORMATS =
      List.of("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed");

  /** {@return allowed disk formats} */
  @Value.Default
  public List<String> diskFormats() {
    return DEFAULT_DISK_FORMATS;
  }

  /** {@return allowed container formats} */
  @Value.Default
  public List<String> containerFormats() {
    return DEFAULT_CONTAINER_FORMATS;
  }

  /** {@return {@code image_member_quota}: members per image; negative means unlimited} */
  @Value.Default
  public int imageMemberQuota() {
    return 128;
  }

  /**
   * {@return {@code image_property_quota}: custom properties per image; negative means unlimited}
   */
  @Value.Default
  public int imagePropertyQuota() {
    return 128;
  }

  /** {@return {@code image_tag_quota}: tags per image; negative means unlimited} */
  @Value.Default
  public int imageTagQuota() {
    return 128;
  }

  /** {@return {@code image_location_quota}: locations per image; negative means unlimited} */
  @Value.Default
  public int imageLocationQuota() {
    return 10;
  }

  /**
   * {@code user_storage_quota}: bytes each project's images may store (size times locations),
   * with an optional unit B, KB, MB, GB or TB (binary); {@code 0} means unlimited. Ignored when
   * {@link #unifiedLimits()} are on. Charged to the image's owner.
   *
   * @return {@code user_storage_quota}: bytes each project's images may store (size times
   *     locations), with an optional unit B, KB, MB, GB or TB (binary); {@code 0} means unlimited
   */
  @Value.Default
  public String userStorageQuota() {
    return "0";
  }

  /** {@return {@code image_size_cap}: the largest data stream, in bytes (1 TiB by default)} */
  @Value.Default
  public long imageSizeCap() {
    return 1L << 40;
  }

  /** Glance's {@code enabled_import_methods} default. */
  public static final List<String> DEFAULT_IMPORT_METHODS =
      List.of("glance-direct", "web-download", "copy-image");

  /**
   * {@code [image_format] require_image_format_match} (Glance master, default true): data of a
   * {@code bare} image whose content is not its {@code disk_format}, or that fails a safety check
   * of the format inspector, is refused (415) before the image becomes active. When false the
   * data is still inspected and {@code virtual_size} recorded when it matches, but nothing is
   * refused (Zed's behaviour).
   *
   * @return {@code [image_format] require_image_format_match} (Glance master, default true): data
   *     of a {@code bare} image whose content is not its {@code disk_format}, or that fails a
   *     safety check of the format inspector, is refused (415) before the image becomes active
   */
  @Value.Default
  public boolean requireImageFormatMatch() {
    return true;
  }

  /**
   * {@code enabled_import_methods}: the interoperable import methods offered, any of {@code
   * glance-direct}, {@code web-download} and {@code copy-image} (all three by default; {@code
   * glance-download}, which needs a remote Glance, is not supported).
   *
   * @return {@code enabled_import_methods}: the interoperable import methods offered, any of {@code
   *     glance-direct}, {@code web-download} and {@code copy-image} (all three by default; {@code
   *     glance-download}, which needs a remote Glance, is not supported)
   */
  @Value.Default
  public List<String> enabledImportMethods() {
    return DEFAULT_IMPORT_METHODS;
  }

  /**
   * {@code [import_filtering_opts]}: which URIs {@code web-download} may fetch from (Glance's
   * defaults plus the address rules of master and Debian's backports: no loopback, private,
   * link-local or metadata-service address). The default fetcher applies it to every redirect.
   *
   * @return {@code [import_filtering_opts]}: which URIs {@code web-download} may fetch from
   *     (Glance's defaults plus the address rules of master and Debian's backports: no loopback,
   *     private, link-local or metadata-service address)
   */
  @Value.Default
  public dev.imagegov.data.fetch.UriGuard importUriGuard() {
    return dev.imagegov.data.fetch.UriGuard.defaults();
  }

  /** {@return {@code hashing_algorithm}: the multihash ({@code os_hash_algo}) of new data} */
  @Value.Default
  public String hashingAlgorithm() {
    return "sha512";
  }

  /**
   * The unified-limit source; present means {@code use_keystone_limits = True}. imagegov
   * enforces these limits hard, with reservations (Glance checks usage before streaming and can
   * overshoot).
   *
   * @return the unified-limit source; present means {@code use_keystone_limits = True}
   */
  public abstract Optional<LimitSource> unifiedLimits();

  /**
   * The blob stores {@code glance-api.conf} declares ({@code enabled_backends}, {@code
   * default_backend}, each file store's directory), read by {@link #fromGlanceConfig}; when
   * present the governance's builder checks the wired stores against them and can open the
   * missing ones ({@code blobStoresFromConfig}).
   *
   * @return the declared blob stores; empty when the file declares none (or the configuration
   *     was built in Java)
   */
  public abstract Optional<dev.imagegov.data.StoreBackends> storeBackends();

  /**
   * {@return {@code scrub_time}: how long data of a pending-delete image is kept before a scrub}
   */
  @Value.Default
  public Duration scrubTime() {
    return Duration.ZERO;
  }

  /**
   * How long a recorded last use of an image stays current: a download or download authorization
   * writes the image's {@code imagegov_lifecycle_last_used} only when the recorded instant is at
   * least this old (or absent), so a hot image costs at most one catalog write per interval. One
   * hour by default; zero records every use, at most once a second.
   *
   * @return the interval between two recordings of an image's last use, not negative
   */
  @Value.Default
  public Duration lastUseInterval() {
    return Duration.ofHours(1);
  }

  /**
   * Bytes every blob store keeps free: a write that would leave less is refused (413). 0 by
   * default (a store may fill up).
   *
   * @return the bytes every blob store keeps free, at least 0
   */
  @Value.Default
  public long storeReserveBytes() {
    return 0;
  }

  /**
   * Whether whole downloads recompute the checksum and multihash as they stream and fail at the
   * end with {@link dev.imagegov.data.DataCorruptionException} if the data differs.
   *
   * @return whether whole downloads recompute the checksum and multihash as they stream and fail at
   *     the end with {@link dev.imagegov.data.DataCorruptionException} if the data differs
   */
  @Value.Default
  public boolean verifyDownloads() {
    return false;
  }

  /** {@return {@link #hashingAlgorithm()} as an algorithm} */
  @Value.Lazy
  public HashAlgorithm multihashAlgorithm() {
    return HashAlgorithm.of(hashingAlgorithm());
  }

  /** {@return {@link #userStorageQuota()} in bytes; empty when unlimited} */
  @Value.Lazy
  public java.util.OptionalLong userStorageQuotaBytes() {
    return StorageQuota.parse(userStorageQuota());
  }

  /** {@return {@code limit_param_default}: page size when a list gives none} */
  @Value.Default
  public int limitParamDefault() {
    return 25;
  }

  /** {@return {@code api_limit_max}: the largest page a list returns} */
  @Value.Default
  public int apiLimitMax() {
    return 1000;
  }

  /** {@return {@code delayed_delete}: deleted images with data go to {@code pending_delete}} */
  @Value.Default
  public boolean delayedDelete() {
    return false;
  }

  /** {@return the policy rules} */
  @Value.Default
  public Policy policy() {
    return Policy.secureDefaults();
  }

  /**
   * Whether Glance's hard-coded legacy checks run (only the owner may manage members, only the
   * owner or an admin may deactivate), as when {@code enforce_new_defaults} is off.
   *
   * @return whether Glance's hard-coded legacy checks run (only the owner may manage members, only
   *     the owner or an admin may deactivate), as when {@code enforce_new_defaults} is off
   */
  @Value.Default
  public boolean legacyOwnershipChecks() {
    return false;
  }

  /**
   * Glance's {@code show_multiple_locations}: whether images shown to callers carry their
   * locations (still only for callers {@code get_image_location} allows). Off by default, as in
   * Glance.
   *
   * @return Glance's {@code show_multiple_locations}: whether images shown to callers carry their
   *     locations (still only for callers {@code get_image_location} allows)
   */
  @Value.Default
  public boolean showMultipleLocations() {
    return false;
  }

  /**
   * Glance's {@code show_image_direct_url}: whether images shown to callers carry the location
   * Glance shows as {@code direct_url} (the first one; with {@link #showMultipleLocations} all of
   * them), for callers {@code get_image_location} allows. Off by default, as in Glance.
   *
   * @return Glance's {@code show_image_direct_url}: whether images shown to callers carry the
   *     location Glance shows as {@code direct_url} (the first one; with {@link
   *     #showMultipleLocations} all of them), for callers {@code get_image_location} allows
   */
  @Value.Default
  public boolean showImageDirectUrl() {
    return false;
  }

  /**
   * The exposure guardrail (an imagegov extension, {@code [imagegov] exposure} in {@code
   * glance-api.conf}): who may make an image public or community on top of the policy rules.
   * {@link ExposureGuardrail#open()} (Glance's behaviour) by default. Changing it never changes
   * existing images; an operator lifts a {@code blocked} guardrail by building the governance
   * again from a configuration with another setting.
   *
   * @return the exposure guardrail
   */
  @Value.Default
  public ExposureGuardrail exposure() {
    return ExposureGuardrail.open();
  }

  /**
   * The visibility a created image gets when the request names none: {@code shared}, as Glance
   * (which has no option for it: {@code glance/domain/__init__.py} defaults to {@code shared});
   * {@code private} for least exposure. An imagegov option ({@code [imagegov]
   * default_visibility} in {@code glance-api.conf}); only {@code shared} and {@code private} are
   * accepted.
   *
   * @return the default visibility of a new image
   */
  @Value.Default
  public Visibility defaultVisibility() {
    return Visibility.SHARED;
  }

  /**
   * Strict consent (an imagegov option, {@code [imagegov] strict_consent} in {@code
   * glance-api.conf}): a member of a shared image may use its data (download, boot) only once it
   * has accepted it. Off by default: Glance lets a pending or rejected member download an image
   * it can see by id (member status only governs listing).
   *
   * @return whether only accepted members may use a shared image's data
   */
  @Value.Default
  public boolean strictConsent() {
    return false;
  }

  /**
   * Whether a project below a group member (hierarchical sharing: a parent project or domain the
   * owner added as member) counts as accepted until it answers, instead of pending. An imagegov
   * option ({@code [imagegov] group_members_accepted} in {@code glance-api.conf}), false by
   * default. It is read when access is computed: changing it changes the status of every project
   * that has not answered a group's offer, never that of one that did.
   *
   * @return whether an unanswered group offer counts as accepted
   */
  @Value.Default
  public boolean groupMembersAccepted() {
    return false;
  }


  /** {@return property protections; none (everything allowed) unless configured} */
  @Value.Default
  public PropertyProtections propertyProtections() {
    return PropertyProtections.none();
  }

  /**
   * Bounds on JSON-patch documents (size, nesting depth, number of operations).
   *
   * @return the largest document, deepest nesting and most operations a JSON patch may have
   */
  @Value.Default
  public PatchLimits patchLimits() {
    return PatchLimits.defaults();
  }

  /**
   * {@return operator-supplied custom property definitions (Glance's {@code schema-image.json})}
   */
  @Value.Default
  public PropertyDefinitions schemaExtensions() {
    return PropertyDefinitions.none();
  }

  /** {@return the image schema of the configured formats and custom definitions} */
  @Value.Lazy
  public ImageSchema imageSchema() {
    return ImageSchema.of(diskFormats(), containerFormats(), schemaExtensions());
  }

  /** {@return a builder starting from Glance's defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding the options of a {@code glance-api.conf} that imagegov implements, read as
   * oslo.config reads the file; everything else starts from Glance's defaults. A builder rather
   * than a configuration so that callers can add what only Java can supply (a unified-limit
   * source, schema extensions, patch limits, store reserve, download verification) before
   * {@code build()}.
   *
   * <p>Read: {@code [DEFAULT]} {@code image_member_quota}, {@code image_property_quota}, {@code
   * image_tag_quota}, {@code image_location_quota}, {@code user_storage_quota}, {@code
   * image_size_cap}, {@code limit_param_default}, {@code api_limit_max}, {@code delayed_delete},
   * {@code scrub_time} (seconds), {@code hashing_algorithm}, {@code property_protection_file},
   * {@code property_protection_rule_format} and {@code use_keystone_limits}; {@code
   * [image_format]} {@code disk_formats} and {@code container_formats}; {@code [oslo_policy]}
   * {@code policy_file}, {@code enforce_new_defaults} and {@code enforce_scope}. Unknown sections
   * and options are ignored, as oslo.config ignores options nobody registered; booleans are
   * oslo.config's ({@code true/false, yes/no, on/off, 1/0}, any case); lists are comma-separated.
   *
   * <p>{@code enforce_new_defaults = False} selects Glance's legacy rules and the legacy
   * ownership checks ({@link #legacyPolicyMode()}); {@code True}, or leaving it out, the
   * secure-RBAC defaults (imagegov's default, and Glance's from 2023.1 on). The policy file
   * ({@code policy_file}, by default {@code policy.yaml} next to the configuration file, read
   * only if it exists) is applied on top; a {@code policy_file} that is set must exist. {@code
   * enforce_scope} is validated and otherwise ignored: imagegov never enforces token scope. The
   * protections file is evaluated with the resulting policy. Relative paths are resolved against
   * the configuration file's directory. {@code use_keystone_limits = True} sets a limit source
   * with nothing registered (every unified limit 0, as Keystone without registered limits
   * answers): replace it with {@code unifiedLimits(source)} on the returned builder.
   *
   * <p>Not read: {@code enabled_import_methods}, {@code enabled_backends} and {@code
   * [glance_store]} (stores are Java objects given to {@link ImageGovernance#builder()}), {@code
   * [oslo_policy] policy_dirs}, deprecated option locations, further configuration files or
   * directories, and oslo.config's {@code $option} substitution (a path containing {@code $} is
   * refused).
   *
   * @param glanceApiConf the glance-api.conf file
   * @return a builder holding the options of a {@code glance-api.conf} that imagegov implements,
   *     read as oslo.config reads the file; everything else starts from Glance's defaults
   * @throws ConfigurationException if the file cannot be read or parsed, or a value of an option
   *     read is malformed (naming the section, the option, its line and its value), or the policy
   *     or protections file it names is missing or invalid
   */
  public static Builder fromGlanceConfig(Path glanceApiConf) {
    return GlanceConfigReader.read(glanceApiConf);
  }

  /**
   * Like {@link #fromGlanceConfig(Path)} for the text of a {@code glance-api.conf}; relative
   * paths (and the default {@code policy.yaml}) are resolved against {@code baseDirectory}.
   *
   * @param glanceApiConf the text of a {@code glance-api.conf} file
   * @param baseDirectory the directory that relative file names in the configuration resolve
   *     against
   * @return like {@link #fromGlanceConfig(Path)} for the text of a {@code glance-api.conf};
   *     relative paths (and the default {@code policy.yaml}) are resolved against {@code
   *     baseDirectory}
   */
  public static Builder fromGlanceConfig(
      String glanceApiConf, Path baseDirectory) {
    return GlanceConfigReader.read(glanceApiConf, baseDirectory, "glance configuration");
  }

  /**
   * Like {@link #fromGlanceConfig(Path)}, reading the text from {@code glanceApiConf} (not
   * closed); relative paths are resolved against {@code baseDirectory}.
   *
   * @param glanceApiConf the text of a glance-api.conf file
   * @param baseDirectory the directory that relative file names in the configuration resolve
   *     against
   * @return like {@link #fromGlanceConfig(Path)}, reading the text from {@code glanceApiConf} (not
   *     closed); relative paths are resolved against {@code baseDirectory}
   */
  public static Builder fromGlanceConfig(
      Reader glanceApiConf, Path baseDirectory) {
    return GlanceConfigReader.read(glanceApiConf, baseDirectory);
  }

  /**
   * {@link #fromGlanceConfig(Path)} that also returns the warnings about the files it read: each
   * rule of the policy file that no Glance action and no other rule uses (a misspelt rule name,
   * {@link dev.imagegov.access.Policy#loadChecked}), naming the file and the line. The same
   * warnings are logged; here a caller can also show them or refuse to start on them.
   *
   * @param glanceApiConf the glance-api.conf file
   * @return the builder {@link #fromGlanceConfig(Path)} returns, and the warnings
   * @throws ConfigurationException as {@link #fromGlanceConfig(Path)}: the file cannot be read or
   *     parsed, a value is malformed (naming the section, the option, its line and its value), or
   *     the policy or protections file it names is missing or invalid
   * @throws NullPointerException if {@code glanceApiConf} is null
   */
  public static Loaded loadGlanceConfig(Path glanceApiConf) {
    java.util.Objects.requireNonNull(glanceApiConf, "glanceApiConf");
    return GlanceConfigReader.load(glanceApiConf);
  }

  /**
   * {@link #loadGlanceConfig(Path)} for the text of a {@code glance-api.conf}; relative paths
   * (and the default {@code policy.yaml}) are resolved against {@code baseDirectory}.
   *
   * @param glanceApiConf the text of a {@code glance-api.conf} file
   * @param baseDirectory the directory that relative file names in the configuration resolve
   *     against
   * @return the builder {@link #fromGlanceConfig(String, Path)} returns, and the warnings
   * @throws ConfigurationException as {@link #fromGlanceConfig(Path)}
   * @throws NullPointerException if an argument is null
   */
  public static Loaded loadGlanceConfig(String glanceApiConf, Path baseDirectory) {
    java.util.Objects.requireNonNull(glanceApiConf, "glanceApiConf");
    java.util.Objects.requireNonNull(baseDirectory, "baseDirectory");
    return GlanceConfigReader.load(glanceApiConf, baseDirectory, "glance configuration");
  }

  /**
   * A configuration read from a {@code glance-api.conf} ({@link #loadGlanceConfig(Path)}), with
   * the warnings about the files read. The record is immutable but its builder is not: it is the
   * caller's to finish, on one thread (each call of {@code loadGlanceConfig} returns a fresh one).
   * A warning is one line of text that names the file and the line it is about; warnings never
   * stop the configuration from loading (errors are a {@link ConfigurationException} instead).
   *
   * @param builder the options read, on a builder (set the rest, then {@code build()})
   * @param warnings the warnings, in the order the files were read; empty when there are none
   */
  public record Loaded(Builder builder, List<String> warnings) {
    /**
     * Copies the warnings, so that the record does not change with the list it was given.
     *
     * @param builder the options read
     * @param warnings the warnings
     * @throws NullPointerException if {@code builder} or {@code warnings} is null, or a warning
     *     is
     */
    public Loaded {
      java.util.Objects.requireNonNull(builder, "builder");
      warnings = List.copyOf(warnings);
    }
  }

  /** {@return Glance's defaults with secure-RBAC policy} */
  public static GovernanceConfig defaults() {
    return builder().build();
  }

  /** {@return zed's legacy mode: open legacy rules plus the hard-coded ownership checks} */
  public static GovernanceConfig legacyPolicyMode() {
    return builder().policy(Policy.legacyDefaults()).legacyOwnershipChecks(true).build();
  }

  @Value.Check
  void check() {
    if (limitParamDefault() < 1 || apiLimitMax() < 1) {
      throw new IllegalArgumentException("limit_param_default and api_limit_max must be >= 1");
    }
    if (diskFormats().isEmpty() || containerFormats().isEmpty()) {
      throw new IllegalArgumentException("disk and container format lists must not be empty");
    }
    if (defaultVisibility() != Visibility.SHARED && defaultVisibility() != Visibility.PRIVATE) {
      throw GovernanceException.of(StoreErrorCode.INVALID_VALUE,
          "default_visibility must be shared or private, not " + defaultVisibility().wireName());
    }
    // Builds the schema now so that a conflicting custom definition fails at configuration time.
    imageSchema();
    if (imageSizeCap() < 1 || storeReserveBytes() < 0 || scrubTime().isNegative()) {
      throw new IllegalArgumentException(
          "image_size_cap must be >= 1, the store reserve and scrub_time must not be negative");
    }
    if (lastUseInterval().isNegative()) {
      throw new IllegalArgumentException("the last-use interval must not be negative");
    }
    for (String method : enabledImportMethods()) {
      if (!DEFAULT_IMPORT_METHODS.contains(method)) {
        throw new IllegalArgumentException(
            "unknown or unsupported import method '" + method + "' (expected any of "
                + String.join(", ", DEFAULT_IMPORT_METHODS) + ")");
      }
    }
    try {
      HashAlgorithm.of(hashingAlgorithm());
      StorageQuota.parse(userStorageQuota());
    } catch (ConfigurationException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** {@return a builder holding this value's attributes} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * A builder of {@code GovernanceConfig}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableGovernanceConfig.Builder {
    Builder() {}
  }
}
