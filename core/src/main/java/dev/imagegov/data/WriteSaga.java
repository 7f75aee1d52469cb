package dev.imagegov.data;

import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.GovernanceEvent;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.quota.internal.QuotaRules;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.usage.UsageKind;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one write saga of image data, shared by upload, staging, import and copy: <b>reserve</b>
 * (quota room for the bytes and the upload, against the image's owner) → <b>write</b> the blob
 * (each write remembered) → <b>commit</b> the image change through the kernel (which settles the
 * reservation into usage in the same step) → <b>settle</b> ({@link #succeed}).
 *
 * <p>It has one rollback path, {@link #close}: unless the saga succeeded, every blob it wrote is
 * removed, its claim on the image is released ({@link #claim}: the image as before, two
 * versions later, with no event published) through the kernel's {@code compensate}, which
 * retries a compensating commit the catalog refuses, and the reservation is released. So a failure
 * at any step (a refusal mid-stream: quota, size, inspection, signature) leaves the catalog (but
 * for the image's version), the stores and the quota usage as they were before the saga began, and
 * publishes no event. Two traces can outlive a double fault, and {@code scrub} sweeps both: the
 * blob of a store whose delete itself failed (unreferenced), and a compensation the catalog kept
 * refusing through every retry (the kernel keeps it, and the scrub commits it).
 *
 * <pre>{@code
 * try (WriteSaga saga = new WriteSaga(engine, caller, image)) {
 *   saga.charge().reserve(UsageKind.STORED_BYTES, size);
 *   saga.claim(id, toSaving, statusEvents, backToQueued);
 *   BlobWriteResult r = saga.write(store, key, in, size, hashes, this::translate);
 *   Engine.Committed c = saga.commit(id, toActive, events);
 *   saga.succeed();
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one saga is one request's work.
 */
final class WriteSaga implements AutoCloseable {
  private final Engine engine;
  private final Caller caller;
  private final QuotaRules.Charge charge;
  private final Function<ImageId, RuntimeException> vanished;
  private final List<Written> written = new ArrayList<>();
  private final Deque<Runnable> undo = new ArrayDeque<>();
  /** The claim's events, published with the saga's commit (never for a saga that failed). */
  private final List<GovernanceEvent> held = new ArrayList<>();
  private boolean succeeded;

  /** A blob this saga wrote, to be removed on rollback. */
  private record Written(BlobStore store, BlobKey key) {}

  /** Translates a failed store write into the refusal the caller gets. */
  @FunctionalInterface
  interface WriteFailure {
    GovernanceException translate(IOException failure);
  }

  /**
   * A saga of {@code caller}'s work on an image owned by {@code owner} (charged to it); an image
   * that vanishes before the commit is answered with {@code vanished} (Glance's 410 for uploads).
   */
  WriteSaga(Engine engine, Caller caller, Optional<ProjectId> owner,
      Function<ImageId, RuntimeException> vanished) {
    this.engine = engine;
    this.caller = caller;
    this.charge = engine.charge(owner);
    this.vanished = vanished;
  }

  /** A saga whose image vanishing before the commit is Glance's 410 ({@link #gone}). */
  WriteSaga(Engine engine, Caller caller, Optional<ProjectId> owner) {
    this(engine, caller, owner, WriteSaga::gone);
  }

  /** The saga's reservation: what it reserves is released by {@link #close} unless settled. */
  QuotaRules.Charge charge() {
    return charge;
  }

  /**
   * The saga's claim on the image before the data is written ({@code queued → saving} for an
   * upload, {@code queued → uploading} for a staging), committed now so that a second request
   * for the same image, on any node sharing the catalog, is refused while this one streams; its
   * usage is settled from the reservation. The claim's {@code events} are <b>held</b>: they are
   * published with the saga's {@link #commit}, so a saga that is refused or fails publishes none.
   *
   * <p>On rollback the claim is released: if nothing else changed the image since the claim, it
   * is stored exactly as it was before the claim (every attribute, including {@code updated_at},
   * {@code size} and {@code virtual_size}); only its version is two higher, because the claim and
   * its release are two compare-and-set writes and a catalog's versions never go back. If
   * something else changed it meanwhile (a patch while saving), {@code release} computes the
   * release from the image as it now is (it must tolerate an image that moved on or vanished,
   * answering empty). The release publishes no event.
   *
   * @return the committed claim
   */
  Engine.Committed claim(
      ImageId id, Engine.Change change, Engine.Events events, Engine.Change release) {
    Engine.Committed c = commit(id, change, Engine.Events.NONE);
    held.addAll(events.of(c));
    Image before = c.before();
    long claimed = c.after().version();
    Engine.Change restore = current -> {
      Optional<Image> released = release.apply(current);
      return released.isPresent() && current.version() == claimed
          ? Optional.of(before)
          : released;
    };
    this.undo.push(() -> engine.compensate(caller, id, restore, Engine.Events.NONE));
    return c;
  }

  /**
   * Writes a blob; from the moment the write starts the blob is the saga's to remove on rollback
   * (a leftover of an interrupted earlier attempt under the same key is removed first).
   */
  BlobWriteResult write(
      BlobStore store, BlobKey key, InputStream in, long maxBytes, HashSpec hashes,
      WriteFailure failure) {
    removeLeftover(store, key);
    Written w = new Written(store, key);
    written.add(w);
    try {
      return store.write(key, in, maxBytes, hashes);
    } catch (IOException e) {
      if (e instanceof BlobExistsException) {
        written.remove(w); // another request's blob, not this saga's
      }
      throw failure.translate(e);
    }
  }

  /**
   * The saga's commit: the image change through the kernel, with this saga's reservation
   * settled into usage in the same step; the saga's {@code vanished} answer if the image is
   * gone.
   *
   * @return the committed change (its before equals its after for a no-op)
   */
  Engine.Committed commit(ImageId id, Engine.Change change, Engine.Events events) {
    List<GovernanceEvent> claimEvents = List.copyOf(held);
    Engine.Events all = done -> {
      List<GovernanceEvent> out = new ArrayList<>(claimEvents);
      out.addAll(events.of(done));
      return out;
    };
    Optional<Engine.Committed> c;
    try {
      c = engine.commitAdmitted(caller, id, charge, change, all);
    } catch (GovernanceException e) {
      throw e.code() == StoreErrorCode.IMAGE_NOT_FOUND ? vanished.apply(id) : e;
    }
    held.clear();
    return c.orElseGet(() -> {
      Image now = engine.lookup(id).orElseThrow(() -> vanished.apply(id));
      claimEvents.forEach(engine::publish);
      return new Engine.Committed(now, now);
    });
  }

  /** The saga is settled: its blobs and catalog steps stay; {@link #close} only releases. */
  void succeed() {
    succeeded = true;
  }

  /** Forgets a blob already removed (or never to be removed) by the caller's own recovery. */
  void forget(BlobStore store, BlobKey key) {
    written.remove(new Written(store, key));
  }

  /**
   * The one rollback path: unless {@link #succeed} was called, removes every blob written and
   * releases the claim; then releases what the reservation still holds.
   */
  @Override
  public void close() {
    try {
      if (!succeeded) {
        for (Written w : written) {
          deleteQuietly(w.store(), w.key());
        }
        while (!undo.isEmpty()) {
          undo.pop().run();
        }
      }
    } finally {
      charge.close();
    }
  }

  // ------------------------------------------------------------------- the saga's refusals

  /** Glance's 413 for data over {@code image_size_cap} (or its declared size over it). */
  static GovernanceException tooLarge() {
    return GovernanceException.of(RuleCode.IMAGE_TOO_LARGE, "The incoming image is too large");
  }

  /** Glance's 410 for an image deleted while its data was written. */
  static GovernanceException gone(ImageId id) {
    return GovernanceException.of(
        RuleCode.IMAGE_GONE,
        "Image " + id + " could not be found after upload. The image may have been deleted "
            + "during the upload.");
  }

  /** A refusal for data whose written size differs from the declared one. */
  static void checkDeclared(OptionalLong declaredSize, long size) {
    if (declaredSize.isPresent() && size != declaredSize.getAsLong()) {
      throw GovernanceException.of(
          RuleCode.SIZE_MISMATCH,
          "The image data has " + size + " bytes but its declared size is "
              + declaredSize.getAsLong() + " bytes.");
    }
  }

  /**
   * Refuses {@code bytes} that would eat into the store's reserve ({@code reserve}) or overfill
   * it.
   */
  static void checkRoom(BlobStore store, long bytes, long reserve) {
    long free = store.capacity().free();
    if (bytes > free - reserve) {
      throw GovernanceException.of(
          RuleCode.STORE_FULL,
          "Image storage media is full: store " + store.id() + " has " + free
              + " bytes free and keeps " + reserve + " in reserve.");
    }
  }

  /**
   * Glance's multihash rule: the image's own algorithm if it has one, else {@code configured}'s;
   * hashed where {@code configured} offers.
   */
  static HashSpec hashSpecFor(Image image, HashSpec configured) {
    if (image.osHashAlgo().isEmpty()) {
      return configured;
    }
    HashSpec own = HashSpec.of(HashAlgorithm.of(image.osHashAlgo().get()));
    return configured.executor().map(own::withExecutor).orElse(own);
  }

  /**
   * Reserves {@code declared} bytes of {@code kind}, or for a stream of unknown size checks
   * room.
   */
  static long reserveDeclared(QuotaRules.Charge charge, UsageKind kind, OptionalLong declared) {
    if (declared.isPresent()) {
      charge.reserve(kind, declared.getAsLong());
      return declared.getAsLong();
    }
    charge.requireRoom(kind);
    return 0;
  }

  /**
   * A blob under the key of an image this saga holds (saving, uploading, or under the import
   * lock) can only be garbage from an interrupted earlier attempt.
   */
  static void removeLeftover(BlobStore store, BlobKey key) {
    try {
      store.delete(key);
    } catch (IOException e) {
      throw Data.storeFailed(store, e);
    }
  }

  /** Removes a blob nothing refers to; a failure is left to {@code scrub}. */
  static void deleteQuietly(@Nullable BlobStore store, BlobKey key) {
    if (store == null) {
      return;
    }
    try {
      store.delete(key);
    } catch (IOException e) {
      // Unreferenced data; a scrub removes it.
    }
  }
}
