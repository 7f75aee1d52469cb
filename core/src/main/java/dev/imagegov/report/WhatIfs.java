package dev.imagegov.report;

import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.internal.Engine;
import dev.imagegov.internal.Stores;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.usage.UsageKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The what-if rules: the state now (every project's storage limit and usage, the figure its
 * limit is checked against; every store's capacity, used bytes and the sum of the limits), the
 * same state with the change applied on paper, and what the change runs into. Reads the
 * catalog, the stores and the usage port; writes nothing.
 */
final class WhatIfs {
  private final Engine engine;
  private final Stores stores;
  private final Cleanup cleanup;

  WhatIfs(Engine engine, Stores stores, Cleanup cleanup) {
    this.engine = engine;
    this.stores = stores;
    this.cleanup = cleanup;
  }

  WhatIfReport run(Caller caller, TenancyDirectory tenancy, WhatIf change) {
    Set<ProjectId> owners = new HashSet<>();
    engine.forEach(image -> image.owner().ifPresent(owners::add));
    Map<ProjectId, long[]> projects = new LinkedHashMap<>();
    for (ProjectId p : Capacities.projects(tenancy, owners)) {
      projects.put(p, line(p));
    }
    Map<StoreId, long[]> used = new LinkedHashMap<>();
    for (BlobStore s : stores.all()) {
      long u = s.capacity().used();
      used.put(s.id(), new long[] {u, u});
    }
    List<String> notes = new ArrayList<>();
    if (change instanceof WhatIf.CopyImage c) {
      copy(caller, c, projects, used, notes);
    } else if (change instanceof WhatIf.SetLimit s) {
      if (s.bytes() < -1) {
        throw GovernanceException.of(RuleCode.INVALID_REPORT_VALUE,
            "A storage limit is at least 0 bytes, or -1 for none, not " + s.bytes() + ".");
      }
      long[] p = projects.computeIfAbsent(s.project(), this::line);
      p[1] = s.bytes();
      if (s.bytes() >= 0 && p[3] > s.bytes()) {
        notes.add(s.project() + " would store " + p[3] + " bytes, over its new limit of "
            + s.bytes() + ": its next upload or copy is refused");
      }
    } else {
      deleteDuplicates(((WhatIf.DeleteDuplicates) change).report(), projects, used, notes);
    }
    long before = sum(projects, 0);
    long after = sum(projects, 1);
    List<WhatIfReport.ProjectEffect> lines = new ArrayList<>();
    projects.entrySet().stream().sorted(Map.Entry.comparingByKey(
        java.util.Comparator.comparing(ProjectId::value))).forEach(e -> lines.add(
            new WhatIfReport.ProjectEffect(e.getKey(), e.getValue()[0], e.getValue()[1],
                e.getValue()[2], e.getValue()[3])));
    List<WhatIfReport.StoreEffect> storeLines = new ArrayList<>();
    for (BlobStore s : stores.all()) {
      long total = s.capacity().total();
      long[] u = used.get(s.id());
      storeLines.add(new WhatIfReport.StoreEffect(s.id(), total, u[0], u[1], before, after));
      boolean bounded = total != CapacityReport.UNBOUNDED;
      if (bounded && (after < 0 || after > total) && !(before < 0 || before > total)) {
        notes.add("store " + s.id() + " would be overcommitted: the storage limits would sum to "
            + (after < 0 ? "no bound" : after + " bytes") + ", over its " + total);
      }
    }
    return new WhatIfReport(change, lines, storeLines, notes);
  }

  /**
   * A project's line before the change: its storage limit now and after, its usage (committed
   * plus reserved, the figure its limit is checked against) now and after.
   */
  private long[] line(ProjectId p) {
    long limit = engine.limit(p, UsageKind.STORED_BYTES);
    long usage = engine.usage(p).usage(UsageKind.STORED_BYTES);
    return new long[] {limit, limit, usage, usage};
  }

  private void copy(Caller caller, WhatIf.CopyImage c, Map<ProjectId, long[]> projects,
      Map<StoreId, long[]> used, List<String> notes) {
    Image image = engine.loadVisible(caller, c.image(), Engine.noImage(c.image()));
    BlobStore target = stores.find(c.store()).orElseThrow(() -> GovernanceException.of(
        RuleCode.INVALID_REPORT_VALUE, "Store " + c.store() + " is not enabled."));
    if (image.status() != ImageStatus.ACTIVE) {
      throw GovernanceException.of(RuleCode.INVALID_REPORT_VALUE, "Image " + image.id()
          + " is " + image.status().wireName() + ": copy-image copies active images only.");
    }
    if (image.locations().stream().anyMatch(l -> l.store().equals(c.store()))) {
      throw GovernanceException.of(RuleCode.INVALID_REPORT_VALUE,
          "Image " + image.id() + " is already in store " + c.store() + ".");
    }
    long size = image.size().orElse(0);
    long[] u = used.get(target.id());
    u[1] += size;
    long total = target.capacity().total();
    if (u[1] > total) {
      notes.add("store " + target.id() + " would be full: " + size + " more bytes, "
          + Math.max(0, total - u[0]) + " free");
    }
    image.owner().ifPresent(owner -> {
      long[] p = projects.get(owner);
      p[3] += size;
      if (p[1] >= 0 && p[3] > p[1]) {
        notes.add("copy-image would be refused (413): " + owner + " would store " + p[3]
            + " bytes, over its limit of " + p[1]);
      }
    });
  }

  private void deleteDuplicates(HygieneReport report, Map<ProjectId, long[]> projects,
      Map<StoreId, long[]> used, List<String> notes) {
    CleanupPlan plan = cleanup.plan(report, EnumSet.of(FindingKind.DUPLICATE_IN_OWNER));
    for (CleanupAction a : plan.actions()) {
      Finding f = a.finding();
      f.bytes().forEach((s, n) -> {
        long[] u = used.get(s);
        if (u != null) {
          u[1] = Math.max(0, u[1] - n);
        }
        f.owner().map(projects::get).ifPresent(p -> p[3] = Math.max(0, p[3] - n));
      });
    }
    for (CleanupSkip s : plan.skipped()) {
      notes.add("left alone: " + s.finding().subject() + " (" + s.reason() + ")");
    }
  }

  /** The sum of the limits in column {@code column} (0 now, 1 after); -1 if one has none. */
  private static long sum(Map<ProjectId, long[]> projects, int column) {
    long sum = 0;
    for (long[] p : projects.values()) {
      if (p[column] < 0) {
        return -1;
      }
      sum = sum > Long.MAX_VALUE - p[column] ? Long.MAX_VALUE : sum + p[column];
    }
    return sum;
  }
}
