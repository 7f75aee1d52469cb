package dev.imagegov.testkit.contract;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CatalogRefusals;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.QueryEvaluator;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The simplest correct catalog: one lock around two maps (live images, tombstones), queries answered by scanning with {@link QueryEvaluator}. The faulty catalogs of
 * {@link FaultyCatalogs} each change one thing about it.
 */
public class ScanningCatalog implements Catalog {
  protected final Map<ImageId, Image> live = new LinkedHashMap<>();
  protected final Map<ImageId, Tombstone> tombstones = new HashMap<>();

  @Override
  public synchronized Optional<Image> find(ImageId id) {
    return Optional.ofNullable(live.get(id));
  }

  @Override
  public synchronized Optional<Tombstone> tombstone(ImageId id) {
    return Optional.ofNullable(tombstones.get(id));
  }

  @Override
  public synchronized Image insert(Image image) {
    Objects.requireNonNull(image, "image");
    if (image.status().isDeleted()) {
      throw new IllegalArgumentException("insert of a deleted image " + image.id());
    }
    if (isKnownId(image.id())) {
      throw GovernanceException.of(
          StoreErrorCode.DUPLICATE_IMAGE_ID, "Image ID " + image.id() + " exists");
    }
    Image stored = image.withVersion(insertVersion());
    live.put(stored.id(), stored);
    return stored;
  }

  /** Whether insert must refuse this id. */
  protected boolean isKnownId(ImageId id) {
    return live.containsKey(id) || tombstones.containsKey(id);
  }

  /** The version insert stores. */
  protected long insertVersion() {
    return 1;
  }

  @Override
  public synchronized CompareAndSetResult compareAndSet(long expectedVersion, Image replacement) {
    Objects.requireNonNull(replacement, "replacement");
    if (replacement.status().isDeleted()) {
      throw new IllegalArgumentException("use delete for " + replacement.id());
    }
    Image current = live.get(replacement.id());
    if (current == null) {
      return new CompareAndSetResult.Missing(replacement.id());
    }
    if (current.version() != expectedVersion) {
      return new CompareAndSetResult.Stale(current.id(), expectedVersion, current.version());
    }
    Image stored = replacement.withVersion(current.version() + 1);
    live.put(stored.id(), stored);
    return new CompareAndSetResult.Stored(stored);
  }

  /** Refuses a stale expected version (for delete). */
  protected void checkVersion(Image current, long expectedVersion) {
    if (current.version() != expectedVersion) {
      throw GovernanceException.of(
          StoreErrorCode.STALE_VERSION,
          "Image "
              + current.id()
              + " is at version "
              + current.version()
              + ", not "
              + expectedVersion);
    }
  }

  @Override
  public synchronized Tombstone delete(
      ImageId id, long expectedVersion, ImageStatus finalStatus, Instant at) {
    Image current = live.get(id);
    if (current == null) {
      throw GovernanceException.of(StoreErrorCode.IMAGE_NOT_FOUND, "No image " + id);
    }
    checkVersion(current, expectedVersion);
    Tombstone t = finalStatus == ImageStatus.PENDING_DELETE
        ? Tombstone.pending(current, at)
        : Tombstone.of(id, current.owner(), finalStatus, at);
    live.remove(id);
    tombstones.put(id, t);
    return t;
  }

  @Override
  public synchronized Image undelete(ImageId id, Instant at) {
    Tombstone t = tombstones.get(id);
    GovernanceException refusal = CatalogRefusals.notRestorable(id, live.get(id), t, true);
    if (refusal != null) {
      throw refusal;
    }
    Image kept = t.retained().orElseThrow();
    Image restored = kept.toBuilder().updatedAt(at).build().withVersion(kept.version() + 1);
    tombstones.remove(id);
    live.put(id, restored);
    return restored;
  }

  @Override
  public synchronized List<ImageId> pendingDeletes() {
    return tombstones.values().stream()
        .filter(t -> t.status() == dev.imagegov.model.ImageStatus.PENDING_DELETE)
        .map(Tombstone::id)
        .toList();
  }

  @Override
  public synchronized Tombstone finishDeletion(ImageId id) {
    Tombstone t = tombstones.get(id);
    GovernanceException refusal = CatalogRefusals.notRestorable(id, live.get(id), t, false);
    if (refusal != null) {
      throw refusal;
    }
    Tombstone finished = t.finished();
    tombstones.put(id, finished);
    return finished;
  }

  @Override
  public synchronized List<Image> query(CatalogQuery query) {
    return QueryEvaluator.evaluate(query, List.copyOf(live.values()), this::lookup);
  }

  /** The marker lookup of queries. */
  protected Optional<Image> lookup(ImageId id) {
    return Optional.ofNullable(live.get(id));
  }

  @Override
  public synchronized long size() {
    return live.size();
  }

  @Override
  public void forEach(Consumer<Image> action) {
    List<Image> snapshot;
    synchronized (this) {
      snapshot = List.copyOf(live.values());
    }
    snapshot.forEach(action);
  }
}
