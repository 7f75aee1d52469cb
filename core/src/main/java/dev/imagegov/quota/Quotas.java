package dev.imagegov.quota;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.internal.Engine;
import dev.imagegov.internal.Stores;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.internal.QuotaRules;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Quota reports (Glance's {@code GET /v2/info/usage}, with per-store detail) and, for admins,
 * limits recommended so that no store can be exhausted ({@link #recommend}). Limits themselves
 * are enforced by the operations that consume them: create ({@code image_count_total}), upload
 * and copy (storage, {@code image_count_uploading}, {@code image_stage_total}).
 */
public final class Quotas {
  private final Engine engine;
  private final GovernanceConfig config;
  private final Stores stores;
  private final BlobStore staging;
  private final Recommender recommender;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code quotas()}.
   *
   * @param engine the kernel that reads the catalog
   * @param config the configuration whose limits apply
   * @param stores the enabled blob stores
   * @param staging the staging store
   */
  public Quotas(Engine engine, GovernanceConfig config, Stores stores, BlobStore staging) {
    this.engine = engine;
    this.config = config;
    this.stores = stores;
    this.staging = staging;
    this.recommender = new Recommender(engine, config);
  }

  /**
   * Per-project limits ({@code user_storage_quota}, {@code image_size_total}, {@code
   * image_stage_total}, {@code image_count_total}, {@code image_count_uploading}, {@code
   * image_member_quota}) whose sum cannot exhaust any of {@code stores}, given that every
   * location (every copy-image) is charged to the image's owner: see {@link QuotaRecommendation}
   * for the rule and the arithmetic. Reads the catalog (once, for its owners), the stores'
   * capacities and the usage port; changes nothing.
   *
   * @param caller who asks: must be an admin
   * @param tenancy the projects to give limits (with every owner the catalog names)
   * @param stores the stores the limits must fit; empty for every enabled store
   * @param policy the reserve, copies, weights and count limits to aim for
   * @return the limits, with the figures they come from and their renderings
   * @throws GovernanceException 403 {@code REPORTS_ADMIN_ONLY} unless the caller is an admin;
   *     400 {@code INVALID_REPORT_VALUE} naming a store that is not enabled
   */
  public QuotaRecommendation recommend(Caller caller, TenancyDirectory tenancy,
      Collection<StoreId> stores, QuotaPolicy policy) {
    return engine.metered(
        "quotas.recommend", () -> recommendUnmetered(caller, tenancy, stores, policy));
  }

  private QuotaRecommendation recommendUnmetered(Caller caller, TenancyDirectory tenancy,
      Collection<StoreId> stores, QuotaPolicy policy) {
    Objects.requireNonNull(caller, "caller");
    if (!engine.isAdmin(caller)) {
      throw GovernanceException.of(RuleCode.REPORTS_ADMIN_ONLY,
          "Only an admin may recommend quotas.");
    }
    Objects.requireNonNull(tenancy, "tenancy");
    Objects.requireNonNull(policy, "policy");
    List<BlobStore> fitted = new ArrayList<>();
    for (StoreId id : stores.isEmpty() ? this.stores.ids() : List.copyOf(stores)) {
      BlobStore store = this.stores.find(id).orElseThrow(() -> GovernanceException.of(
          RuleCode.INVALID_REPORT_VALUE, "Store " + id + " is not enabled."));
      if (!fitted.contains(store)) {
        fitted.add(store);
      }
    }
    return recommender.recommend(tenancy, fitted, staging, policy);
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
