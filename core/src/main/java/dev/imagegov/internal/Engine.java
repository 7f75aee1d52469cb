package dev.imagegov.internal;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.VisibilityReason;
import dev.imagegov.quota.QuotaRules;
import dev.imagegov.access.Caller;
import dev.imagegov.access.ImageTarget;
import dev.imagegov.access.Policy;
import dev.imagegov.access.Rules;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.events.GovernanceListener;
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

/**
 * The shared machinery of every use case: the catalog, configuration, clock, policy and
 * listeners; the by-id visibility predicate; Glance's Forbidden-becomes-NotFound enforcement;
 * the compare-and-set retry loop; the caller's view of an image; event delivery.
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
        ImportServices.defaults(config), Optional.empty());
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
      Optional<UsageStore> usage) {
    this.services = services;
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

  /**
   * Records a committed image change in the usage store. {@link #update} calls it for every
   * change it commits; a path that writes to the catalog directly must call it after the catalog
   * accepted the change.
   */
  public void account(@org.jspecify.annotations.Nullable Image before,
      @org.jspecify.annotations.Nullable Image after) {
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

  /** A change computed from the current image: the replacement and the events it causes. */
  public interface Change {
    /** Checks and computes; returns empty for a no-op. Must not have side effects. */
    Optional<Image> apply(Image current);
  }

  /**
   * Runs a change with compare-and-set, re-reading and re-checking on a lost race, and records it
   * in the usage store. Returns the committed image and the image it replaced, or empty when the
   * change was a no-op.
   */
  public Optional<Committed> update(
      Caller caller, ImageId id, String notFoundMessage, Change change) {
    for (int attempt = 0; ; attempt++) {
      Image current = loadVisible(caller, id, notFoundMessage);
      Optional<Image> replacement = change.apply(current);
      if (replacement.isEmpty()) {
        return Optional.empty();
      }
      CompareAndSetResult result = catalog.compareAndSet(current.version(), replacement.get());
      if (result instanceof CompareAndSetResult.Stored s) {
        account(current, s.image());
        return Optional.of(new Committed(current, s.image()));
      }
      if (result.isMissing()) {
        throw notFound(notFoundMessage);
      }
      if (attempt + 1 >= MAX_ATTEMPTS) {
        result.orElseThrow();
      }
    }
  }

  /** A committed change: the image before and after. */
  public record Committed(Image before, Image after) {}

  /**
   * The image as {@code caller} may see it: without the custom properties property protections
   * hide from the caller; owners and admins see every member; anyone else sees only its own
   * membership.
   */
  public Image viewFor(Caller caller, Image stored) {
    Image image = readableFor(caller, stored);
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
