package dev.imagegov.quota;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.internal.LimitedProjects;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.Capacity;
import dev.imagegov.spi.usage.UsageSnapshot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * The quota recommendation's arithmetic, stated once. A store's usable bytes are its capacity
 * less the policy's reserve (rounded down) less the bytes in it no project's limit accounts for
 * (used bytes beyond the committed stored bytes the usage port charges to projects there). The
 * budget is the least usable bytes of the stores fitted; each project gets {@code budget * weight
 * / total weight}, rounded down to whole MiB, so the limits sum to at most the budget. Staging
 * limits split the staging store's usable bytes the same way, each at most the project's storage
 * limit (staged data of an import becomes stored data); an unbounded staging store gives each
 * project its storage limit.
 */
final class Recommender {
  private final Engine engine;
  private final GovernanceConfig config;

  Recommender(Engine engine, GovernanceConfig config) {
    this.engine = engine;
    this.config = config;
  }

  QuotaRecommendation recommend(TenancyDirectory tenancy, List<BlobStore> fitted,
      BlobStore staging, QuotaPolicy policy) {
    Set<ProjectId> owners = new HashSet<>();
    engine.forEach(image -> image.owner().ifPresent(owners::add));
    SortedSet<ProjectId> projects = LimitedProjects.of(tenancy, owners);
    Map<ProjectId, UsageSnapshot> usage = new LinkedHashMap<>();
    long weights = 0;
    for (ProjectId p : projects) {
      usage.put(p, engine.usage(p));
      weights += policy.weight(p);
    }
    List<QuotaRecommendation.StoreBudget> stores = new ArrayList<>();
    long budget = -1;
    Optional<StoreId> binding = Optional.empty();
    for (BlobStore s : fitted) {
      long charged = 0;
      for (UsageSnapshot u : usage.values()) {
        charged += u.storedByStore().getOrDefault(s.id(), 0L);
      }
      QuotaRecommendation.StoreBudget b = budget(s, charged, policy);
      stores.add(b);
      if (b.usable() >= 0 && (budget < 0 || b.usable() < budget)) {
        budget = b.usable();
        binding = Optional.of(s.id());
      }
    }
    long stagedCharged = 0;
    for (UsageSnapshot u : usage.values()) {
      stagedCharged += u.stagedBytes();
    }
    QuotaRecommendation.StoreBudget stagingBudget = budget(staging, stagedCharged, policy);
    stores.add(stagingBudget);
    List<QuotaRecommendation.ProjectLimits> lines = new ArrayList<>();
    for (ProjectId p : projects) {
      int w = policy.weight(p);
      long storage = share(budget, w, weights);
      long stage = stagingBudget.usable() < 0 ? storage
          : storage < 0 ? share(stagingBudget.usable(), w, weights)
          : Math.min(storage, share(stagingBudget.usable(), w, weights));
      lines.add(new QuotaRecommendation.ProjectLimits(p, w, storage, stage,
          usage.get(p).storedBytes()));
    }
    long legacy = projects.isEmpty() ? budget : share(budget, 1, projects.size());
    List<String> current = List.of("user_storage_quota = " + config.userStorageQuota(),
        "image_member_quota = " + config.imageMemberQuota());
    return new QuotaRecommendation(lines, stores, budget, binding, legacy, policy.images(),
        policy.uploads(), policy.members().orElse(config.imageMemberQuota()), policy.copies(),
        current);
  }

  /** A store's usable bytes: -1 if it has no bound. */
  private static QuotaRecommendation.StoreBudget budget(BlobStore store, long charged,
      QuotaPolicy policy) {
    Capacity c = store.capacity();
    long uncharged = Math.max(0, c.used() - charged);
    long usable = -1;
    if (c.total() != Long.MAX_VALUE) {
      long kept = BigDecimal.valueOf(c.total())
          .multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(policy.reserve())))
          .setScale(0, RoundingMode.FLOOR).longValueExact();
      usable = Math.max(0, kept - uncharged);
    }
    return new QuotaRecommendation.StoreBudget(store.id(), c.total(), c.used(), uncharged,
        usable);
  }

  /**
   * {@code floor(budget * weight / weights)} without overflow, rounded down to whole MiB; -1
   * (unlimited) for an unbounded budget.
   */
  static long share(long budget, long weight, long weights) {
    if (budget < 0) {
      return -1;
    }
    long exact = budget / weights * weight + budget % weights * weight / weights;
    return exact - exact % UnifiedLimit.MIB;
  }
}
