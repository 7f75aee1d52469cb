package dev.imagegov;

import dev.imagegov.access.Policy;
import dev.imagegov.patch.PatchLimits;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.schema.ImageSchema;
import dev.imagegov.schema.PropertyDefinitions;
import java.util.List;
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

  /** Allowed disk formats. */
  @Value.Default
  public List<String> diskFormats() {
    return DEFAULT_DISK_FORMATS;
  }

  /** Allowed container formats. */
  @Value.Default
  public List<String> containerFormats() {
    return DEFAULT_CONTAINER_FORMATS;
  }

  /** {@code image_member_quota}: members per image; negative means unlimited. */
  @Value.Default
  public int imageMemberQuota() {
    return 128;
  }

  /** {@code image_property_quota}: custom properties per image; negative means unlimited. */
  @Value.Default
  public int imagePropertyQuota() {
    return 128;
  }

  /** {@code image_tag_quota}: tags per image; negative means unlimited. */
  @Value.Default
  public int imageTagQuota() {
    return 128;
  }

  /** {@code limit_param_default}: page size when a list gives none. */
  @Value.Default
  public int limitParamDefault() {
    return 25;
  }

  /** {@code api_limit_max}: the largest page a list returns. */
  @Value.Default
  public int apiLimitMax() {
    return 1000;
  }

  /** {@code delayed_delete}: deleted images with data go to {@code pending_delete}. */
  @Value.Default
  public boolean delayedDelete() {
    return false;
  }

  /** The policy rules. */
  @Value.Default
  public Policy policy() {
    return Policy.secureDefaults();
  }

  /**
   * Whether Glance's hard-coded legacy checks run (only the owner may manage members, only the
   * owner or an admin may deactivate), as when {@code enforce_new_defaults} is off.
   */
  @Value.Default
  public boolean legacyOwnershipChecks() {
    return false;
  }

  /** Property protections; none (everything allowed) unless configured. */
  @Value.Default
  public PropertyProtections propertyProtections() {
    return PropertyProtections.none();
  }

  /** Bounds on JSON-patch documents (size, nesting depth, number of operations). */
  @Value.Default
  public PatchLimits patchLimits() {
    return PatchLimits.defaults();
  }

  /** Operator-supplied custom property definitions (Glance's {@code schema-image.json}). */
  @Value.Default
  public PropertyDefinitions schemaExtensions() {
    return PropertyDefinitions.none();
  }

  /** The image schema of the configured formats and custom definitions. */
  @Value.Lazy
  public ImageSchema imageSchema() {
    return ImageSchema.of(diskFormats(), containerFormats(), schemaExtensions());
  }

  /** A builder starting from Glance's defaults. */
  public static ImmutableGovernanceConfig.Builder builder() {
    return ImmutableGovernanceConfig.builder();
  }

  /** Glance's defaults with secure-RBAC policy. */
  public static GovernanceConfig defaults() {
    return builder().build();
  }

  /** Zed's legacy mode: open legacy rules plus the hard-coded ownership checks. */
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
    // Builds the schema now so that a conflicting custom definition fails at configuration time.
    imageSchema();
  }
}
