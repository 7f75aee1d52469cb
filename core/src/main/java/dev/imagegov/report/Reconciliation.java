package dev.imagegov.report;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.ImageUsage;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reconciliation: every project's committed usage recomputed from the catalog (one streaming
 * pass, with {@link ImageUsage}'s rules, the ones the kernel records by) compared with the usage
 * port, and on request corrected there; and every project's open reservations compared with the
 * work in progress the catalog shows for it ({@link Hygiene#isInProgress}): a project with none
 * may hold no reservation, and holds at most one upload per image in progress.
 */
final class Reconciliation {
  private final Engine engine;

  Reconciliation(Engine engine) {
    this.engine = engine;
  }

  ReconciliationReport run(TenancyDirectory tenancy, boolean repair, Instant now) {
    Map<ProjectId, Tally> expected = new HashMap<>();
    Map<ProjectId, Long> inProgress = new HashMap<>();
    engine.forEach(image -> {
      for (UsageDelta d : ImageUsage.change(null, image)) {
        expected.computeIfAbsent(d.project(), p -> new Tally()).add(d);
      }
      if (Hygiene.isInProgress(image)) {
        image.owner().ifPresent(o -> inProgress.merge(o, 1L, Long::sum));
      }
    });
    Set<ProjectId> projects = Capacities.projects(tenancy, expected.keySet());
    List<ReconciliationReport.Drift> drifts = new ArrayList<>();
    List<ReconciliationReport.HeldReservation> held = new ArrayList<>();
    for (ProjectId p : projects) {
      Tally tally = expected.get(p);
      UsageDelta want = tally == null ? UsageDelta.none(p) : tally.toDelta(p);
      UsageSnapshot has = engine.usage(p);
      reservations(p, has, inProgress.getOrDefault(p, 0L), held);
      List<ReconciliationReport.Drift> own = compare(p, want, has);
      if (repair && !own.isEmpty()) {
        engine.correctUsage(correction(p, want, has));
      }
      drifts.addAll(own);
    }
    return new ReconciliationReport(now, projects.size(), drifts, held, repair);
  }

  /**
   * One project's committed usage as the catalog accounts for it, the sum of its images' {@link
   * ImageUsage} contributions added up in place (a sum of {@link UsageDelta}s would build a new
   * delta and map per image).
   */
  private static final class Tally {
    private final Map<StoreId, long[]> stored = new HashMap<>(4);
    private long staged;
    private long images;
    private long uploads;

    void add(UsageDelta d) {
      d.storedByStore().forEach((s, n) -> stored.computeIfAbsent(s, k -> new long[1])[0] += n);
      staged += d.stagedBytes();
      images += d.images();
      uploads += d.uploads();
    }

    /** {@return the sum as one delta (stores whose sum is 0 left out, as UsageDelta requires)} */
    UsageDelta toDelta(ProjectId p) {
      ImmutableMap.Builder<StoreId, Long> bytes = ImmutableMap.builder();
      stored.forEach((s, n) -> {
        if (n[0] != 0) {
          bytes.put(s, n[0]);
        }
      });
      return new UsageDelta(p, bytes.buildOrThrow(), staged, images, uploads);
    }
  }

  /**
   * The reservations {@code p} holds beyond its work in progress: with none, any; with some, an
   * upload count above it (each piece of work reserves one upload); bytes and image counts of
   * work in progress have no bound the catalog knows.
   */
  private static void reservations(ProjectId p, UsageSnapshot has, long inProgress,
      List<ReconciliationReport.HeldReservation> out) {
    for (UsageKind k : UsageKind.values()) {
      long reserved = has.reserved(k);
      long allowed = inProgress == 0 ? 0
          : k == UsageKind.UPLOADS ? inProgress : Long.MAX_VALUE;
      if (reserved > allowed) {
        out.add(new ReconciliationReport.HeldReservation(p, k, reserved, inProgress));
      }
    }
  }

  private static List<ReconciliationReport.Drift> compare(ProjectId p, UsageDelta want,
      UsageSnapshot has) {
    List<ReconciliationReport.Drift> out = new ArrayList<>();
    Set<StoreId> stores = new TreeSet<>(java.util.Comparator.comparing(StoreId::value));
    stores.addAll(want.storedByStore().keySet());
    stores.addAll(has.storedByStore().keySet());
    for (StoreId s : stores) {
      long e = want.storedByStore().getOrDefault(s, 0L);
      long r = has.storedByStore().getOrDefault(s, 0L);
      if (e != r) {
        out.add(new ReconciliationReport.Drift(p, UsageKind.STORED_BYTES, Optional.of(s), e, r));
      }
    }
    for (UsageKind k : List.of(UsageKind.STAGED_BYTES, UsageKind.IMAGES, UsageKind.UPLOADS)) {
      long e = want.amount(k);
      long r = has.committed(k);
      if (e != r) {
        out.add(new ReconciliationReport.Drift(p, k, Optional.empty(), e, r));
      }
    }
    return out;
  }

  /** The committed change that turns what the port holds into what the catalog accounts for. */
  private static UsageDelta correction(ProjectId p, UsageDelta want, UsageSnapshot has) {
    Map<StoreId, Long> stored = new TreeMap<>(java.util.Comparator.comparing(StoreId::value));
    want.storedByStore().forEach((s, n) -> stored.merge(s, n, Long::sum));
    has.storedByStore().forEach((s, n) -> stored.merge(s, -n, Long::sum));
    stored.values().removeIf(n -> n == 0);
    return new UsageDelta(p, ImmutableMap.copyOf(stored),
        want.amount(UsageKind.STAGED_BYTES) - has.committed(UsageKind.STAGED_BYTES),
        want.amount(UsageKind.IMAGES) - has.committed(UsageKind.IMAGES),
        want.amount(UsageKind.UPLOADS) - has.committed(UsageKind.UPLOADS));
  }
}
