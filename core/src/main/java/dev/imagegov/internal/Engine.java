package dev.imagegov.internal;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Decision;
import dev.imagegov.access.ImageTarget;
import dev.imagegov.access.Policy;
import dev.imagegov.access.PolicyTarget;
import dev.imagegov.access.Rules;
import dev.imagegov.access.VisibilityReason;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.GovernanceListener;
import dev.imagegov.events.ImageCreated;
import dev.imagegov.events.ImageDeleted;
import dev.imagegov.events.ImageRestored;
import dev.imagegov.events.StatusChanged;
import dev.imagegov.lifecycle.ImageUsage;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.protection.PropertyOperation;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.quota.internal.QuotaRules;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;
import dev.imagegov.spi.usage.UsageStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The internal kernel of one governance. It owns every write and every read of the catalog and
 * the usage store on behalf of the use cases, which reach them only through the named
 * operations below (their own collaborators, such as the configuration and the blob stores, are
 * given to their constructors):
 *
 * <ul>
 *   <li>reads: {@link #lookup} (the stored image, for a pipeline that runs its own visibility
 *       check), {@link #findVisible}/{@link #loadVisible} (the by-id visibility predicate,
 *       {@link #visibleBecause}), {@link #tombstone}, {@link #query};
 *   <li>policy: {@link #allows}, {@link #decide}, {@link #isAdmin}, Glance's
 *       Forbidden-becomes-NotFound enforcement ({@link #enforce}) and the hard mutate check
 *       ({@link #checkMutable});
 *   <li>writes: {@link #insert}, {@link #restore} and {@link #finishDeletion} (of pending-delete
 *       images), and the only compare-and-set loop ({@link #commit}, {@link #commitAdmitted},
 *       {@link #remove}, {@link #compensate}), which commits each change's usage with it (one
 *       step of the usage port) and publishes events after commit so no use case can forget
 *       either;
 *   <li>quota: {@link #charge} (a reservation for work in progress), {@link #usage} and {@link
 *       #limit} (for reports);
 *   <li>the caller's view of an image ({@link #viewFor}), time ({@link #now}, {@link #clock})
 *       and new ids ({@link #newId}).
 * </ul>
 */
public final class Engine {
  /** How many times a lost compare-and-set is retried before the conflict is answered. */
  public static final int MAX_ATTEMPTS = 32;

  private final Catalog catalog;
  private final GovernanceConfig config;
  private final Clock clock;
  private final Policy policy;
  private final List<GovernanceListener> listeners;
  /** Where each operation's outcome and time go. */
  private Metering metering = new Metering(dev.imagegov.events.GovernanceMetrics.NONE);
  /** Where a listener's exception goes after the log. */
  private dev.imagegov.events.ListenerFailureHandler listenerFailures =
      dev.imagegov.events.ListenerFailureHandler.LOG_ONLY;
  private final Supplier<UUID> ids;
  /** The enabled blob stores (a deleted image's data is removed from them). */
  private final Stores stores;
  /** The staging store (a deleted image's staged data is removed from it). */
  private final BlobStore staging;
  /** What each project consumes and has reserved: the usage port, its one owner. */
  private final UsageStore usage;
  /** Which limit applies to what, and Glance's refusals. */
  private final QuotaRules quotas;
  /** Which images the application's instances and volumes use (the lifecycle's usage port). */
  private final ImageUsage imageUsage;
  /** Where projects sit (hierarchical sharing); read at each access, never copied. */
  private final TenancyDirectory tenancy;
  /**
   * The exposure guardrail in force: the configuration's until an admin changes it ({@code
   * exposure().change}). The one place every check reads it from.
   */
  private volatile dev.imagegov.exposure.ExposureGuardrail exposure;

  /**
   * The kernel over {@code catalog}. Without a {@code usage} store, usage lives in this JVM's
   * memory and starts from what the catalog holds.
   */
  public Engine(
      Catalog catalog,
      GovernanceConfig config,
      Clock clock,
      List<GovernanceListener> listeners,
      Supplier<UUID> ids,
      Stores stores,
      BlobStore staging,
      Optional<UsageStore> usage,
      ImageUsage imageUsage,
      TenancyDirectory tenancy) {
    this.imageUsage = imageUsage;
    this.tenancy = tenancy;
    this.exposure = config.exposure();
    this.catalog = catalog;
    this.config = config;
    this.clock = clock;
    this.policy = config.policy();
    this.listeners = List.copyOf(listeners);
    this.ids = ids;
    this.stores = stores;
    this.staging = staging;
    this.usage = usage.orElseGet(MemoryUsageStore::new);
    this.quotas = new QuotaRules(config, this.usage);
    if (usage.isEmpty()) {
      // The default store is this JVM's memory: it starts from what the catalog holds.
      catalog.forEach(image -> quotas.record(null, image));
    }
  }

  /**
   * Sets where each operation's outcome and time are reported (the builder's {@code metrics});
   * called once, before the governance is handed out.
   */
  public void metrics(dev.imagegov.events.GovernanceMetrics metrics) {
    this.metering = new Metering(java.util.Objects.requireNonNull(metrics, "metrics"));
  }

  /**
   * Runs the operation {@code operation} ({@code <group>.<method>}) of a caller and reports its
   * outcome and time to the metrics; only the outermost operation on a thread is reported.
   */
  public <T> T metered(String operation, Supplier<T> body) {
    // Without metrics the body runs here, in a method small enough to inline into every
    // operation, so the compiler sees the body's exact type and need not allocate it.
    Metering m = metering;
    return m.off() ? body.get() : m.run(operation, body);
  }

  /**
   * {@link #metered(String, Supplier)} for a body of two arguments: a hot operation passes a
   * function it holds in a field and its arguments, so that a call without metrics allocates no
   * lambda for them (the body's call site in here sees every such operation, so the compiler does
   * not inline it and cannot prove a capturing lambda dead).
   */
  public <A, B, T> T metered(String operation, java.util.function.BiFunction<A, B, T> body,
      A first, B second) {
    Metering m = metering;
    return m.off() ? body.apply(first, second) : m.run(operation, () -> body.apply(first, second));
  }

  /**
   * The end of an operation whose work outlives its call (a download's stream): the operation
   * reports its outcome when told here, once (later calls are ignored).
   */
  public interface End {
    /** The operation completed (its stream was read to the end or closed). */
    void completed();

    /**
     * The operation failed after its call returned (its stream failed).
     *
     * @param failure what failed
     */
    void failed(RuntimeException failure);
  }

  /**
   * {@link #metered} for an operation whose work outlives its call: a refusal or failure of the
   * call is reported at once; a call that returns is reported (and timed) when the body's result
   * calls the {@link End} it was given. Nested in another metered operation, the body gets an
   * {@code End} that reports nothing.
   */
  public <T> T meteredUntil(String operation, java.util.function.Function<End, T> body) {
    return metering.runUntil(operation, body);
  }

  /** {@link #metered} for an operation that returns nothing. */
  public void meteredRun(String operation, Runnable body) {
    metering.run(operation, () -> {
      body.run();
      return null;
    });
  }

  /**
   * Sets where a listener's exception goes after the log (the builder's {@code
   * listenerFailures}); called once, before the governance is handed out.
   */
  public void listenerFailures(dev.imagegov.events.ListenerFailureHandler handler) {
    this.listenerFailures = java.util.Objects.requireNonNull(handler, "handler");
  }

  /**
   * Removes a deleted image's data from every store it has a location in, and its staged data. A
   * store failure is only reported as a missing event, as Glance only logs it; a later {@code
   * scrub} retries.
   */
  public void discardData(Caller caller, Image image) {
    for (dev.imagegov.model.Location location : image.locations()) {
      BlobStore store = stores.find(location.store()).orElse(null);
      if (store == null) {
        continue;
      }
      try {
        if (store.delete(dev.imagegov.spi.blob.BlobKey.of(image.id()))) {
          publish(new dev.imagegov.events.DataDeleted(caller, image.id(), now(), store.id()));
        }
      } catch (java.io.IOException e) {
        // Left for the scrubber: the image is deleted, so its data is garbage.
      }
    }
    try {
      staging.delete(dev.imagegov.spi.blob.BlobKey.of(image.id()));
    } catch (java.io.IOException e) {
      // Staged data of a deleted image is garbage; nothing refers to it.
    }
  }

  // ------------------------------------------------------------------------------ reads

  /**
   * The stored image, whoever asks: for a check pipeline, which runs the lookup and visibility
   * checks itself, and for work the caller was already admitted to.
   */
  public Optional<Image> lookup(ImageId id) {
    Optional<Image> found = catalog.find(id);
    if (found.isEmpty() || !found.get().hasExpiringMembers()) {
      return found; // the common read: no second Optional, no bound method reference
    }
    return Optional.of(live(found.get()));
  }

  /**
   * The image as every rule sees it: without its memberships that have expired by now ({@link
   * Member#isExpiredAt}), which are treated exactly as removed ones. Every read of the kernel
   * goes through here; the rows stay stored until a write of the image (or the sharing sweep)
   * drops them, publishing {@code MemberRemoved} for each.
   */
  private Image live(Image stored) {
    // The clock is read only for an image with an expiring membership: a by-id read of any
    // other image costs no clock read and no scan of its members.
    return stored.hasExpiringMembers() ? withoutExpired(stored, now()) : stored;
  }

  private static Image withoutExpired(Image stored, Instant at) {
    if (!stored.hasExpiringMembers()) {
      return stored;
    }
    ImmutableMap<ProjectId, Member> members = stored.members();
    boolean expired = false;
    for (Member m : members.values()) {
      if (m.isExpiredAt(at)) {
        expired = true;
        break;
      }
    }
    if (!expired) {
      return stored;
    }
    ImmutableMap.Builder<ProjectId, Member> kept = ImmutableMap.builder();
    for (Member m : members.values()) {
      if (!m.isExpiredAt(at)) {
        kept.put(m.project(), m);
      }
    }
    return stored.replacingMembers(kept.buildOrThrow());
  }

  /**
   * The ids of the stored images that still hold a membership expired by now (the sharing
   * sweep's work list), in the catalog's iteration order.
   */
  public List<ImageId> withExpiredMembers() {
    Instant at = now();
    List<ImageId> ids = new ArrayList<>();
    catalog.forEach(image -> {
      if (withoutExpired(image, at) != image) {
        ids.add(image.id());
      }
    });
    return ids;
  }

  /**
   * Drops the expired memberships image {@code id} still stores, through the compare-and-set
   * loop: {@code MemberRemoved} is published for each (by {@code caller}, the sweep's admin).
   *
   * @return the memberships dropped (empty if none were left, or the image is gone)
   */
  public List<Member> dropExpired(Caller caller, ImageId id) {
    Optional<Dropped> done = loop(caller, id, Lookup.ADMITTED, noImage(id), (stored, current) -> {
      if (stored == current) {
        return Optional.empty();
      }
      CompareAndSetResult result = usage.compareAndSet(catalog, stored.version(), current,
          QuotaRules.recordedOf(stored, current));
      if (result instanceof CompareAndSetResult.Stored s) {
        return Optional.of(new Dropped(stored, s.image()));
      }
      if (result.isMissing()) {
        return Optional.empty();
      }
      return null;
    });
    if (done.isEmpty()) {
      return List.of();
    }
    return publishDropped(caller, done.get().stored(), done.get().after());
  }

  /** An image as stored before a write and as the write left it. */
  private record Dropped(Image stored, Image after) {}

  /**
   * Publishes {@code MemberRemoved} for each membership {@code stored} held that {@code after}
   * no longer holds because it had expired, and returns them.
   */
  private List<Member> publishDropped(Caller caller, Image stored, Image after) {
    List<Member> dropped = new ArrayList<>();
    Instant at = now();
    for (Member m : stored.members().values()) {
      Member kept = after.members().get(m.project());
      if (m.isExpiredAt(at) && (kept == null || !kept.equals(m))) {
        dropped.add(m);
        publish(new dev.imagegov.events.MemberRemoved(caller, stored.id(), at, m));
      }
    }
    return dropped;
  }

  /**
   * Which images the application's instances and volumes use: the lifecycle's usage port.
   *
   * @return the port the governance was built with ({@link ImageUsage#none()} by default)
   */
  public ImageUsage imageUsage() {
    return imageUsage;
  }

  /** The tombstone of a deleted image, if the catalog keeps one. */
  public Optional<Tombstone> tombstone(ImageId id) {
    return catalog.tombstone(id);
  }

  /** The ids of the images pending delete (a scan of the deleted ones, for the scrub). */
  public List<ImageId> pendingDeletes() {
    return catalog.pendingDeletes();
  }

  /**
   * The catalog's answer to a caller-bound list query (already limited to what it may list),
   * once the kernel bound it to the tenancy: the directory's lineage of the query's project at
   * this moment (so a moved project lists from its new place at once) and the status of an
   * unanswered group offer. The one place every listing reaches the catalog, so no use case can
   * forget hierarchical sharing.
   */
  public List<Image> query(CatalogQuery query) {
    CatalogQuery bound = bind(query);
    List<Image> rows = catalog.query(bound);
    int first = 0;
    while (first < rows.size() && !rows.get(first).hasExpiringMembers()) {
      first++;
    }
    if (first == rows.size()) {
      return rows; // no row has a membership that can expire: the catalog's page as it is
    }
    Instant at = bound.membershipsAt().isPresent() ? bound.membershipsAt().get() : now();
    List<Image> live = new ArrayList<>(rows);
    for (int i = first; i < live.size(); i++) {
      live.set(i, withoutExpired(live.get(i), at));
    }
    return live;
  }

  /**
   * {@code query} as {@link #query} sends it to the catalog: for a caller with memberships (a
   * project, not an admin), bound to the tenancy (its lineage, and the status of a group offer it
   * has not answered) and judged now (a membership expired by now counts as absent). A query
   * already bound is answered as it is; an admin's or a projectless one needs neither.
   *
   * @param query the caller-bound query
   * @return the query the catalog is asked
   */
  public CatalogQuery bind(CatalogQuery query) {
    if (query.seesAll() || query.project().isEmpty()) {
      return query;
    }
    List<ProjectId> lineage = lineage(query.project().get());
    MemberStatus unanswered = unansweredStatus();
    boolean judged = query.membershipsAt().isPresent();
    if (judged && lineage.equals(query.lineage()) && unanswered == query.unansweredStatus()) {
      return query;
    }
    return query.toBuilder()
        .lineage(lineage)
        .unansweredStatus(unanswered)
        .membershipsAt(judged ? query.membershipsAt() : Optional.of(now()))
        .build();
  }

  /**
   * What {@link #bind} adds to a query, given to a query still being built, so a list builds its
   * query once: for a caller with memberships (one with a project that does not see every image)
   * its lineage now, the status of a group offer it has not answered, and this instant.
   *
   * @param builder the query being built, with its project and {@code seesAll} set
   * @param project the caller's project, if any
   * @param seesAll whether the caller sees every image
   * @return {@code builder}, bound
   */
  public CatalogQuery.Builder bind(
      CatalogQuery.Builder builder, Optional<ProjectId> project, boolean seesAll) {
    if (seesAll || project.isEmpty()) {
      return builder;
    }
    builder.lineage(lineage(project.get()))
        .unansweredStatus(unansweredStatus())
        .membershipsAt(now());
    return builder;
  }

  /**
   * Streams every stored image to {@code action} with the guarantees of {@link Catalog#forEach},
   * for whole-catalog work such as the lifecycle's schedules.
   */
  public void forEach(java.util.function.Consumer<Image> action) {
    Instant at = now();
    catalog.forEach(image -> action.accept(withoutExpired(image, at)));
  }

  /**
   * Streams every image as the catalog stores it, memberships expired by now included, for work
   * that judges expiry itself (isolation verification's snapshot, which its oracle judges).
   */
  public void forEachStored(java.util.function.Consumer<Image> action) {
    catalog.forEach(action);
  }

  // ----------------------------------------------------------------------------- policy

  /** Whether {@code rule} allows {@code caller} on {@code target}. */
  public boolean allows(String rule, Caller caller, PolicyTarget target) {
    return policy.allows(rule, caller, target);
  }

  /** {@link #allows}, with the decision's trace (for {@code explain}). */
  public Decision decide(String rule, Caller caller, PolicyTarget target) {
    return policy.decide(rule, caller, target);
  }

  // ----------------------------------------------------------------------------- quotas

  /** A reservation charged to {@code owner} (none for an unowned image); close it when done. */
  public QuotaRules.Charge charge(Optional<ProjectId> owner) {
    return quotas.charge(owner);
  }

  /** What {@code project} consumes and has reserved now. */
  public UsageSnapshot usage(ProjectId project) {
    return usage.snapshot(project);
  }

  /**
   * Records a correction of committed usage that no image change caused: the repair of a drift
   * that reconciliation found between the catalog and the usage port. Only reports call it.
   */
  public void correctUsage(dev.imagegov.spi.usage.UsageDelta correction) {
    usage.record(correction);
  }

  /** The limit of {@code kind} for {@code project}, in bytes or images; -1 if unlimited. */
  public long limit(ProjectId project, UsageKind kind) {
    return quotas.limit(project, kind);
  }

  // ----------------------------------------------------------------------------- writes

  /**
   * Inserts a new image: its {@code image_count_total} (+1) is reserved for its owner before the
   * insert and settled into usage with it; {@code ImageCreated} is published after.
   *
   * @throws GovernanceException {@code DUPLICATE_IMAGE_ID} if the id exists or existed; 413 over
   *     {@code image_count_total}
   */
  public Image insert(Caller caller, Image draft) {
    Image stored;
    try (QuotaRules.Charge charge = quotas.charge(draft.owner())) {
      charge.reserve(UsageKind.IMAGES, 1);
      stored = usage.insert(catalog, draft, charge.commitOf(null, draft));
    }
    publish(new ImageCreated(caller, stored.id(), stored.createdAt(), stored));
    return stored;
  }

  /**
   * Restores a {@code pending_delete} image for a caller already admitted (its owner or an admin):
   * the usage the image brings back (its count and stored bytes) is reserved for its owner before
   * the catalog restores it and settled with it (in one transaction where the usage port shares
   * one with the catalog), so a restore over a limit is refused with 413 and changes nothing;
   * {@code ImageRestored} is published after.
   *
   * @throws GovernanceException 413 over a limit; {@code IMAGE_NOT_PENDING_DELETE} if the catalog
   *     no longer holds it pending delete (restored or finished meanwhile, or never kept)
   */
  public Image restore(Caller caller, Tombstone tombstone) {
    Image restored;
    try (QuotaRules.Charge charge = quotas.charge(tombstone.owner())) {
      restoredUsage(tombstone).forEach(charge::reserve);
      // The usage of the image as kept: a restore brings it back unchanged but for its time.
      restored = usage.undelete(catalog, tombstone.id(), now(),
          charge.commitOf(null, tombstone.retained().orElse(null)));
    }
    publish(new ImageRestored(caller, restored.id(), restored.updatedAt(), restored));
    return restored;
  }

  /**
   * {@return what restoring the image {@code tombstone} kept brings back to its owner, by kind
   * (nothing for an unowned image, or one not kept)}: what {@link #restore} reserves
   *
   * @param tombstone the pending-delete tombstone
   */
  public Map<UsageKind, Long> restoredUsage(Tombstone tombstone) {
    Map<UsageKind, Long> amounts = new java.util.EnumMap<>(UsageKind.class);
    if (tombstone.retained().isPresent() && tombstone.owner().isPresent()) {
      for (dev.imagegov.spi.usage.UsageDelta d
          : dev.imagegov.quota.ImageUsage.change(null, tombstone.retained().get())) {
        for (UsageKind kind : UsageKind.values()) {
          if (d.project().equals(tombstone.owner().get()) && d.amount(kind) > 0) {
            amounts.merge(kind, d.amount(kind), Long::sum);
          }
        }
      }
    }
    return amounts;
  }

  /**
   * {@return the 413 a restore of {@code tombstone} would answer now (what it brings back over
   * one of its owner's limits), or {@code null}} The restore pipeline's quota check; {@link
   * #restore}'s reservation decides atomically on the same figures.
   *
   * @param tombstone the pending-delete tombstone
   */
  public @Nullable GovernanceException restoreQuotaRefusal(Tombstone tombstone) {
    for (Map.Entry<UsageKind, Long> e : restoredUsage(tombstone).entrySet()) {
      GovernanceException refusal =
          quotas.exceeded(tombstone.owner().orElseThrow(), e.getKey(), e.getValue());
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  /**
   * Finishes the deletion of a {@code pending_delete} image whose data is going (the scrub): its
   * tombstone becomes {@code deleted} and a {@code StatusChanged} is published. Its usage was
   * released when it was deleted.
   *
   * @return whether this call finished it (false if the catalog no longer holds it pending
   *     delete: restored or finished meanwhile)
   */
  public boolean finishDeletion(Caller caller, ImageId id) {
    try {
      catalog.finishDeletion(id);
    } catch (GovernanceException e) {
      if (e.code() == StoreErrorCode.IMAGE_NOT_PENDING_DELETE
          || e.code() == StoreErrorCode.IMAGE_NOT_FOUND) {
        return false;
      }
      throw e;
    }
    publish(new StatusChanged(caller, id, now(), ImageStatus.PENDING_DELETE,
        ImageStatus.DELETED));
    return true;
  }

  // ------------------------------------------------------------------------ time and ids

  /** The governance's clock (for certificate validity; {@link #now} for times of change). */
  public Clock clock() {
    return clock;
  }

  /** A new image or task id from the governance's generator. */
  public UUID newId() {
    return ids.get();
  }

  public Instant now() {
    return clock.instant();
  }

  public boolean isAdmin(Caller caller) {
    return policy.isAdmin(caller);
  }

  /**
   * Glance's by-id visibility predicate: admin; unowned image; public or community; owner; or a
   * shared image with a membership of any status for the caller's project.
   */
  public VisibilityReason visibleBecause(Caller caller, Image image) {
    if (isAdmin(caller)) {
      return VisibilityReason.ADMIN;
    }
    Optional<ProjectId> owner = image.owner(); // read once: each read of it is a new Optional
    if (owner.isEmpty()) {
      return VisibilityReason.UNOWNED;
    }
    Visibility visibility = image.visibility();
    if (visibility == Visibility.PUBLIC) {
      return VisibilityReason.PUBLIC;
    }
    if (visibility == Visibility.COMMUNITY) {
      return VisibilityReason.COMMUNITY;
    }
    Optional<ProjectId> project = caller.project();
    if (project.isEmpty()) {
      return VisibilityReason.INVISIBLE;
    }
    if (owner.get().equals(project.get())) {
      return VisibilityReason.OWNER;
    }
    if (visibility == Visibility.SHARED && isMember(image, project.get())) {
      return VisibilityReason.MEMBER;
    }
    return VisibilityReason.INVISIBLE;
  }

  /** {@return the exposure guardrail in force now} */
  public dev.imagegov.exposure.ExposureGuardrail exposure() {
    return exposure;
  }

  /** Puts {@code guardrail} in force for every check from now on (the caller checked the admin). */
  public void exposure(dev.imagegov.exposure.ExposureGuardrail guardrail) {
    this.exposure = java.util.Objects.requireNonNull(guardrail, "guardrail");
  }

  /** The tenancy directory hierarchical sharing reads. */
  public TenancyDirectory tenancy() {
    return tenancy;
  }

  /** The groups above {@code project} now: its ancestors, nearest first, then its domain. */
  public List<ProjectId> lineage(ProjectId project) {
    return tenancy.lineage(project);
  }

  /** The status of a project that has not answered a group's offer. */
  public MemberStatus unansweredStatus() {
    return config.groupMembersAccepted() ? MemberStatus.ACCEPTED : MemberStatus.PENDING;
  }

  /**
   * The membership {@code project} has of {@code image}, directly or through a group above it
   * ({@link Image#membershipOf}, with the directory's lineage of the project at this moment).
   */
  public Optional<Member> membershipOf(Image image, ProjectId project) {
    if (image.members().isEmpty()) {
      return Optional.empty();
    }
    Member own = image.members().get(project);
    if (own != null && own.isDirect()) {
      // What Image.membershipOf answers first, without asking the directory for the lineage.
      return Optional.of(own);
    }
    return image.membershipOf(project, lineage(project), unansweredStatus());
  }

  /** Whether {@link #membershipOf} finds one: a direct row answers without an {@code Optional}. */
  private boolean isMember(Image image, ProjectId project) {
    ImmutableMap<ProjectId, Member> members = image.members();
    if (members.isEmpty()) {
      return false;
    }
    Member own = members.get(project);
    return own != null && own.isDirect() || membershipOf(image, project).isPresent();
  }

  public boolean isVisible(Caller caller, Image image) {
    return visibleBecause(caller, image) != VisibilityReason.INVISIBLE;
  }

  /** The live image if the caller may see it by id; else empty (never says which). */
  public Optional<Image> findVisible(Caller caller, ImageId id) {
    return lookup(id).filter(image -> isVisible(caller, image));
  }

  /** The live image the caller may see, or {@code IMAGE_NOT_FOUND} with {@code message}. */
  public Image loadVisible(Caller caller, ImageId id, String message) {
    return findVisible(caller, id).orElseThrow(() -> notFound(message));
  }

  /** Glance's not-found message for an image id. */
  public static String noImage(Object id) {
    return "No image found with ID " + id;
  }

  public static GovernanceException notFound(String message) {
    return GovernanceException.of(StoreErrorCode.IMAGE_NOT_FOUND, message);
  }

  static GovernanceException forbidden(ErrorCode code, String message) {
    return GovernanceException.of(code, message);
  }

  /**
   * Enforces {@code rule} on a visible image with Glance's Forbidden-becomes-NotFound rule: a
   * caller who fails the rule and also fails {@code get_image} (or when the rule is {@code
   * get_image}) is told the image does not exist; otherwise it is told it may not.
   */
  public void enforce(String rule, Caller caller, Image image, String forbiddenMessage) {
    ImageTarget target = ImageTarget.of(image, caller);
    if (policy.allows(rule, caller, target)) {
      return;
    }
    if (rule.equals(Rules.GET_IMAGE) || !policy.allows(Rules.GET_IMAGE, caller, target)) {
      throw notFound(noImage(image.id()));
    }
    throw forbidden(RuleCode.POLICY_DENIED, forbiddenMessage);
  }

  /**
   * Glance's hard mutate check, always active on image writes: only an admin or the owner may
   * change an image (an unowned image only an admin).
   */
  public void checkMutable(Caller caller, Image image) {
    if (isAdmin(caller)) {
      return;
    }
    if (caller.project().isPresent() && image.isOwnedBy(caller.project().get())) {
      return;
    }
    throw forbidden(RuleCode.POLICY_DENIED, "You do not own this image " + image.id() + ".");
  }

  /**
   * A change computed from the current image: its checks and its replacement. It runs inside
   * {@link #commit}, again on every lost race, so its checks always see the image it replaces.
   */
  public interface Change {
    /** Checks and computes; returns empty for a no-op. Must not have side effects. */
    Optional<Image> apply(Image current);
  }

  /** The events a committed change causes; published only after the catalog accepted it. */
  @FunctionalInterface
  public interface Events {
    /** No events. */
    Events NONE = c -> List.of();

    /** A {@code StatusChanged} when the change moved the status, else nothing. */
    static Events statusOf(Caller caller) {
      return c -> c.before().status() == c.after().status()
          ? List.of()
          : List.of(new StatusChanged(caller, c.after().id(), c.after().updatedAt(),
              c.before().status(), c.after().status()));
    }

    List<? extends GovernanceEvent> of(Committed committed);
  }

  /** Decides a deletion from the current image: its checks and the tombstone's status. */
  public interface Removal {
    /** Checks the image may go; returns {@code deleted} or {@code pending_delete}. */
    ImageStatus statusFor(Image current);
  }

  /**
   * Commits a change the caller must be able to see the image for; the 404 says {@link
   * #noImage}.
   *
   * @see #commit(Caller, ImageId, String, Change, Events)
   */
  public Optional<Committed> commit(Caller caller, ImageId id, Change change) {
    return commit(caller, id, noImage(id), change, Events.NONE);
  }

  /** @see #commit(Caller, ImageId, String, Change, Events) */
  public Optional<Committed> commit(
      Caller caller, ImageId id, String notFoundMessage, Change change) {
    return commit(caller, id, notFoundMessage, change, Events.NONE);
  }

  /**
   * The only compare-and-set loop. Reads the image the caller may see (else 404 with {@code
   * notFoundMessage}), runs {@code change} on it, and stores the replacement if the version is
   * still current; on a stale version it re-reads and re-runs the change (up to {@link
   * #MAX_ATTEMPTS} times, then {@code STALE_VERSION}); an image that vanished meanwhile is
   * answered like one never seen (404). A change's usage is committed with it (the usage port's
   * combined call), then
   * {@code events} are published.
   *
   * @return the image before and after, or empty when the change was a no-op (nothing written,
   *     recorded or published)
   */
  public Optional<Committed> commit(
      Caller caller, ImageId id, String notFoundMessage, Change change, Events events) {
    return commit(caller, id, Lookup.VISIBLE, notFoundMessage, null, change, events);
  }

  /**
   * {@link #commit} for a step of work the caller was already admitted to (a write saga's
   * commit and rollback, an import's steps under its lock): the image is read without the
   * caller's visibility, so a visibility change mid-work cannot strand the work's state. With a
   * {@code charge}, the change's usage is settled from what the charge holds in one step (never
   * counted committed and reserved at once); without, it is recorded as is.
   *
   * @throws GovernanceException {@code IMAGE_NOT_FOUND} ({@link #noImage}) if the image is gone
   */
  public Optional<Committed> commitAdmitted(
      Caller caller, ImageId id, QuotaRules.@Nullable Charge charge, Change change,
      Events events) {
    return commit(caller, id, Lookup.ADMITTED, noImage(id), charge, change, events);
  }

  /**
   * Deletes an image through the same loop: reads the image the caller may see (404 with {@code
   * notFoundMessage}), lets {@code removal} check it and choose the tombstone's status, and
   * deletes it if the version is still current (else re-reads). The deletion is recorded in the
   * usage store and {@code ImageDeleted} is published.
   *
   * @return the image as it was and its tombstone
   */
  public Removed remove(Caller caller, ImageId id, String notFoundMessage, Removal removal) {
    Removed removed = loop(caller, id, Lookup.VISIBLE, notFoundMessage, (stored, current) -> {
      ImageStatus status = removal.statusFor(current);
      Instant at = now();
      try {
        return Optional.of(new Removed(current, usage.delete(catalog, id, current.version(),
            status, at, QuotaRules.recordedOf(current, null))));
      } catch (GovernanceException e) {
        if (e.code() == StoreErrorCode.STALE_VERSION) {
          return null;
        }
        if (e.code() == StoreErrorCode.IMAGE_NOT_FOUND) {
          throw notFound(notFoundMessage);
        }
        throw e;
      }
    }).orElseThrow();
    publish(new ImageDeleted(caller, id, removed.tombstone().deletedAt(), removed.image(),
        removed.tombstone().status()));
    return removed;
  }

  /** How many rounds of the loop a compensating commit gets before it is left for a sweep. */
  static final int COMPENSATION_ROUNDS = 3;

  /**
   * Compensations that failed even after their retries (the catalog kept refusing), in the
   * order they failed; {@link #retryCompensations} runs them again.
   */
  private final Queue<Compensation> leftovers = new ConcurrentLinkedQueue<>();

  /** A compensating change of {@code caller}'s failed work on image {@code id}. */
  private record Compensation(Caller caller, ImageId id, Change undo, Events events) {}

  /**
   * Undoes a step of failed work (a write saga's rollback): commits {@code undo} through the
   * loop as {@link #commitAdmitted} does, with its usage recorded as is. A lost loop (the
   * catalog answering stale {@link #MAX_ATTEMPTS} times, or failing) is retried for {@value
   * #COMPENSATION_ROUNDS} rounds; if the catalog still refuses, the compensation is kept as a
   * leftover that {@link #retryCompensations} (run by {@code scrub}) commits later, so the image
   * is never stranded mid-work. An image that vanished needs no compensation. Never throws.
   */
  public void compensate(Caller caller, ImageId id, Change undo, Events events) {
    Compensation c = new Compensation(caller, id, undo, events);
    for (int round = 1; round <= COMPENSATION_ROUNDS; round++) {
      if (tryCompensation(c)) {
        return;
      }
    }
    leftovers.add(c);
  }

  /** Commits one compensation; false if the catalog refused it (it may be retried). */
  private boolean tryCompensation(Compensation c) {
    try {
      commitAdmitted(c.caller(), c.id(), null, c.undo(), c.events());
      return true;
    } catch (GovernanceException e) {
      // Gone, there is nothing to restore; but a catalog that answers missing for an image it
      // still holds has refused the commit.
      return e.code() == StoreErrorCode.IMAGE_NOT_FOUND && catalog.find(c.id()).isEmpty();
    } catch (RuntimeException e) {
      return false; // the catalog failed: retried, or left for the sweep
    }
  }

  /**
   * Commits the compensations {@link #compensate} could not, in the order they failed; those
   * the catalog still refuses stay for the next sweep.
   *
   * @return the ids of the images whose compensation is now committed (or no longer needed)
   */
  public List<ImageId> retryCompensations() {
    List<ImageId> done = new ArrayList<>();
    int pending = leftovers.size();
    for (int i = 0; i < pending; i++) {
      Compensation c = leftovers.poll();
      if (c == null) {
        break;
      }
      if (tryCompensation(c)) {
        done.add(c.id());
      } else {
        leftovers.add(c);
      }
    }
    return done;
  }

  /** A deleted image: as it was, and its tombstone. */
  public record Removed(Image image, Tombstone tombstone) {}

  /** Whose view finds the image a commit changes. */
  private enum Lookup { VISIBLE, ADMITTED }

  private Optional<Committed> commit(
      Caller caller, ImageId id, Lookup lookup, String notFoundMessage,
      QuotaRules.@Nullable Charge charge, Change change, Events events) {
    Image[] read = new Image[1];
    Optional<Committed> done = loop(caller, id, lookup, notFoundMessage, (stored, current) -> {
      Optional<Image> replacement = change.apply(current);
      if (replacement.isEmpty()) {
        return Optional.empty();
      }
      Image after = replacement.get();
      CompareAndSetResult result = usage.compareAndSet(catalog, current.version(), after,
          charge == null
              ? QuotaRules.recordedOf(current, after)
              : charge.commitOf(current, after));
      if (result instanceof CompareAndSetResult.Stored s) {
        read[0] = stored;
        return Optional.of(new Committed(current, s.image()));
      }
      if (result.isMissing()) {
        throw notFound(notFoundMessage);
      }
      return null;
    });
    done.ifPresent(c -> {
      if (read[0] != c.before()) {
        // The write dropped memberships that had expired: each is removed, as by the sweep.
        publishDropped(caller, read[0], c.after());
      }
      if (!listeners.isEmpty()) { // without listeners no event is built
        for (GovernanceEvent e : events.of(c)) {
          publish(e);
        }
      }
    });
    return done;
  }

  /**
   * One attempt on the image as stored and as the rules see it ({@link #live}: the same object
   * unless expired memberships were left out): a result, empty for a no-op, or null for a lost
   * race.
   */
  private interface Attempt<R> {
    @Nullable Optional<R> run(Image stored, Image current);
  }

  /** The retry loop itself: read, attempt, and on a lost race read again. */
  private <R> Optional<R> loop(
      Caller caller, ImageId id, Lookup lookup, String notFoundMessage, Attempt<R> attempt) {
    for (int n = 1; ; n++) {
      Image stored = catalog.find(id).orElseThrow(() -> notFound(notFoundMessage));
      Image current = live(stored);
      if (lookup == Lookup.VISIBLE && !isVisible(caller, current)) {
        throw notFound(notFoundMessage);
      }
      Optional<R> result = attempt.run(stored, current);
      if (result != null) {
        return result;
      }
      if (n >= MAX_ATTEMPTS) {
        throw GovernanceException.of(StoreErrorCode.STALE_VERSION, "Image " + id
            + " was changed concurrently " + MAX_ATTEMPTS + " times; try again.");
      }
    }
  }

  /** A committed change: the image before and after. */
  public record Committed(Image before, Image after) {}

  /**
   * The image as {@code caller} may see it: without the custom properties property protections
   * hide from the caller; without its locations unless {@code locationsFor} allows them;
   * owners and admins see every member; anyone else sees only its own membership. Every image a
   * use case returns to a caller goes through here.
   */
  public Image viewFor(Caller caller, Image stored) {
    Image image = readableFor(caller, locationsFor(caller, stored));
    ImmutableMap<ProjectId, Member> members = image.members();
    if (members.isEmpty() || isAdmin(caller)) {
      return image;
    }
    Optional<ProjectId> project = caller.project();
    Member own = null;
    if (project.isPresent()) {
      if (image.isOwnedBy(project.get())) {
        return image;
      }
      own = members.get(project.get());
      if (own == null || !own.isDirect()) {
        own = membershipOf(image, project.get()).orElse(null);
      }
      if (own != null && members.size() == 1 && own.equals(members.get(own.project()))) {
        return image; // the caller's own membership is all there is: nothing to hide
      }
    }
    return image.replacingMembers(
        own == null ? ImmutableMap.of() : ImmutableMap.of(own.project(), own));
  }

  /**
   * Glance's location rule for an image shown to a caller ({@code ResponseSerializer}): the
   * locations appear only with {@code show_multiple_locations}, and with {@code
   * show_image_direct_url} alone only the first of them (the one Glance shows as {@code
   * direct_url}); either way only if {@code get_image_location} allows the caller (checked, as
   * Glance does, against the caller's own project), and a deactivated image shows none to anyone
   * but an admin. Otherwise the view carries no location: a location names where the data lives
   * (on the file store, a path), which is the operator's business.
   */
  private Image locationsFor(Caller caller, Image image) {
    if (image.locations().isEmpty()) {
      return image;
    }
    boolean all = config.showMultipleLocations();
    if (!all && !config.showImageDirectUrl()) {
      return image.withoutLocations();
    }
    if (image.status() == ImageStatus.DEACTIVATED && !isAdmin(caller)
        || !policy.allows(Rules.GET_IMAGE_LOCATION, caller, callerProjectTarget(caller))) {
      return image.withoutLocations();
    }
    return all || image.locations().size() == 1
        ? image
        : image.replacingLocations(List.of(image.locations().get(0)));
  }

  /** The target Glance gives location rules: only the caller's project, as {@code project_id}. */
  private static PolicyTarget callerProjectTarget(Caller caller) {
    return PolicyTarget.of(caller.project()
        .map(p -> Map.of("project_id", p.value()))
        .orElse(Map.of()));
  }

  /** The image without the custom properties the caller may not read (property protections). */
  Image readableFor(Caller caller, Image image) {
    PropertyProtections protections = config.propertyProtections();
    if (!protections.enabled() || image.properties().isEmpty()) {
      return image;
    }
    if (readsAll(caller, image.properties().keySet(), protections)) {
      return image; // the common case: nothing hidden, nothing built
    }
    ImmutableMap.Builder<String, String> readable = ImmutableMap.builder();
    for (Map.Entry<String, String> p : image.properties().entrySet()) {
      if (protections.allows(caller, p.getKey(), PropertyOperation.READ)) {
        readable.put(p);
      }
    }
    return image.replacingProperties(readable.buildOrThrow());
  }

  private static boolean readsAll(
      Caller caller, java.util.Set<String> keys, PropertyProtections protections) {
    for (String key : keys) {
      if (!protections.allows(caller, key, PropertyOperation.READ)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Delivers an event to every listener. A listener's failure is contained: it is logged and
   * handed to the {@link dev.imagegov.events.ListenerFailureHandler}, and delivery goes on.
   */
  public void publish(GovernanceEvent event) {
    for (GovernanceListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        // A listener cannot undo a committed change nor starve the others.
        listenerFailed(listener, event, e);
      }
    }
  }

  private static final System.Logger EVENTS_LOG = System.getLogger("dev.imagegov.events");

  private void listenerFailed(GovernanceListener listener, GovernanceEvent event,
      RuntimeException failure) {
    EVENTS_LOG.log(System.Logger.Level.WARNING,
        "Listener " + listener + " failed on " + event.getClass().getSimpleName() + " of image "
            + event.imageId() + "; the change stays committed.",
        failure);
    try {
      listenerFailures.listenerFailed(listener, event, failure);
    } catch (RuntimeException again) {
      EVENTS_LOG.log(System.Logger.Level.WARNING,
          "The listener-failure handler " + listenerFailures + " failed.", again);
    }
  }
}
