package dev.imagegov.report;

import dev.imagegov.internal.Engine;
import dev.imagegov.internal.Stores;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.internal.LimitedProjects;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.Capacity;
import dev.imagegov.spi.usage.UsageKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The capacity rules, each stated once: what every store holds and what the catalog says it
 * holds (one streaming pass), and the storage limits of every project (the tenancy directory's
 * projects, its domains left out, and every owner the catalog names).
 */
final class Capacities {
  /** The share of a store's capacity at which it is reported nearly full. */
  static final double NEAR_FULL = 0.9;

  private final Engine engine;
  private final Stores stores;

  Capacities(Engine engine, Stores stores) {
    this.engine = engine;
    this.stores = stores;
  }

  /** The projects whose limits count ({@link LimitedProjects}, their one home). */
  static Set<ProjectId> projects(TenancyDirectory tenancy, Set<ProjectId> owners) {
    return LimitedProjects.of(tenancy, owners);
  }

  /**
   * The bytes an image's locations count in each store: its size once per location, unless it
   * is killed (the rule {@link dev.imagegov.quota.ImageUsage} charges to owners, here for every
   * image, owned or not).
   */
  static void addReferenced(Image image, Map<StoreId, long[]> referenced) {
    if (image.status() == ImageStatus.KILLED) {
      return;
    }
    List<Location> locations = image.locations();
    if (locations.isEmpty()) {
      return;
    }
    long size = image.size().orElse(0);
    for (Location l : locations) {
      referenced.computeIfAbsent(l.store(), s -> new long[1])[0] += size;
    }
  }

  CapacityReport report(TenancyDirectory tenancy, Instant now) {
    Map<StoreId, long[]> referenced = new HashMap<>();
    Set<ProjectId> owners = new HashSet<>();
    engine.forEach(image -> {
      image.owner().ifPresent(owners::add);
      addReferenced(image, referenced);
    });
    Set<ProjectId> projects = projects(tenancy, owners);
    List<CapacityReport.CapacityFinding> findings = new ArrayList<>();
    long limits = 0;
    long reserved = 0;
    boolean bounded = stores.all().stream()
        .anyMatch(s -> s.capacity().total() != CapacityReport.UNBOUNDED);
    for (ProjectId p : projects) {
      long limit = engine.limit(p, UsageKind.STORED_BYTES);
      reserved += engine.usage(p).reserved(UsageKind.STORED_BYTES);
      if (limit < 0) {
        limits = -1;
      }
      if (limit < 0 && bounded) {
        findings.add(new CapacityReport.CapacityFinding(CapacityRule.UNLIMITED_PROJECT,
            Optional.empty(), Optional.of(p),
            "project " + p + " has no storage limit: it alone can fill any store"));
      } else if (limits >= 0) {
        limits = limits > Long.MAX_VALUE - limit ? Long.MAX_VALUE : limits + limit;
      }
    }
    List<CapacityReport.StoreCapacity> lines = new ArrayList<>();
    for (BlobStore store : stores.all()) {
      Capacity c = store.capacity();
      long blobBytes = 0;
      for (BlobKey key : store.keys()) {
        OptionalLong size = store.size(key);
        blobBytes += size.orElse(0);
      }
      long[] counted = referenced.get(store.id());
      long refs = counted == null ? 0 : counted[0];
      CapacityReport.StoreCapacity line = new CapacityReport.StoreCapacity(store.id(),
          c.total(), c.used(), blobBytes, refs, Math.max(0, c.used() - blobBytes), limits);
      lines.add(line);
      rules(line, projects.size(), findings);
    }
    return new CapacityReport(now, lines, reserved, findings);
  }

  private static void rules(CapacityReport.StoreCapacity s, int projects,
      List<CapacityReport.CapacityFinding> out) {
    Optional<StoreId> store = Optional.of(s.store());
    boolean bounded = s.total() != CapacityReport.UNBOUNDED;
    if (bounded && s.limits() > s.total()) {
      out.add(new CapacityReport.CapacityFinding(CapacityRule.OVERCOMMITTED, store,
          Optional.empty(), "the storage limits of " + projects + " projects sum to "
              + s.limits() + " bytes, over the store's " + s.total()));
    }
    if (bounded && s.used() >= (long) (NEAR_FULL * s.total())) {
      out.add(new CapacityReport.CapacityFinding(CapacityRule.NEARLY_FULL, store,
          Optional.empty(), s.used() + " of " + s.total() + " bytes used"));
    }
    if (s.referencedBytes() > s.blobBytes()) {
      out.add(new CapacityReport.CapacityFinding(CapacityRule.CATALOG_EXCEEDS_STORE, store,
          Optional.empty(), "locations count " + s.referencedBytes()
              + " bytes; the store's blobs hold " + s.blobBytes()));
    }
  }
}
