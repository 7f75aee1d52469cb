package dev.imagegov.report;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.Images;
import dev.imagegov.internal.Engine;
import dev.imagegov.internal.Stores;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.blob.BlobStore;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Catalog hygiene and capacity, for admins: the hygiene report and the cleanup built from it,
 * store capacity and overcommit, and usage reconciliation. Every call refuses a caller who is
 * not an admin with 403 {@code REPORTS_ADMIN_ONLY} before it reads anything, so a report never
 * tells anyone else of an image it may not see. Every report streams through the catalog ({@link
 * dev.imagegov.spi.Catalog#forEach}), one pass, without holding it and without looking images up
 * one by one: what it keeps is per project (usage tallies, limits, an owner's standing) or per
 * store, and the hygiene report's per image is at most its id under its {@code os_hash_value},
 * the 16 bytes of its blob key ({@code KeySet}), and a small duplicate candidate for the images of
 * a hash seen more than once (the first of which alone is looked up again).
 *
 * <p>A report is a snapshot of a catalog that may be changing: work in progress is recognised
 * (an upload's blob, an import's staged data) and left out, but a change that lands during the
 * scan may show in one part of a report and not in another. A cleanup therefore re-checks every
 * action on the current state before it acts.
 */
public final class Reports {
  private final Engine engine;
  private final Hygiene hygiene;
  private final Cleanup cleanup;
  private final Capacities capacities;
  private final Reconciliation reconciliation;
  private final WhatIfs whatIfs;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code reports()}.
   *
   * @param engine the kernel that reads the catalog and the usage port
   * @param config the configuration in force (scrub time, policy)
   * @param images the image use cases that cleanup deletions and deactivations go through
   * @param stores the enabled blob stores
   * @param staging the staging store
   */
  public Reports(Engine engine, GovernanceConfig config, Images images, Stores stores,
      BlobStore staging) {
    this.engine = engine;
    this.hygiene = new Hygiene(engine, config, stores, staging);
    this.cleanup = new Cleanup(engine, config, images, stores, staging, hygiene);
    this.capacities = new Capacities(engine, stores);
    this.reconciliation = new Reconciliation(engine);
    this.whatIfs = new WhatIfs(engine, stores, cleanup);
  }

  private void requireAdmin(Caller caller, String what) {
    Objects.requireNonNull(caller, "caller");
    if (!engine.isAdmin(caller)) {
      throw GovernanceException.of(RuleCode.REPORTS_ADMIN_ONLY,
          "Only an admin may " + what + ".");
    }
  }

  /**
   * The hygiene report: every finding of every {@link FindingKind} over the whole catalog, or
   * over one owner's images (then stored data with no image is left out).
   *
   * @param caller who asks: must be an admin
   * @param request the tenancy, producers, scope, periods and last-used instants to judge by
   * @return the findings, in order
   * @throws GovernanceException 403 {@code REPORTS_ADMIN_ONLY} unless the caller is an admin
   */
  public HygieneReport hygiene(Caller caller, HygieneRequest request) {
    return engine.metered("reports.hygiene", () -> hygieneUnmetered(caller, request));
  }

  private HygieneReport hygieneUnmetered(Caller caller, HygieneRequest request) {
    requireAdmin(caller, "report on the catalog's hygiene");
    return hygiene.report(Objects.requireNonNull(request, "request"), engine.now());
  }

  /**
   * The cleanup of every actionable finding of {@code report} ({@link FindingKind#cleanup()}).
   *
   * @param caller who asks: must be an admin
   * @param report the report to act on
   * @return the actions and the findings left alone
   * @throws GovernanceException 403 {@code REPORTS_ADMIN_ONLY} unless the caller is an admin
   */
  public CleanupPlan plan(Caller caller, HygieneReport report) {
    return engine.metered("reports.plan", () -> planUnmetered(caller, report));
  }

  private CleanupPlan planUnmetered(Caller caller, HygieneReport report) {
    return plan(caller, report, EnumSet.allOf(FindingKind.class));
  }

  /**
   * The cleanup of the actionable findings of {@code report} whose kind is in {@code kinds}:
   * one action per subject (a deletion wins over a deactivation); findings whose image is
   * protected or in use, or no longer exists, are left alone with the reason.
   *
   * @param caller who asks: must be an admin
   * @param report the report to act on
   * @param kinds the kinds of finding to act on
   * @return the actions and the findings left alone
   * @throws GovernanceException 403 {@code REPORTS_ADMIN_ONLY} unless the caller is an admin
   */
  public CleanupPlan plan(Caller caller, HygieneReport report, Set<FindingKind> kinds) {
    return engine.metered("reports.plan", () -> planUnmetered(caller, report, kinds));
  }

  private CleanupPlan planUnmetered(Caller caller, HygieneReport report, Set<FindingKind> kinds) {
    requireAdmin(caller, "plan a cleanup");
    return cleanup.plan(Objects.requireNonNull(report, "report"), Set.copyOf(kinds));
  }

  /**
   * Performs exactly the plan's actions, in order, as {@code caller}, and nothing else; with
   * {@code dryRun} it runs every check of every action on the current catalog and stores and
   * writes nothing (the dry run and the real run are this one function). An action is refused,
   * and reported with the reason, if its image changed since the plan (another version), has
   * become protected or in use, or is refused by the delete or deactivate pipeline, or if its
   * data is no longer stray; the others are still performed.
   *
   * @param caller who applies the plan: must be an admin; every check runs for this caller
   * @param plan the plan from {@link #plan}
   * @param dryRun {@code true} to only check each action and write nothing
   * @return the actions performed (or that would be) and those refused, with reasons
   * @throws GovernanceException 403 {@code REPORTS_ADMIN_ONLY} unless the caller is an admin
   */
  public CleanupReport apply(Caller caller, CleanupPlan plan, boolean dryRun) {
    return engine.metered("reports.apply", () -> applyUnmetered(caller, plan, dryRun));
  }

  private CleanupReport applyUnmetered(Caller caller, CleanupPlan plan, boolean dryRun) {
    requireAdmin(caller, "apply a cleanup");
    return cleanup.apply(caller, Objects.requireNonNull(plan, "plan"), dryRun);
  }

  /**
   * Every enabled store's capacity, used, referenced and in-flight bytes, the sum of the
   * projects' storage limits against it, and the {@link CapacityRule} findings.
   *
   * @param caller who asks: must be an admin
   * @param tenancy the projects whose limits count (with every owner the catalog names)
   * @return one line per store and the findings
   * @throws GovernanceException 403 {@code REPORTS_ADMIN_ONLY} unless the caller is an admin
   */
  public CapacityReport capacity(Caller caller, TenancyDirectory tenancy) {
    return engine.metered("reports.capacity", () -> capacityUnmetered(caller, tenancy));
  }

  private CapacityReport capacityUnmetered(Caller caller, TenancyDirectory tenancy) {
    requireAdmin(caller, "report on store capacity");
    return capacities.report(Objects.requireNonNull(tenancy, "tenancy"), engine.now());
  }

  /**
   * Recomputes every project's committed usage from the catalog and compares it with the usage
   * port, per kind and per store; with {@code repair}, records in the port the correction of
   * each drift found. Open reservations are compared with the work in progress the catalog shows
   * (a project with none holds none; at most one upload per image in progress) and reported,
   * never released: the work that holds a reservation releases it. Usage committed or reserved
   * while the scan runs may show as drift, so repair at a quiet moment (or reconcile again
   * first).
   *
   * @param caller who asks: must be an admin
   * @param tenancy the projects compared (with every owner the catalog names)
   * @param repair whether to correct the port to the recomputed figures
   * @return the drifts found (before any repair)
   * @throws GovernanceException 403 {@code REPORTS_ADMIN_ONLY} unless the caller is an admin
   */
  public ReconciliationReport reconcile(Caller caller, TenancyDirectory tenancy, boolean repair) {
    return engine.metered("reports.reconcile", () -> reconcileUnmetered(caller, tenancy, repair));
  }

  private ReconciliationReport reconcileUnmetered(
      Caller caller, TenancyDirectory tenancy, boolean repair) {
    requireAdmin(caller, repair ? "repair usage" : "reconcile usage");
    return reconciliation.run(Objects.requireNonNull(tenancy, "tenancy"), repair, engine.now());
  }

  /**
   * The effect of {@code change} on every project's storage headroom (limit less what it stores
   * and reserves) and every store's free bytes and sum of limits, computed without making the
   * change: nothing is written to the catalog, the stores or the usage port. A copy is charged
   * to its image's owner once more (every location counts); a limit change moves no byte; the
   * duplicates are deleted as {@link #plan} would (protected and in-use images left alone).
   *
   * @param caller who asks: must be an admin
   * @param tenancy the projects whose headroom is shown (with every owner the catalog names)
   * @param change the change considered
   * @return the projects and stores before and after, and what the change would run into
   * @throws GovernanceException 403 {@code REPORTS_ADMIN_ONLY} unless the caller is an admin;
   *     404 for a copy of an image that does not exist; 400 {@code INVALID_REPORT_VALUE} for a
   *     copy to a store that is not enabled or already holds the image, of an image that is not
   *     active, or a limit below -1
   */
  public WhatIfReport whatIf(Caller caller, TenancyDirectory tenancy, WhatIf change) {
    return engine.metered("reports.whatIf", () -> whatIfUnmetered(caller, tenancy, change));
  }

  private WhatIfReport whatIfUnmetered(Caller caller, TenancyDirectory tenancy, WhatIf change) {
    requireAdmin(caller, "ask what a change would do");
    return whatIfs.run(caller, Objects.requireNonNull(tenancy, "tenancy"),
        Objects.requireNonNull(change, "change"));
  }
}
