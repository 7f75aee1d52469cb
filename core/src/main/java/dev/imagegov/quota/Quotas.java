package dev.imagegov.quota;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.ProjectId;
import dev.imagegov.quota.internal.QuotaRules;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;

/**
 * Quota reports (Glance's {@code GET /v2/info/usage}, with per-store detail). Limits themselves
 * are enforced by the operations that consume them: create ({@code image_count_total}), upload
 * and copy (storage, {@code image_count_uploading}, {@code image_stage_total}).
 */
public final class Quotas {
  private final Engine engine;
  private final GovernanceConfig config;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code quotas()}.
   *
   * @param engine the kernel that reads the catalog
   * @param config the configuration whose limits apply
   */
  public Quotas(Engine engine, GovernanceConfig config) {
    this.engine = engine;
    this.config = config;
  }

  /**
   * The usage of {@code project}: live images, stored bytes (per store), staged bytes, uploads
   * in progress, and every limit in force with usage and headroom (usage includes what running
   * uploads have reserved). Unified limits are reported when configured, else {@code
   * user_storage_quota} when it is set.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param project the project whose usage is reported
   * @return the usage of {@code project}: live images, stored bytes (per store), staged bytes,
   *     uploads in progress, and every limit in force with usage and headroom (usage includes what
   *     running uploads have reserved)
   * @throws GovernanceException 403 unless the caller belongs to the project or is an admin
   */
  public UsageReport usage(Caller caller, ProjectId project) {
    return engine.metered("quotas.usage", () -> usageUnmetered(caller, project));
  }

  private UsageReport usageUnmetered(Caller caller, ProjectId project) {
    if (!engine.isAdmin(caller) && !caller.isIn(project)) {
      throw GovernanceException.of(
          RuleCode.POLICY_DENIED,
          "You are not authorized to see the usage of project " + project + ".");
    }
    UsageSnapshot s = engine.usage(project);
    ImmutableMap.Builder<String, UsageReport.Limit> limits = ImmutableMap.builder();
    if (config.unifiedLimits().isPresent()) {
      for (UsageKind r : UsageKind.values()) {
        UnifiedLimit u = QuotaRules.unifiedFor(r);
        long base = engine.limit(project, r);
        long limit = base < 0 ? -1 : (u.isMebibytes() ? base / UnifiedLimit.MIB : base);
        long usage = s.usage(r);
        limits.put(
            u.resourceName(), UsageReport.Limit.of(u.resourceName(), u.fromBase(usage), limit));
      }
    } else if (config.userStorageQuotaBytes().isPresent()) {
      limits.put(
          "user_storage_quota",
          UsageReport.Limit.of(
              "user_storage_quota",
              s.usage(UsageKind.STORED_BYTES),
              config.userStorageQuotaBytes().getAsLong()));
    }
    return new UsageReport(
        project,
        s.images(),
        s.storedBytes(),
        s.storedByStore(),
        s.usage(UsageKind.STAGED_BYTES),
        s.usage(UsageKind.UPLOADS),
        limits.buildOrThrow());
  }
}
