package dev.imagegov.internal;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.VisibilityReason;
import dev.imagegov.quota.QuotaRules;
import dev.imagegov.access.Caller;
import dev.imagegov.access.ImageTarget;
import dev.imagegov.access.Policy;
import dev.imagegov.access.PolicyTarget;
import dev.imagegov.access.Rules;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.GovernanceListener;
import dev.imagegov.events.ImageDeleted;
import dev.imagegov.events.StatusChanged;
import dev.imagegov.lifecycle.ImageUsage;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.protection.PropertyOperation;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.spi.usage.UsageStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The internal kernel of one governance: the catalog, configuration, clock, policy, stores and
 * listeners; the by-id visibility predicate; Glance's Forbidden-becomes-NotFound enforcement;
 * the only compare-and-set loop ({@link #commit}, {@link #commitAdmitted}, {@link #remove}),
 * which records usage and publishes events after commit so no use case can forget either; the
 * caller's view of an image ({@link #viewFor}).
 */
public final class Engine {
  /** How many times a lost compare-and-set is retried before the conflict is answered. */
  public static final int MAX_ATTEMPTS = 32;

  public final Catalog catalog;
  public final GovernanceConfig config;
  public final Clock clock;
  public final Policy policy;
  final List<GovernanceListener> listeners;
  public final Supplier<UUID> ids;
  /** The enabled blob stores, in configuration order. */
  public final ImmutableMap<StoreId, BlobStore> stores;
  /** The store used when a request names none ({@code default_backend}). */
  public final Optional<StoreId> defaultStore;
  /** What each project consumes and has reserved: the usage port, its one owner. */
  public final UsageStore usage;
  /** MD5 plus the configured multihash. */
  public final HashSpec hashes;
  /** Which limit applies to what, and Glance's refusals. */
  public final QuotaRules quotas;
  /** Staging store, certificates, fetcher and import executor. */
  public final ImportServices services;
  /** The import tasks. */
  public final ImportTasks tasks = new ImportTasks();
  /** Which images the application's instances and volumes use (the lifecycle's usage port). */
  public final ImageUsage imageUsage;

  Engine(
      Catalog catalog,
      GovernanceConfig config,
      Clock clock,
      List<GovernanceListener> listeners,
      Supplier<UUID> ids) {
    this(catalog, config, clock, listeners, ids, ImmutableMap.of(), Optional.empty());
  }

  Engine(
      Catalog catalog,
      GovernanceConfig config,
      Clock clock,
      List<GovernanceListener> listeners,
      Supplier<UUID> ids,
      ImmutableMap<StoreId, BlobStore> stores,
      Optional<StoreId> defaultStore) {
    this(catalog, config, clock, listeners, ids, stores, defaultStore,
        ImportServices.defaults(config), Optional.empty(), ImageUsage.none());
  }

  public Engine(
      Catalog catalog,
      GovernanceConfig config,
      Clock clock,
      List<GovernanceListener> listeners,
      Supplier<UUID> ids,
      ImmutableMap<StoreId, BlobStore> stores,
      Optional<StoreId> defaultStore,
      ImportServices services,
      Optional<UsageStore> usage,
      ImageUsage imageUsage) {
    this.services = services;
    this.imageUsage = imageUsage;
    this.catalog = catalog;
    this.config = config;
    this.clock = clock;
    this.policy = config.policy();
    this.listeners = List.copyOf(listeners);
    this.ids = ids;
    this.stores = stores;
    this.defaultStore = defaultStore;
    this.hashes = HashSpec.of(config.multihashAlgorithm());
    this.usage = usage.orElseGet(MemoryUsageStore::new);
    this.quotas = new QuotaRules(config, this.usage);
    if (usage.isEmpty()) {
      // The default store is this JVM's memory: it starts from what the catalog holds.
      catalog.forEach(image -> quotas.record(null, image));
    }
  }

  /**
   * Removes a deleted image's data from every store it has a location in, and its staged data. A
   * store failure is only reported as a missing event, as Glance only logs it; a later {@code
   * scrub} retries.
   */
  public void discardData(Caller caller, Image image) {
    for (dev.imagegov.model.Location location : image.locations()) {
      BlobStore store = stores.get(location.store());
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
      services.staging().delete(dev.imagegov.spi.blob.BlobKey.of(image.id()));
    } catch (java.io.IOException e) {
      // Staged data of a deleted image is garbage; nothing refers to it.
    }
  }

  /** Records a committed image change in the usage store (the kernel's commits call it). */
  private void account(@Nullable Image before, @Nullable Image after) {
    quotas.record(before, after);
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
    if (image.owner().isEmpty()) {
      return VisibilityReason.UNOWNED;
    }
    if (image.visibility() == Visibility.PUBLIC) {
      return VisibilityReason.PUBLIC;
    }
    if (image.visibility() == Visibility.COMMUNITY) {
      return VisibilityReason.COMMUNITY;
    }
    Optional<ProjectId> project = caller.project();
    if (project.isPresent() && image.isOwnedBy(project.get())) {
      return VisibilityReason.OWNER;
    }
    if (project.isPresent()
        && image.visibility() == Visibility.SHARED
        && image.members().containsKey(project.get())) {
      return VisibilityReason.MEMBER;
    }
    return VisibilityReason.INVISIBLE;
  }

  public boolean isVisible(Caller caller, Image image) {
    return visibleBecause(caller, image) != VisibilityReason.INVISIBLE;
  }

  /** The live image if the caller may see it by id; else empty (never says which). */
  public Optional<Image> findVisible(Caller caller, ImageId id) {
    return catalog.find(id).filter(image -> isVisible(caller, image));
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
    return GovernanceException.of(ErrorCode.IMAGE_NOT_FOUND, message);
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
    throw forbidden(ErrorCode.POLICY_DENIED, forbiddenMessage);
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
    throw forbidden(ErrorCode.POLICY_DENIED, "You do not own this image " + image.id() + ".");
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
   * answered like one never seen (404). A committed change is recorded in the usage store, then
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
    Removed removed = loop(caller, id, Lookup.VISIBLE, notFoundMessage, current -> {
      ImageStatus status = removal.statusFor(current);
      Instant at = now();
      try {
        return Optional.of(new Removed(current, catalog.delete(id, current.version(), status, at)));
      } catch (GovernanceException e) {
        if (e.code() == ErrorCode.STALE_VERSION) {
          return null;
        }
        if (e.code() == ErrorCode.IMAGE_NOT_FOUND) {
          throw notFound(notFoundMessage);
        }
        throw e;
      }
    }).orElseThrow();
    account(removed.image(), null);
    publish(new ImageDeleted(caller, id, removed.tombstone().deletedAt(), removed.image(),
        removed.tombstone().status()));
    return removed;
  }

  /** A deleted image: as it was, and its tombstone. */
  public record Removed(Image image, Tombstone tombstone) {}

  /** Whose view finds the image a commit changes. */
  private enum Lookup { VISIBLE, ADMITTED }

  private Optional<Committed> commit(
      Caller caller, ImageId id, Lookup lookup, String notFoundMessage,
      QuotaRules.@Nullable Charge charge, Change change, Events events) {
    Optional<Committed> done = loop(caller, id, lookup, notFoundMessage, current -> {
      Optional<Image> replacement = change.apply(current);
      if (replacement.isEmpty()) {
        return Optional.empty();
      }
      CompareAndSetResult result = catalog.compareAndSet(current.version(), replacement.get());
      if (result instanceof CompareAndSetResult.Stored s) {
        return Optional.of(new Committed(current, s.image()));
      }
      if (result.isMissing()) {
        throw notFound(notFoundMessage);
      }
      return null;
    });
    done.ifPresent(c -> {
      if (charge == null) {
        account(c.before(), c.after());
      } else {
        charge.settle(c.before(), c.after());
      }
      for (GovernanceEvent e : events.of(c)) {
        publish(e);
      }
    });
    return done;
  }

  /** One attempt on the current image: a result, empty for a no-op, or null for a lost race. */
  private interface Attempt<R> {
    @Nullable Optional<R> run(Image current);
  }

  /** The retry loop itself: read, attempt, and on a lost race read again. */
  private <R> Optional<R> loop(
      Caller caller, ImageId id, Lookup lookup, String notFoundMessage, Attempt<R> attempt) {
    for (int n = 1; ; n++) {
      Optional<Image> found =
          lookup == Lookup.VISIBLE ? findVisible(caller, id) : catalog.find(id);
      Image current = found.orElseThrow(() -> notFound(notFoundMessage));
      Optional<R> result = attempt.run(current);
      if (result != null) {
        return result;
      }
      if (n >= MAX_ATTEMPTS) {
        throw GovernanceException.of(ErrorCode.STALE_VERSION, "Image " + id
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
    Image image = readableFor(caller, stored);
    if (!image.locations().isEmpty()) {
      image = locationsFor(caller, image);
    }
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
      if (own != null && members.size() == 1) {
        return image; // the caller's own membership is all there is: nothing to hide
      }
    }
    return image
        .toBuilder()
        .members(own == null ? ImmutableMap.of() : ImmutableMap.of(own.project(), own))
        .build();
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
      return image.toBuilder().locations(List.of()).build();
    }
    if (image.status() == ImageStatus.DEACTIVATED && !isAdmin(caller)
        || !policy.allows(Rules.GET_IMAGE_LOCATION, caller, callerProjectTarget(caller))) {
      return image.toBuilder().locations(List.of()).build();
    }
    return all || image.locations().size() == 1
        ? image
        : image.toBuilder().locations(List.of(image.locations().get(0))).build();
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
    ImmutableMap.Builder<String, String> readable = ImmutableMap.builder();
    boolean hidden = false;
    for (Map.Entry<String, String> p : image.properties().entrySet()) {
      if (protections.allows(caller, p.getKey(), PropertyOperation.READ)) {
        readable.put(p);
      } else {
        hidden = true;
      }
    }
    return hidden ? image.toBuilder().properties(readable.buildOrThrow()).build() : image;
  }

  /** Delivers an event to every listener; a listener's failure is contained. */
  public void publish(GovernanceEvent event) {
    for (GovernanceListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        // A listener cannot undo a committed change nor starve the others.
        Thread t = Thread.currentThread();
        t.getUncaughtExceptionHandler().uncaughtException(t, e);
      }
    }
  }
}
