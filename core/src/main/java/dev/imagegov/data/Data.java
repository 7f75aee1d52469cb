package dev.imagegov.data;

import com.google.common.collect.ImmutableList;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Access;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Rules;
import dev.imagegov.data.signature.CertificateSource;
import dev.imagegov.data.signature.SignatureVerifier;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.DataDeleted;
import dev.imagegov.events.DataUploaded;
import dev.imagegov.events.StatusChanged;
import dev.imagegov.internal.Engine;
import dev.imagegov.internal.Stores;
import dev.imagegov.lifecycle.Use;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.quota.internal.QuotaRules;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobTooLargeException;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import dev.imagegov.spi.usage.UsageKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The image-data use cases: upload, download (whole or a range), delete from one store, copy to
 * more stores, and scrub. Data lives in the {@link BlobStore}s the governance was built with; an
 * image's data is keyed by its id in every store.
 *
 * <p>Quotas are charged to the image's owner and are hard: the bytes of an upload or copy are
 * reserved before they are written (ahead of the stream when its size is unknown), so concurrent
 * uploads never take a project over {@code user_storage_quota} or {@code image_size_total}; the
 * reservation becomes usage when the image is saved and is released on failure.
 *
 * <p>A refused or failed upload changes nothing but the image's version: the image is back in
 * {@code queued} exactly as it was (every attribute, {@code updated_at} included, unless another
 * request changed it while the data streamed), with nothing stored, no usage and no event
 * published; its version is two higher, because the upload's claim on the image ({@code queued →
 * saving}, which refuses a second upload on any node sharing the catalog) and its release are two
 * catalog writes. An image deleted meanwhile is answered 410 and its data is discarded.
 */
public final class Data {
  private final Engine engine;
  private final GovernanceConfig config;
  private final Stores stores;
  /** Where signing certificates come from. */
  private final CertificateSource certificates;
  /** MD5 plus the configured multihash, offering the governance's hashing threads. */
  private final HashSpec hashes;
  private final Access access;
  private final Imports imports;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code data()}.
   *
   * @param engine the kernel that reads and writes the catalog
   * @param config the governance configuration (formats, limits, import methods)
   * @param stores the blob stores image data is written to and read from
   * @param certificates where signature verification finds certificates
   * @param access the access checks that authorize each transfer
   * @param imports the import use cases
   */
  public Data(Engine engine, GovernanceConfig config, Stores stores,
      CertificateSource certificates, Access access, Imports imports) {
    this.engine = engine;
    this.config = config;
    this.stores = stores;
    this.certificates = certificates;
    this.hashes = imports.hashes();
    this.access = access;
    this.imports = imports;
  }

  // ---------------------------------------------------------------------------------- upload

  /**
   * Uploads an image's data into the default store (Glance's {@code PUT /v2/images/{id}/file}).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param data the image data, read to the end; not closed
   * @param declaredSize the size the request announces, if any; checked against the quota first
   * @return the image as the caller sees it, active with its size and checksums
   * @see #upload(Caller, ImageId, InputStream, OptionalLong, StoreId)
   */
  public Image upload(Caller caller, ImageId id, InputStream data, OptionalLong declaredSize) {
    return engine.metered("data.upload", () -> uploadUnmetered(caller, id, data, declaredSize));
  }

  private Image uploadUnmetered(
      Caller caller, ImageId id, InputStream data, OptionalLong declaredSize) {
    StoreId store =
        stores.defaultStore().orElseThrow(
            () ->
                GovernanceException.of(
                    RuleCode.UNKNOWN_STORE, "No blob store is configured to hold image data."));
    return upload(caller, id, data, declaredSize, store);
  }

  /**
   * Uploads an image's data into {@code storeId} (Glance's {@code PUT /v2/images/{id}/file} with
   * {@code X-Image-Meta-Store}). The image goes {@code queued → saving → active} and records
   * its size, {@code checksum} (MD5), {@code os_hash_algo}/{@code os_hash_value} and the store's
   * location. The stream is read once and not closed.
   *
   * <p>Before the image becomes active its data is checked: the signature its
   * {@code img_signature*} properties declare is verified as the data streams (against a
   * certificate from the builder's {@code CertificateSource}), and the data of a {@code bare}
   * image is inspected in the store: with {@code require_image_format_match} (the default) data
   * that is unsafe (a qcow2 backing or data file, VMDK extents outside the image, several formats
   * at once) or not in its {@code disk_format} is refused, and {@code virtual_size} is recorded
   * from the header. A refused image goes back to {@code queued} as it was, with no data, no usage
   * and no event; only its version moved (see the class comment). The {@code StatusChanged}
   * events {@code queued → saving} and {@code saving → active} are published together with
   * {@code DataUploaded} once the data is saved.
   *
   * @param declaredSize the size the caller announced ({@code Content-Length}), if any; the data
   *     must have exactly this size
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param data the image data, read to the end; not closed
   * @param storeId the id of the blob store
   * @return the active image as the caller sees it
   * @throws GovernanceException 400 for a negative declared size, an unknown store, missing
   *     disk/container formats, data whose size differs from the declared one, or a stream that
   *     failed, or a signature that is incomplete, unverifiable or does not match the data; 404
   *     if the caller cannot see the image; 403 if {@code upload_image} denies it or
   *     the caller does not own it; 409 if the image is not queued (e.g. a second upload); 410 if
   *     the image was deleted during the upload; 413 over {@code image_size_cap}, the owner's
   *     storage quota or {@code image_count_uploading}, or when the store is full; 415 for data
   *     that is unsafe or not in its {@code disk_format}; 503 if the store failed
   */
  public Image upload(
      Caller caller, ImageId id, InputStream data, OptionalLong declaredSize, StoreId storeId) {
    return engine.metered("data.upload", () ->
        uploadUnmetered(caller, id, data, declaredSize, storeId));
  }

  private Image uploadUnmetered(
      Caller caller, ImageId id, InputStream data, OptionalLong declaredSize, StoreId storeId) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(declaredSize, "declaredSize");
    if (declaredSize.isPresent() && declaredSize.getAsLong() < 0) {
      throw GovernanceException.of(
          StoreErrorCode.INVALID_VALUE,
          "Invalid or missing image size in request headers: " + declaredSize.getAsLong() + ".");
    }
    BlobStore store = store(storeId, RuleCode.UNKNOWN_STORE);
    Image image = engine.loadVisible(caller, id, "No image found with ID " + id);
    engine.enforce(
        Rules.UPLOAD_IMAGE,
        caller,
        image,
        "Not allowed to upload image data for image " + id + ".");
    engine.checkMutable(caller, image);
    checkSavable(image);
    long cap = config.imageSizeCap();
    if (declaredSize.isPresent()) {
      if (declaredSize.getAsLong() > cap) {
        throw WriteSaga.tooLarge();
      }
      WriteSaga.checkRoom(store, declaredSize.getAsLong(), config.storeReserveBytes());
    }
    Optional<SignatureVerifier> verifier =
        DataChecks.verifierFor(certificates, engine.clock(), image);

    BlobKey key = BlobKey.of(id);
    try (WriteSaga saga = new WriteSaga(engine, caller, image.owner())) {
      QuotaRules.Charge charge = saga.charge();
      long granted = WriteSaga.reserveDeclared(charge, UsageKind.STORED_BYTES, declaredSize);
      saga.claim(id, this::toSaving, Engine.Events.statusOf(caller), this::backToQueued);
      charge.reserve(UsageKind.UPLOADS, 1);

      long maxBytes = declaredSize.isPresent() ? declaredSize.getAsLong() : cap;
      InputStream source = verifier.isPresent() ? verifier.get().wrap(data) : data;
      MeteredInput in =
          new MeteredInput(source, charge, store, config.storeReserveBytes(), granted);
      BlobWriteResult result =
          saga.write(store, key, in, maxBytes, WriteSaga.hashSpecFor(image, hashes),
              e -> translate(e, in, declaredSize, store));
      WriteSaga.checkDeclared(declaredSize, result.size());
      if (verifier.isPresent()) {
        verifier.get().verify();
      }
      OptionalLong virtualSize = DataChecks.inspect(config, image, store, key, result.size());
      Engine.Committed c =
          saga.commit(
              id,
              current -> Optional.of(toActive(current, store.id(), result, virtualSize)),
              done -> List.of(
                  new StatusChanged(caller, id, done.after().updatedAt(), ImageStatus.SAVING,
                      ImageStatus.ACTIVE),
                  new DataUploaded(caller, id, done.after().updatedAt(), store.id(),
                      result.size(), result.checksum())));
      saga.succeed();
      return engine.viewFor(caller, c.after());
    }
  }

  /** queued → saving; 409 if another request changed the status. */
  private Optional<Image> toSaving(Image current) {
    checkSavable(current);
    return Optional.of(
        current.toBuilder().status(ImageStatus.SAVING).updatedAt(engine.now()).build());
  }

  /** saving → queued after a failure, resetting the size; nothing if the image moved on. */
  private Optional<Image> backToQueued(Image current) {
    if (current.status() != ImageStatus.SAVING) {
      return Optional.empty();
    }
    return Optional.of(
        current.toBuilder()
            .status(ImageStatus.QUEUED)
            .size(OptionalLong.empty())
            .virtualSize(OptionalLong.empty())
            .updatedAt(engine.now())
            .build());
  }

  /** saving → active with the data's attributes; 410 if the image is no longer saving. */
  private Image toActive(
      Image current, StoreId store, BlobWriteResult r, OptionalLong virtualSize) {
    if (current.status() != ImageStatus.SAVING) {
      throw WriteSaga.gone(current.id());
    }
    return current.toBuilder()
        .status(ImageStatus.ACTIVE)
        .size(r.size())
        .checksum(r.checksum())
        .osHashAlgo(r.multihashAlgorithm().glanceName())
        .osHashValue(r.multihash())
        .virtualSize(virtualSize.isPresent() ? virtualSize : current.virtualSize())
        .addLocations(Location.of(store, r.url()))
        .updatedAt(engine.now())
        .build();
  }

  /** Glance's status guards for saving data: queued only, then both formats set. */
  private static void checkSavable(Image image) {
    if (image.status() != ImageStatus.QUEUED) {
      throw GovernanceException.of(
          RuleCode.STATUS_CONFLICT,
          "Image status transition from "
              + image.status().wireName()
              + " to saving is not allowed");
    }
    List<String> missing = new ArrayList<>();
    if (image.diskFormat().isEmpty()) {
      missing.add("disk_format");
    }
    if (image.containerFormat().isEmpty()) {
      missing.add("container_format");
    }
    if (!missing.isEmpty()) {
      throw GovernanceException.of(
          RuleCode.FORMATS_REQUIRED,
          "Property(ies) " + String.join(", ", missing) + " must be set prior to saving data.");
    }
  }

  private GovernanceException translate(
      IOException e, MeteredInput in, OptionalLong declaredSize, BlobStore store) {
    return translateWrite(
        e,
        in,
        declaredSize,
        config.imageSizeCap(),
        store,
        "Data for the image is being written to store " + store.id() + " by another request.");
  }

  /**
   * The refusal for a failed write of caller data into {@code store}, shared by upload and
   * staging: a quota or limit stop, data larger than declared (when the declared size is under
   * {@code sizeCap}) or than allowed, a full store, a failing caller stream, a concurrent write
   * ({@code concurrentWrite} says whose), or the store's own failure.
   */
  static GovernanceException translateWrite(
      IOException e,
      MeteredInput in,
      OptionalLong declaredSize,
      long sizeCap,
      BlobStore store,
      String concurrentWrite) {
    if (e instanceof MeteredInput.Stop) {
      return ((MeteredInput.Stop) e).refusal;
    }
    if (e instanceof BlobTooLargeException) {
      if (declaredSize.isPresent() && declaredSize.getAsLong() < sizeCap) {
        return GovernanceException.of(
            RuleCode.SIZE_MISMATCH,
            "The image data is larger than its declared size of "
                + declaredSize.getAsLong()
                + " bytes.",
            e);
      }
      return GovernanceException.of(
          RuleCode.IMAGE_TOO_LARGE, "The incoming image is too large", e);
    }
    if (e instanceof StoreFullException) {
      return GovernanceException.of(
          RuleCode.STORE_FULL, "Image storage media is full: " + e.getMessage(), e);
    }
    if (in.sourceFailure() != null) {
      return GovernanceException.of(
          RuleCode.DATA_UNREADABLE,
          "Reading the image data failed after " + in.bytesRead() + " bytes: " + e.getMessage(),
          e);
    }
    if (e instanceof BlobExistsException) {
      return GovernanceException.of(RuleCode.STATUS_CONFLICT, concurrentWrite, e);
    }
    return storeFailed(store, e);
  }

  static GovernanceException storeFailed(BlobStore store, Exception e) {
    return GovernanceException.of(
        StoreErrorCode.STORE_FAILED, "Store " + store.id() + " failed: " + e.getMessage(), e);
  }

  // -------------------------------------------------------------------------------- download

  /**
   * Downloads the whole of an image's data (Glance's {@code GET /v2/images/{id}/file}). An image
   * without data is answered with {@link ImageDownload#noData} (Glance's 204). With {@code
   * verify_downloads} the stream recomputes the hashes and fails at its end with {@link
   * dev.imagegov.data.DataCorruptionException} if they differ; it always fails so if it ends
   * short.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @return the data with its length and checksum; the caller closes the stream
   * @throws GovernanceException 404 if the caller cannot see the image; 403 if {@code
   *     download_image} denies it or the image is deactivated and the caller is not an admin;
   *     503 if every store holding the data failed
   */
  public ImageDownload download(Caller caller, ImageId id) {
    return engine.meteredUntil("data.download", end -> downloadUnmetered(caller, id, end));
  }

  private ImageDownload downloadUnmetered(Caller caller, ImageId id, Engine.End end) {
    return download(caller, id, Optional.empty(), Use.NEW_LAUNCH, end);
  }

  /**
   * {@link #download(Caller, ImageId)} for {@code use}: the data of an obsolete image is refused
   * for a {@link Use#NEW_LAUNCH} (the other downloads) to anyone but an admin, and still served to
   * an {@link Use#EXISTING_INSTANCE} ({@link Access#authorizeDownload(Caller, ImageId, Use)}).
   *
   * @param caller who downloads: the rules are checked for this caller
   * @param id the image whose data is read
   * @param use a new launch or an existing instance
   * @return the image's data stream with its checksum and size
   * @throws GovernanceException as {@link #download(Caller, ImageId)}; 403 {@code
   *     LIFECYCLE_FORBIDS} for a use the lifecycle state refuses
   */
  public ImageDownload download(Caller caller, ImageId id, Use use) {
    return engine.meteredUntil("data.download", end -> downloadUnmetered(caller, id, use, end));
  }

  private ImageDownload downloadUnmetered(Caller caller, ImageId id, Use use, Engine.End end) {
    return download(caller, id, Optional.empty(), Objects.requireNonNull(use, "use"), end);
  }

  /**
   * Downloads one byte range of an image's data (a {@code Range} request, Glance's 206 with
   * {@code Content-Range}). A range on an image without data is answered like a download without
   * data. Ranged downloads are not hash-verified (only the length is checked).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param range the bytes asked for
   * @return the selected bytes with their content range; the caller closes the stream
   * @throws GovernanceException as {@link #download(Caller, ImageId)}, and 416 if the range
   *     starts at or after the end of the data
   */
  public ImageDownload download(Caller caller, ImageId id, ByteRange range) {
    return engine.meteredUntil("data.download",
        end -> downloadUnmetered(caller, id, range, end));
  }

  private ImageDownload downloadUnmetered(
      Caller caller, ImageId id, ByteRange range, Engine.End end) {
    return download(caller, id, Optional.of(Objects.requireNonNull(range, "range")),
        Use.NEW_LAUNCH, end);
  }

  /**
   * The download itself; {@code end} is told when the operation ends: at once without data, else
   * when the returned stream is read to its end, fails, or is closed.
   */
  private ImageDownload download(
      Caller caller, ImageId id, Optional<ByteRange> range, Use use, Engine.End end) {
    access.authorizeDownload(caller, id, use);
    Optional<Image> found = engine.lookup(id);
    if (found.isEmpty()) {
      throw Engine.notFound("No image found with ID " + id);
    }
    Image image = found.get();
    if (image.locations().isEmpty() || image.size().isEmpty()) {
      end.completed();
      return ImageDownload.noData(id);
    }
    long size = image.size().getAsLong();
    Optional<ContentRange> content = range.map(r -> r.resolve(size));
    long length = content.map(ContentRange::length).orElse(size);
    HashSpec verify =
        config.verifyDownloads() && content.isEmpty() && image.osHashAlgo().isPresent()
            ? HashSpec.of(HashAlgorithm.of(image.osHashAlgo().get()))
            : null;
    Exception failure = null;
    BlobStore failed = null;
    BlobKey key = BlobKey.of(id);
    for (Location location : image.locations()) {
      BlobStore store = stores.find(location.store()).orElse(null);
      if (store == null) {
        continue;
      }
      try {
        InputStream in =
            content.isPresent()
                ? store.read(key, content.get().first(), length)
                : store.read(key);
        return ImageDownload.of(
            id,
            new CheckedDownload(in, image, store.id(), length, verify, end),
            length,
            content,
            image.checksum(),
            store.id());
      } catch (BlobNotFoundException e) {
        // Try the next location; if none has the data, Glance answers 204.
      } catch (IOException | IndexOutOfBoundsException e) {
        failure = e;
        failed = store;
      }
    }
    if (failure != null) {
      throw storeFailed(failed, failure);
    }
    end.completed();
    return ImageDownload.noData(id);
  }

  // ---------------------------------------------------------------------------- multi-store

  /**
   * Deletes an active image's data from one store (Glance's {@code DELETE
   * /v2/stores/{store}/{image}}); it must keep data in another store. Usage drops by one
   * location's worth. The data is removed at once, even with {@code delayed_delete}.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param storeId the id of the blob store
   * @return the image as the caller sees it, without that location
   * @throws GovernanceException 409 if the store is not enabled or the image is not active; 404
   *     if the caller cannot see the image or it has no data in that store; 403 if {@code
   *     get_image_location} or {@code delete_image_location} denies it, or this is the only
   *     store holding the data
   */
  public Image deleteFromStore(Caller caller, ImageId id, StoreId storeId) {
    return engine.metered("data.deleteFromStore", () ->
        deleteFromStoreUnmetered(caller, id, storeId));
  }

  private Image deleteFromStoreUnmetered(Caller caller, ImageId id, StoreId storeId) {
    BlobStore store = store(storeId, RuleCode.STORE_UNAVAILABLE);
    String message = notFoundInStores(id);
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            message,
            current -> {
              engine.enforce(Rules.GET_IMAGE_LOCATION, caller, current, "Not allowed to see "
                  + "the locations of image " + id + ".");
              engine.enforce(Rules.DELETE_IMAGE_LOCATION, caller, current, "Not allowed to "
                  + "delete the data of image " + id + " from a store.");
              if (config.legacyOwnershipChecks()) {
                engine.checkMutable(caller, current);
              }
              if (current.status() != ImageStatus.ACTIVE) {
                throw GovernanceException.of(
                    RuleCode.STATUS_CONFLICT,
                    "It's not allowed to remove image data from store if image status is not "
                        + "'active'");
              }
              if (current.locations().size() <= 1) {
                throw GovernanceException.of(
                    RuleCode.ONLY_LOCATION,
                    "Cannot delete image data from the only store containing it. Consider "
                        + "deleting the image instead.");
              }
              List<Location> kept = new ArrayList<>();
              for (Location l : current.locations()) {
                if (!l.store().equals(storeId)) {
                  kept.add(l);
                }
              }
              if (kept.size() == current.locations().size()) {
                throw GovernanceException.of(
                    RuleCode.NOT_IN_STORE,
                    "Image " + id + " is not stored in store " + storeId + ".");
              }
              return Optional.of(
                  current.toBuilder().locations(kept).updatedAt(engine.now()).build());
            },
            c -> List.of(new DataDeleted(caller, id, c.after().updatedAt(), storeId)));
    // The location is gone from the catalog: the blob is unreferenced (a scrub retries a failure).
    WriteSaga.deleteQuietly(store, BlobKey.of(id));
    return engine.viewFor(caller, done.orElseThrow().after());
  }

  /**
   * Copies an active image's data to more stores, synchronously: Glance's {@code copy-image}
   * import with {@code all_stores_must_succeed}, run on the caller's thread through the same
   * flow, import lock and write saga as {@link Imports#importImage} (so it leaves an import task
   * and cannot run alongside an import). Every copy is written and checked against the image's
   * checksum; if any copy fails, the copies written are removed and the image is as before. Each
   * copy counts against the owner's storage (size times locations) and, while it runs, against
   * {@code image_stage_total} and {@code image_count_uploading}; each is reserved before it is
   * used, so a copy never takes the owner over a limit.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param stores the stores to copy to
   * @return the image as the caller sees it, with its new locations
   * @throws GovernanceException 400 for an empty list or a store that already holds the image;
   *     404 if the caller cannot see the image; 409 if it is not active, a store is not enabled
   *     or an import holds the image's lock; 403 if {@code copy_image} denies it; 413 over a
   *     quota, the location quota, or a full store; 503 if a store failed
   */
  public Image copyToStores(Caller caller, ImageId id, List<StoreId> stores) {
    return engine.metered("data.copyToStores", () -> copyToStoresUnmetered(caller, id, stores));
  }

  private Image copyToStoresUnmetered(Caller caller, ImageId id, List<StoreId> stores) {
    Objects.requireNonNull(stores, "stores");
    Image image = engine.loadVisible(caller, id, "No image found with ID " + id);
    if (image.status() != ImageStatus.ACTIVE) {
      throw GovernanceException.of(
          RuleCode.STATUS_CONFLICT, "Only images with status active can be targeted for copying");
    }
    engine.enforce(Rules.COPY_IMAGE, caller, image, "Not allowed to copy image " + id + ".");
    if (stores.isEmpty()) {
      throw GovernanceException.of(
          StoreErrorCode.INVALID_VALUE, "No store was named to copy image " + id + " to.");
    }
    Set<StoreId> targets = new LinkedHashSet<>();
    for (StoreId s : stores) {
      store(s, RuleCode.STORE_UNAVAILABLE);
      for (Location l : image.locations()) {
        if (l.store().equals(s)) {
          throw GovernanceException.of(
              RuleCode.ALREADY_IN_STORE, "Image is already present at store '" + s + "'");
        }
      }
      targets.add(s);
    }
    int quota = config.imageLocationQuota();
    if (quota >= 0 && image.locations().size() + targets.size() > quota) {
      throw GovernanceException.of(
          RuleCode.LOCATION_QUOTA_EXCEEDED,
          "Maximum number of locations exceeded for image " + id + ". Attempted: "
              + (image.locations().size() + targets.size()) + ", Maximum: " + quota);
    }
    return imports.copyNow(caller, id, List.copyOf(targets));
  }

  // ----------------------------------------------------------------------------------- scrub

  /**
   * Removes data that belongs to deleted images (Glance's scrubber): the data of images deleted
   * with {@code delayed_delete} ({@code pending_delete}) once {@code scrub_time} has passed, and
   * any data left in a store for an image that is {@code deleted}. Data of live images is never
   * touched. An operator tool: admin only. A {@code pending_delete} image due for scrubbing
   * becomes {@code deleted} (its tombstone no longer keeps the image, so it can no longer be
   * restored) before its data goes; one restored meanwhile keeps its data; one whose data is
   * already gone from every store is finished too. First it commits the rollbacks of failed
   * writes that the catalog refused even after their retries (an upload or staging whose data
   * write failed and whose return to {@code queued} failed too), so no image stays {@code
   * saving} or {@code uploading} for work that ended.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @return what was removed and what could not be
   * @throws GovernanceException 403 if the caller is not an admin
   */
  public ScrubReport scrub(Caller caller) {
    return engine.metered("data.scrub", () -> scrubUnmetered(caller));
  }

  private ScrubReport scrubUnmetered(Caller caller) {
    if (!engine.isAdmin(caller)) {
      throw GovernanceException.of(RuleCode.POLICY_DENIED, "Only an admin may scrub image data.");
    }
    ImmutableList<ImageId> restored = ImmutableList.copyOf(engine.retryCompensations());
    Instant now = engine.now();
    ImmutableList.Builder<ScrubReport.Removed> removed = ImmutableList.builder();
    java.util.Set<ImageId> finished = new java.util.LinkedHashSet<>();
    int deferred = 0;
    for (BlobStore store : stores.all()) {
      for (BlobKey key : store.keys()) {
        if (!ImageId.isValid(key.value())) {
          continue;
        }
        ImageId id = ImageId.of(key.value());
        if (engine.lookup(id).isPresent()) {
          continue;
        }
        Optional<Tombstone> t = engine.tombstone(id);
        if (t.isEmpty()) {
          continue;
        }
        if (t.get().status() == ImageStatus.PENDING_DELETE) {
          if (t.get().deletedAt().plus(config.scrubTime()).isAfter(now)) {
            deferred++;
            continue;
          }
          // Finished before its data goes, so no restore can bring back an image without data;
          // an image restored meanwhile keeps its data.
          if (!engine.finishDeletion(caller, id)) {
            continue;
          }
          finished.add(id);
        }
        try {
          if (store.delete(key)) {
            removed.add(new ScrubReport.Removed(id, store.id()));
            engine.publish(new DataDeleted(caller, id, now, store.id()));
          }
        } catch (IOException e) {
          deferred++;
        }
      }
    }
    // A due pending-delete image none of the stores holds data of (gone already, or never
    // written to an enabled store) is finished too, or it would stay restorable without data.
    for (ImageId id : engine.pendingDeletes()) {
      Optional<Tombstone> t = engine.tombstone(id);
      if (t.isEmpty() || t.get().status() != ImageStatus.PENDING_DELETE
          || t.get().deletedAt().plus(config.scrubTime()).isAfter(now)
          || heldByAStore(id)) {
        continue;
      }
      if (engine.finishDeletion(caller, id)) {
        finished.add(id);
      }
    }
    return new ScrubReport(removed.build(), deferred, restored, ImmutableList.copyOf(finished));
  }

  /** Whether an enabled store still holds data of image {@code id}. */
  private boolean heldByAStore(ImageId id) {
    BlobKey key = BlobKey.of(id);
    for (BlobStore store : stores.all()) {
      if (store.exists(key)) {
        return true;
      }
    }
    return false;
  }

  // --------------------------------------------------------------------------------- helpers

  private BlobStore store(StoreId id, ErrorCode unknown) {
    Objects.requireNonNull(id, "store");
    BlobStore store = stores.find(id).orElse(null);
    if (store == null) {
      throw GovernanceException.of(
          unknown,
          unknown == RuleCode.UNKNOWN_STORE
              ? "Store for identifier " + id + " not found"
              : "The selected store " + id + " is not available on this node.");
    }
    return store;
  }

  /** {@return the ids of the enabled stores, in configuration order} */
  public List<StoreId> stores() {
    return stores.ids();
  }

  /** {@return the store used when an upload names none, if any store is configured} */
  public Optional<StoreId> defaultStore() {
    return stores.defaultStore();
  }

  /** The not-found message of {@code deleteFromStore} (Glance's {@code DELETE .../stores/...}). */
  private static String notFoundInStores(Object id) {
    return "Failed to find image " + id;
  }

  // -------------------------------------------------------------------- ids as text

  /**
   * {@link #upload(Caller, ImageId, InputStream, OptionalLong)} with the ids as text, as a request
   * path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param data the image data, read to the end; not closed
   * @param declaredSize the size the request announces, if any
   * @return as {@link #upload(Caller, ImageId, InputStream, OptionalLong)}
   * @throws dev.imagegov.error.GovernanceException as {@link #upload(Caller, ImageId, InputStream,
   *     OptionalLong)}, and 404 for a malformed id
   */
  public Image upload(Caller caller, String id, InputStream data, OptionalLong declaredSize) {
    return engine.metered("data.upload", () ->
        upload(caller, dev.imagegov.wire.PathIds.image(id), data, declaredSize));
  }

  /**
   * {@link #upload(Caller, ImageId, InputStream, OptionalLong, StoreId)} with the ids as text, as a
   * request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param data the image data, read to the end; not closed
   * @param declaredSize the size the request announces, if any
   * @param storeId the id of the blob store
   * @return as {@link #upload(Caller, ImageId, InputStream, OptionalLong, StoreId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #upload(Caller, ImageId, InputStream,
   *     OptionalLong, StoreId)}, and 404 for a malformed id
   */
  public Image upload(
      Caller caller, String id, InputStream data, OptionalLong declaredSize, StoreId storeId) {
    return engine.metered("data.upload", () ->
        upload(caller, dev.imagegov.wire.PathIds.image(id), data, declaredSize, storeId));
  }

  /**
   * {@link #download(Caller, ImageId)} with the ids as text, as a request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @return as {@link #download(Caller, ImageId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #download(Caller, ImageId)}, and 404
   *     for a malformed id
   */
  public ImageDownload download(Caller caller, String id) {
    return engine.meteredUntil("data.download", end ->
        downloadUnmetered(caller, dev.imagegov.wire.PathIds.image(id), end));
  }

  /**
   * {@link #download(Caller, ImageId, ByteRange)} with the ids as text, as a request path carries
   * them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param range the byte range asked for
   * @return as {@link #download(Caller, ImageId, ByteRange)}
   * @throws dev.imagegov.error.GovernanceException as {@link #download(Caller, ImageId,
   *     ByteRange)}, and 404 for a malformed id
   */
  public ImageDownload download(Caller caller, String id, ByteRange range) {
    return engine.meteredUntil("data.download", end ->
        downloadUnmetered(caller, dev.imagegov.wire.PathIds.image(id), range, end));
  }

  /**
   * {@link #deleteFromStore(Caller, ImageId, StoreId)} with the ids as text, as a request path
   * carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param storeId the id of the blob store
   * @return as {@link #deleteFromStore(Caller, ImageId, StoreId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #deleteFromStore(Caller, ImageId,
   *     StoreId)}, and 404 for a malformed id
   */
  public Image deleteFromStore(Caller caller, String id, StoreId storeId) {
    return engine.metered("data.deleteFromStore", () ->
        deleteFromStore(
            caller, dev.imagegov.wire.PathIds.image(id, notFoundInStores(id)), storeId));
  }
}
