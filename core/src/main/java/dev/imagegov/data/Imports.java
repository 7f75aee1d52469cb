package dev.imagegov.data;

import com.google.common.base.Joiner;
import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Rules;
import dev.imagegov.data.fetch.FetchResult;
import dev.imagegov.data.fetch.UriGuard;
import dev.imagegov.data.imports.ImportMethod;
import dev.imagegov.data.imports.ImportRequest;
import dev.imagegov.data.imports.ImportTask;
import dev.imagegov.data.imports.StoreInfo;
import dev.imagegov.data.imports.TaskStatus;
import dev.imagegov.data.signature.SignatureVerifier;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.DataUploaded;
import dev.imagegov.internal.Engine;
import dev.imagegov.internal.ImportServices;
import dev.imagegov.internal.Stores;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.internal.QuotaRules;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import dev.imagegov.spi.usage.UsageKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Glance's interoperable image import: discovery ({@link #methods()}, {@link #stores()}),
 * staging ({@link #stage}, {@code PUT /v2/images/{id}/stage}), the import itself ({@link
 * #importImage}, {@code POST /v2/images/{id}/import}) with the methods {@code glance-direct},
 * {@code web-download} and {@code copy-image}, and the tasks that track imports ({@link #task},
 * {@link #tasks}).
 *
 * <p>An import holds the image's lock ({@code os_glance_import_task} = its task id) from the
 * request until it ends; a second import meanwhile is refused (409) unless the lock is stale (its
 * task is unknown, or has not changed for 60 minutes, 120 while pending), in which case it is
 * broken and the old task fails. While it runs the image lists the target stores in {@code
 * os_glance_importing_to_stores}; a store that failed is listed in {@code
 * os_glance_failed_import}. Before data becomes active it passes the signature and format checks
 * of uploads ({@code DataChecks}), on the staged blob.
 *
 * <p>Imports run on the caller's thread and return the finished task, unless the builder was given
 * an import executor: then the call returns the {@code pending} task and the work runs there.
 * Either way a failure is reported in the task (status {@code failure} with a message), not
 * thrown; the refusals thrown are those Glance answers synchronously.
 *
 * <p>A failed import leaves nothing behind: no staged data, no blob in any store it wrote to, no
 * usage; the image is back in {@code queued} ({@code glance-direct} and {@code web-download}) or
 * unchanged and {@code active} ({@code copy-image}), with the lock released. Quotas are hard, as
 * for uploads: staged and copied bytes and the upload count are reserved before they are used.
 */
public final class Imports {
  /** The import lock: the id of the task that holds it. */
  public static final String IMPORT_TASK = "os_glance_import_task";
  /** The stores an import is writing to, comma-separated and sorted. */
  public static final String IMPORTING_TO_STORES = "os_glance_importing_to_stores";
  /** The stores an import failed to write to, comma-separated and sorted. */
  public static final String FAILED_IMPORT = "os_glance_failed_import";
  /** Where the data was staged (Glance's worker URL); imagegov never sets it and removes it. */
  public static final String STAGE_HOST = "os_glance_stage_host";

  /** A lock whose task has not changed for this long is stale. */
  static final Duration LOCK_EXPIRY = Duration.ofMinutes(60);
  /** A lock whose task is still pending after this long is stale. */
  static final Duration PENDING_LOCK_EXPIRY = Duration.ofMinutes(120);

  private static final Splitter LIST = Splitter.on(',').trimResults().omitEmptyStrings();

  private final Engine engine;
  private final GovernanceConfig config;
  private final Stores stores;
  private final ImportServices services;
  /** MD5 plus the configured multihash, offering the governance's hashing threads. */
  private final HashSpec hashes;
  /** The import tasks of this governance. */
  private final ImportTasks tasks = new ImportTasks();

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code imports()}.
   *
   * @param engine the kernel that reads and writes the catalog
   * @param config the governance configuration (import methods, formats, limits)
   * @param stores the blob stores imported data is written to
   * @param services the staging store, signing certificates, {@code web-download} fetcher and
   *     executor of asynchronous imports
   */
  public Imports(
      Engine engine, GovernanceConfig config, Stores stores, ImportServices services) {
    this.engine = engine;
    this.config = config;
    this.stores = stores;
    this.services = services;
    this.hashes = HashSpec.of(config.multihashAlgorithm()).withExecutor(services.hashing());
  }

  /** MD5 plus the configured multihash, hashed on the governance's hashing threads. */
  HashSpec hashes() {
    return hashes;
  }

  // ------------------------------------------------------------------------------- discovery

  /** {@return the enabled import methods ({@code GET /v2/info/import}), in configuration order} */
  public List<String> methods() {
    return List.copyOf(config.enabledImportMethods());
  }

  /**
   * The enabled stores an import may target ({@code GET /v2/info/stores}), in configuration order,
   * marking the default; the staging store is never listed.
   *
   * @return the enabled stores an import may target ({@code GET /v2/info/stores}), in configuration
   *     order, marking the default; the staging store is never listed
   */
  public List<StoreInfo> stores() {
    ImmutableList.Builder<StoreInfo> out = ImmutableList.builder();
    for (StoreId id : stores.ids()) {
      out.add(new StoreInfo(id, stores.defaultStore().map(id::equals).orElse(false)));
    }
    return out.build();
  }

  // ----------------------------------------------------------------------------------- stage

  /**
   * Stages an image's data for {@code glance-direct} (Glance's {@code PUT
   * /v2/images/{id}/stage}): the image goes {@code queued → uploading} and the data into the
   * staging store, counted against {@code image_stage_total} and bounded by {@code
   * image_size_cap}. The image records the staged size and stays {@code uploading}. On any
   * failure the staged data is removed and the image is {@code queued} again. The stream is read
   * once and not closed.
   *
   * @param declaredSize the size the caller announced, if any; the data must have exactly it
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param data the image data, read to the end; not closed
   * @return the uploading image as the caller sees it
   * @throws GovernanceException 404 if {@code glance-direct} is not enabled or the caller cannot
   *     see the image; 403 if {@code modify_image} denies it or the caller does not own it; 409 if
   *     the image is not queued; 400 for a negative declared size, data of another size than
   *     declared, or a stream that failed; 410 if the image was deleted meanwhile; 413 over
   *     {@code image_size_cap}, {@code image_stage_total} or {@code image_count_uploading}; 503 if
   *     the staging store failed
   */
  public Image stage(Caller caller, ImageId id, InputStream data, OptionalLong declaredSize) {
    return engine.metered("imports.stage", () -> stageUnmetered(caller, id, data, declaredSize));
  }

  private Image stageUnmetered(
      Caller caller, ImageId id, InputStream data, OptionalLong declaredSize) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(declaredSize, "declaredSize");
    if (!enabled(ImportMethod.GLANCE_DIRECT)) {
      throw GovernanceException.of(
          RuleCode.IMPORT_METHOD_UNAVAILABLE,
          "'glance-direct' method is not available at this site.");
    }
    if (declaredSize.isPresent() && declaredSize.getAsLong() < 0) {
      throw GovernanceException.of(
          StoreErrorCode.INVALID_VALUE,
          "Invalid or missing image size in request headers: " + declaredSize.getAsLong() + ".");
    }
    Image image = engine.loadVisible(caller, id, Engine.noImage(id));
    engine.enforce(
        Rules.MODIFY_IMAGE, caller, image, "Not allowed to stage data for image " + id + ".");
    engine.checkMutable(caller, image);
    checkStageable(image);
    long cap = config.imageSizeCap();
    if (declaredSize.isPresent() && declaredSize.getAsLong() > cap) {
      throw WriteSaga.tooLarge();
    }
    BlobStore staging = services.staging();
    BlobKey key = BlobKey.of(id);
    try (WriteSaga saga = new WriteSaga(engine, caller, image.owner())) {
      QuotaRules.Charge charge = saga.charge();
      long granted = WriteSaga.reserveDeclared(charge, UsageKind.STAGED_BYTES, declaredSize);
      charge.reserve(UsageKind.UPLOADS, 1);
      saga.claim(
          id,
          stamped(current -> {
            checkStageable(current);
            return current.toBuilder().status(ImageStatus.UPLOADING).build();
          }),
          Engine.Events.statusOf(caller),
          stamped(current -> backToQueued(current, ImageStatus.UPLOADING)));
      MeteredInput in =
          new MeteredInput(data, charge, UsageKind.STAGED_BYTES, staging, 0, granted);
      long max = declaredSize.isPresent() ? declaredSize.getAsLong() : cap;
      BlobWriteResult result =
          saga.write(staging, key, in, max, hashes,
              e -> translate(e, in, declaredSize, staging));
      WriteSaga.checkDeclared(declaredSize, result.size());
      Engine.Committed staged =
          saga.commit(
              id,
              stamped(current -> {
                if (current.status() != ImageStatus.UPLOADING) {
                  throw WriteSaga.gone(id);
                }
                return current.toBuilder().size(result.size()).build();
              }),
              Engine.Events.NONE);
      saga.succeed();
      return engine.viewFor(caller, staged.after());
    }
  }

  private static void checkStageable(Image image) {
    if (image.status() != ImageStatus.QUEUED) {
      throw GovernanceException.of(
          RuleCode.STATUS_CONFLICT,
          "Image status transition from " + image.status().wireName()
              + " to uploading is not allowed");
    }
  }

  // ---------------------------------------------------------------------------------- import

  /**
   * Imports data into an image (Glance's {@code POST /v2/images/{id}/import}), checking in
   * Glance's order: the method is enabled (400); the owner is not over {@code image_size_total}
   * (413, unified limits only); the image is visible (404); its status suits the method (409:
   * {@code glance-direct} needs {@code uploading}, {@code web-download} {@code queued}, {@code
   * copy-image} {@code active}); both formats are set (409); policy ({@code copy_image} for
   * copies, else {@code modify_image} and ownership: 403); the import lock (409); the target
   * stores (409 for a store that is not enabled, 400 for {@code stores} with {@code all_stores}
   * or a copy to a store that holds the image); the {@code web-download} URI against the
   * configured guard (400). Then the task is created and the lock taken atomically.
   *
   * <p>The work: {@code glance-direct} moves the staged data ({@code uploading → importing →
   * active}); {@code web-download} fetches the URI into staging first ({@code queued → importing
   * → active}); {@code copy-image} copies the data of an active image to more stores (status
   * unchanged). Each target store is written in order; with {@code all_stores_must_succeed} the
   * image becomes active when the last store succeeds and any failure reverts every store; without
   * it the first success activates the image and a failing store is only recorded in {@code
   * os_glance_failed_import}.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param request the method, its URI and the target stores
   * @return the task: finished when imports run on the caller's thread, {@code pending} with an
   *     import executor
   * @throws GovernanceException for the refusals listed above
   */
  public ImportTask importImage(Caller caller, ImageId id, ImportRequest request) {
    return engine.metered("imports.importImage", () -> importImageUnmetered(caller, id, request));
  }

  private ImportTask importImageUnmetered(Caller caller, ImageId id, ImportRequest request) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    ImportMethod method =
        ImportMethod.fromWireName(request.method())
            .filter(this::enabled)
            .orElseThrow(() -> GovernanceException.of(
                StoreErrorCode.INVALID_VALUE,
                "Unknown import method name '" + request.method() + "'."));
    Image image = engine.loadVisible(caller, id, Engine.noImage(id));
    if (config.unifiedLimits().isPresent()) {
      try (QuotaRules.Charge charge = engine.charge(image.owner())) {
        charge.requireRoom(UsageKind.STORED_BYTES);
      }
    }
    checkImportable(image, method);
    if (method == ImportMethod.COPY_IMAGE) {
      engine.enforce(Rules.COPY_IMAGE, caller, image, "Not allowed to copy image " + id + ".");
    } else {
      engine.enforce(
          Rules.MODIFY_IMAGE, caller, image, "Not allowed to import data into image " + id + ".");
      engine.checkMutable(caller, image);
    }
    Optional<String> held = lockOf(image);
    if (held.isPresent() && !isStale(held.get())) {
      throw GovernanceException.of(RuleCode.IMPORT_IN_PROGRESS, "Image has active task");
    }
    ImmutableList<StoreId> targets = targets(image, method, request);
    Optional<URI> uri = Optional.empty();
    if (method == ImportMethod.WEB_DOWNLOAD) {
      uri = Optional.of(checkUri(request.uri()));
    }
    Instant now = engine.now();
    ImportTask task =
        new ImportTask(
            engine.newId().toString(), id, caller.project(), method, targets,
            TaskStatus.PENDING, "", now, now);
    if (targets.isEmpty()) {
      // copy-image to all stores of an image that is in every store already: nothing to do.
      ImportTask nothing =
          task.moveTo(TaskStatus.SUCCESS, "The image is present in every store already.", now);
      tasks.put(nothing);
      return nothing;
    }
    acquire(caller, id, method, task);
    Flow flow = new Flow(caller, task, uri, request.allStoresMustSucceed());
    Optional<Executor> executor = services.executor();
    if (executor.isPresent()) {
      try {
        executor.get().execute(flow::run);
        return task;
      } catch (RejectedExecutionException e) {
        flow.reject("The import could not be started: " + e.getMessage());
        return tasks.find(task.id()).orElseThrow();
      }
    }
    flow.run();
    return tasks.find(task.id()).orElseThrow();
  }

  /**
   * {@code copy-image} of an active image to {@code targets} with every store required, run now
   * on the caller's thread under the import lock ({@link Data#copyToStores}, whose caller has
   * passed its checks): the same flow, lock and write saga as an import, but a failure is thrown
   * (after the flow's revert) instead of only being reported in the task.
   *
   * @return the image with its new locations, as the caller sees it
   * @throws GovernanceException 409 if an import holds the image's lock or it is no longer
   *     active; else the failure that ended the copy
   */
  Image copyNow(Caller caller, ImageId id, List<StoreId> targets) {
    Instant now = engine.now();
    ImportTask task =
        new ImportTask(
            engine.newId().toString(), id, caller.project(), ImportMethod.COPY_IMAGE,
            ImmutableList.copyOf(targets), TaskStatus.PENDING, "", now, now);
    acquire(caller, id, ImportMethod.COPY_IMAGE, task);
    Flow flow = new Flow(caller, task, Optional.empty(), true);
    flow.recordsFailedStores = false; // a thrown failure leaves the image exactly as it was
    flow.run();
    if (flow.failure != null) {
      throw flow.failure;
    }
    return engine.viewFor(caller, engine.loadVisible(caller, id, Engine.noImage(id)));
  }

  private boolean enabled(ImportMethod method) {
    return config.enabledImportMethods().contains(method.wireName());
  }

  private static void checkImportable(Image image, ImportMethod method) {
    ImageStatus status = image.status();
    if (status == ImageStatus.ACTIVE && method != ImportMethod.COPY_IMAGE) {
      throw conflict("Image with status active cannot be target for import");
    }
    if (method == ImportMethod.GLANCE_DIRECT && status != ImageStatus.UPLOADING) {
      throw conflict("Image needs to be staged before 'glance-direct' method can be used");
    }
    if (method == ImportMethod.WEB_DOWNLOAD && status != ImageStatus.QUEUED) {
      throw conflict("Image needs to be in 'queued' state to use 'web-download' method");
    }
    if (method == ImportMethod.COPY_IMAGE && status != ImageStatus.ACTIVE) {
      throw conflict("Only images with status active can be targeted for copying");
    }
    if (image.containerFormat().isEmpty()) {
      throw conflict("'container_format' needs to be set before import");
    }
    if (image.diskFormat().isEmpty()) {
      throw conflict("'disk_format' needs to be set before import");
    }
  }

  private static GovernanceException conflict(String message) {
    return GovernanceException.of(RuleCode.STATUS_CONFLICT, message);
  }

  /** Glance's {@code get_stores_from_request}, with copy-image's rules. */
  private ImmutableList<StoreId> targets(Image image, ImportMethod method, ImportRequest request) {
    Set<StoreId> targets = new LinkedHashSet<>();
    if (request.allStores()) {
      if (!request.stores().isEmpty()) {
        throw GovernanceException.of(
            StoreErrorCode.INVALID_VALUE,
            "All_stores parameter can't be used with x-image-meta-store "
                + "header or stores parameter");
      }
      targets.addAll(stores.ids());
    } else if (!request.stores().isEmpty()) {
      for (StoreId s : request.stores()) {
        if (!stores.isEnabled(s)) {
          throw GovernanceException.of(
              RuleCode.STORE_UNAVAILABLE, "Store for identifier " + s + " not found");
        }
        targets.add(s);
      }
    } else {
      targets.add(
          stores.defaultStore().orElseThrow(() -> GovernanceException.of(
              RuleCode.STORE_UNAVAILABLE, "No blob store is configured to hold image data.")));
    }
    if (method == ImportMethod.COPY_IMAGE) {
      for (Location l : image.locations()) {
        if (targets.contains(l.store())) {
          if (!request.allStores()) {
            throw GovernanceException.of(
                RuleCode.ALREADY_IN_STORE,
                "Image is already present at store '" + l.store() + "'");
          }
          targets.remove(l.store());
        }
      }
      int quota = config.imageLocationQuota();
      if (quota >= 0 && image.locations().size() + targets.size() > quota) {
        throw GovernanceException.of(
            RuleCode.LOCATION_QUOTA_EXCEEDED,
            "Maximum number of locations exceeded for image " + image.id() + ". Attempted: "
                + (image.locations().size() + targets.size()) + ", Maximum: " + quota);
      }
    }
    return ImmutableList.copyOf(targets);
  }

  private URI checkUri(Optional<URI> uri) {
    if (uri.isEmpty()) {
      throw GovernanceException.of(
          RuleCode.URI_NOT_ALLOWED, "URI for web-download does not pass filtering: no uri given");
    }
    try {
      config.importUriGuard().check(uri.get());
    } catch (GovernanceException e) {
      throw GovernanceException.of(
          RuleCode.URI_NOT_ALLOWED,
          "URI for web-download does not pass filtering: " + UriGuard.redact(uri.get()) + " ("
              + e.getMessage() + ")",
          e);
    }
    return uri.get();
  }

  // ------------------------------------------------------------------------------------ lock

  private static Optional<String> lockOf(Image image) {
    return Optional.ofNullable(image.properties().get(IMPORT_TASK));
  }

  /** Glance's staleness rule: the task is unknown, or idle for 60 minutes (120 if pending). */
  private boolean isStale(String taskId) {
    Optional<ImportTask> task = tasks.find(taskId);
    if (task.isEmpty()) {
      return true;
    }
    Duration expiry =
        task.get().status() == TaskStatus.PENDING ? PENDING_LOCK_EXPIRY : LOCK_EXPIRY;
    return !engine.now().isBefore(task.get().updatedAt().plus(expiry));
  }

  /** Takes the lock for {@code task}, breaking a stale one; 409 if a live import holds it. */
  private void acquire(Caller caller, ImageId id, ImportMethod method, ImportTask task) {
    String[] broken = {null};
    change(caller, id, null, current -> {
      checkImportable(current, method);
      broken[0] = null;
      Map<String, String> props = new java.util.HashMap<>(current.properties());
      Optional<String> held = lockOf(current);
      if (held.isPresent()) {
        if (!isStale(held.get())) {
          throw GovernanceException.of(
              RuleCode.IMPORT_IN_PROGRESS,
              "New operation on image '" + id + "' is not permitted as prior operation is still "
                  + "in progress");
        }
        broken[0] = held.get();
        props.remove(IMPORT_TASK);
        tasks.find(held.get()).ifPresent(old -> {
          removeFromList(props, IMPORTING_TO_STORES, old.stores());
          removeFromList(props, FAILED_IMPORT, old.stores());
        });
      }
      props.put(IMPORT_TASK, task.id());
      return current.toBuilder().properties(props).build();
    });
    tasks.put(task);
    if (broken[0] != null) {
      tasks.find(broken[0])
          .filter(old -> !old.status().isFinished())
          .ifPresent(old -> tasks.put(
              old.moveTo(TaskStatus.FAILURE, "Expired lock preempted", engine.now())));
    }
  }

  // ----------------------------------------------------------------------------------- tasks

  /**
   * One import task by id. The caller sees a task of its own project or an unowned one; an admin
   * sees every task.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param taskId the task's id as given
   * @return one import task by id
   * @throws GovernanceException 404 {@link RuleCode#TASK_NOT_FOUND} if there is no such task or
   *     the caller may not see it
   */
  public ImportTask task(Caller caller, String taskId) {
    return engine.metered("imports.task", () -> taskUnmetered(caller, taskId));
  }

  private ImportTask taskUnmetered(Caller caller, String taskId) {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(taskId, "taskId");
    return tasks.find(taskId)
        .filter(t -> maySee(caller, t))
        .orElseThrow(() -> GovernanceException.of(
            RuleCode.TASK_NOT_FOUND, "Task with the given ID " + taskId + " not found"));
  }

  /**
   * The import tasks of an image, oldest first (Glance's {@code GET /v2/images/{id}/tasks}): the
   * image must be visible to the caller and pass {@code get_image}; only the tasks the caller may
   * see are listed (its project's, unowned ones, or all for an admin), so a member of a shared
   * image typically sees none of the owner's.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @return the import tasks of an image, oldest first (Glance's {@code GET
   *     /v2/images/{id}/tasks}): the image must be visible to the caller and pass {@code
   *     get_image}; only the tasks the caller may see are listed (its project's, unowned ones, or
   *     all for an admin), so a member of a shared image typically sees none of the owner's
   * @throws GovernanceException 404 if the caller cannot see the image
   */
  public List<ImportTask> tasks(Caller caller, ImageId id) {
    return engine.metered("imports.tasks", () -> tasksUnmetered(caller, id));
  }

  private List<ImportTask> tasksUnmetered(Caller caller, ImageId id) {
    Objects.requireNonNull(caller, "caller");
    Image image = engine.loadVisible(caller, id, Engine.noImage(id));
    engine.enforce(Rules.GET_IMAGE, caller, image, Engine.noImage(id));
    return tasks.of(id).stream()
        .filter(t -> maySee(caller, t))
        .collect(ImmutableList.toImmutableList());
  }

  private boolean maySee(Caller caller, ImportTask task) {
    return engine.isAdmin(caller)
        || task.owner().isEmpty()
        || task.owner().equals(caller.project());
  }

  // ------------------------------------------------------------------------------------ flow

  /** Ends the flow at once, with no store to blame: the image was deleted or the lock lost. */
  private static final class Aborted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Aborted(String message) {
      super(message, null, false, false);
    }
  }

  /** A store write that failed and, with all stores required, fails the import. */
  private static final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final StoreId store;

    StoreFailure(StoreId store, RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
      this.store = store;
    }
  }

  /** One import run: its steps, and the revert that undoes them on failure. */
  private final class Flow {
    private final Caller caller;
    private final ImageId id;
    private final ImportMethod method;
    private final ImmutableList<StoreId> targets;
    private final Optional<URI> uri;
    private final boolean allMust;
    private final BlobKey key;
    private final BlobStore staging = services.staging();
    /** Target stores this flow wrote a blob to. */
    private final Set<StoreId> written = new LinkedHashSet<>();
    /** Whether the staged data is this flow's to remove (glance-direct's, or downloaded). */
    private boolean ownsStaging;
    private ImportTask task;
    /** What ended the flow, if it failed. */
    @Nullable GovernanceException failure;
    /** Whether a failure lists its stores in {@code os_glance_failed_import} (imports do). */
    boolean recordsFailedStores = true;

    Flow(Caller caller, ImportTask task, Optional<URI> uri, boolean allMust) {
      this.caller = caller;
      this.task = task;
      this.id = task.image();
      this.method = task.method();
      this.targets = task.stores();
      this.uri = uri;
      this.allMust = allMust;
      this.key = BlobKey.of(id);
      this.ownsStaging = method == ImportMethod.GLANCE_DIRECT;
    }

    void run() {
      try {
        execute();
      } catch (StoreFailure e) {
        failure = (GovernanceException) e.getCause();
        fail(e.getMessage(), List.of(e.store));
      } catch (RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        failure = e instanceof GovernanceException g
            ? g : GovernanceException.of(RuleCode.STATUS_CONFLICT, message, e);
        fail(message, targets);
      }
    }

    /** Ends a flow that never started. */
    void reject(String message) {
      fail(message, targets);
    }

    private boolean copying() {
      return method == ImportMethod.COPY_IMAGE;
    }

    private void execute() {
      progress(TaskStatus.PROCESSING, "");
      Image current = begin();
      BlobStore source;
      long size;
      if (method == ImportMethod.GLANCE_DIRECT) {
        source = staging;
        size = staging.size(key).orElseThrow(() -> GovernanceException.of(
            RuleCode.STATUS_CONFLICT, "Image " + id + " has no data on staging."));
      } else if (method == ImportMethod.WEB_DOWNLOAD) {
        source = staging;
        size = download();
        current = find();
      } else {
        source = copySource(current);
        size = current.size().orElse(0);
      }
      OptionalLong virtualSize = OptionalLong.empty();
      Optional<SignatureVerifier> verifier = Optional.empty();
      if (!copying()) {
        virtualSize = DataChecks.inspect(config, current, staging, key, size);
        verifier = DataChecks.verifierFor(services.certificates(), engine.clock(), current);
      }
      HashSpec hashes = WriteSaga.hashSpecFor(current, Imports.this.hashes);
      for (int i = 0; i < targets.size(); i++) {
        StoreId target = targets.get(i);
        boolean last = i == targets.size() - 1;
        try {
          BlobWriteResult r = writeTo(target, source, size, hashes, verifier);
          verifier = Optional.empty();
          commitStore(target, r, virtualSize, last);
        } catch (Aborted e) {
          throw e;
        } catch (RuntimeException e) {
          if (allMust || verifier.isPresent()) {
            // Without all stores required a store may fail, but not the signature check.
            throw new StoreFailure(target, e instanceof GovernanceException
                ? e : GovernanceException.of(StoreErrorCode.STORE_FAILED, e.toString(), e));
          }
          boolean committed =
              find().locations().stream().anyMatch(l -> l.store().equals(target));
          if (!committed && written.remove(target)) {
            WriteSaga.deleteQuietly(stores.find(target).orElse(null), key);
          }
          underLock(img -> img.toBuilder()
              .properties(moved(img.properties(), List.of(target), true))
              .build());
        }
      }
      if (!copying()) {
        WriteSaga.deleteQuietly(staging, key);
      }
      Image end = find();
      if (!copying() && end.status() != ImageStatus.ACTIVE) {
        throw GovernanceException.of(StoreErrorCode.STORE_FAILED, "None of the uploads finished!");
      }
      underLock(img -> {
        Map<String, String> props = new java.util.HashMap<>(img.properties());
        props.remove(IMPORT_TASK);
        return img.toBuilder().properties(props).build();
      });
      progress(TaskStatus.SUCCESS, "Imported into " + Joiner.on(", ").join(targets) + ".");
    }

    /**
     * The flow's first step under the lock: {@code importing} (not for copies), the target stores
     * listed as importing and no longer as failed, the stage host dropped. A copy, or a download
     * that moves a queued image, counts as an upload and the copy's size as staged: reserved
     * first, so the step never takes the owner over a limit.
     */
    private Image begin() {
      Image image = find();
      try (QuotaRules.Charge charge = engine.charge(image.owner())) {
        if (method != ImportMethod.GLANCE_DIRECT) {
          charge.reserve(UsageKind.UPLOADS, 1);
        }
        if (copying()) {
          charge.reserve(UsageKind.STAGED_BYTES, image.size().orElse(0));
        }
        return underLock(charge, img -> {
          checkImportable(img, method);
          Map<String, String> props = new java.util.HashMap<>(img.properties());
          addToList(props, IMPORTING_TO_STORES, targets);
          removeFromList(props, FAILED_IMPORT, targets);
          props.remove(STAGE_HOST);
          Image.Builder b = img.toBuilder().properties(props);
          if (!copying()) {
            b.status(ImageStatus.IMPORTING);
          }
          return b.build();
        });
      }
    }

    /** web-download: fetches the URI into staging, metered as staged bytes; the byte count. */
    private long download() {
      long cap = config.imageSizeCap();
      FetchResult fetched = services.fetcher().fetch(uri.orElseThrow(), cap);
      try (WriteSaga saga = saga()) {
        QuotaRules.Charge charge = saga.charge();
        charge.requireRoom(UsageKind.STAGED_BYTES);
        ownsStaging = true;
        MeteredInput in =
            new MeteredInput(fetched.body(), charge, UsageKind.STAGED_BYTES, staging, 0, 0);
        BlobWriteResult r =
            saga.write(staging, key, in, cap, hashes,
                e -> translate(e, in, OptionalLong.empty(), staging));
        OptionalLong declared = fetched.declaredLength();
        if (declared.isPresent() && declared.getAsLong() != r.size()) {
          throw GovernanceException.of(
              RuleCode.FETCH_FAILED,
              "The response from " + UriGuard.redact(fetched.uri()) + " declared "
                  + declared.getAsLong() + " bytes but carried " + r.size() + ".");
        }
        saga.commit(id, locked(img -> img.toBuilder().size(r.size()).build()),
            Engine.Events.statusOf(caller));
        saga.succeed();
        progress(TaskStatus.PROCESSING, "Downloaded " + r.size() + " bytes.");
        return r.size();
      } finally {
        try {
          fetched.close();
        } catch (IOException e) {
          // The body was read or abandoned; closing it cannot change the outcome.
        }
      }
    }

    /** copy-image's source: the default store's copy first, then any other. */
    private BlobStore copySource(Image image) {
      List<StoreId> order = new ArrayList<>();
      stores.defaultStore().ifPresent(order::add);
      for (Location l : image.locations()) {
        if (!order.contains(l.store())) {
          order.add(l.store());
        }
      }
      for (StoreId s : order) {
        BlobStore store = stores.find(s).orElse(null);
        boolean held = image.locations().stream().anyMatch(l -> l.store().equals(s));
        if (store != null && held && store.exists(key)) {
          return store;
        }
      }
      throw GovernanceException.of(
          StoreErrorCode.STORE_FAILED,
          "No store could provide the data of image " + id + " to copy.");
    }

    /** Writes the data into one target store, with its size reserved for the owner first. */
    private BlobWriteResult writeTo(
        StoreId target, BlobStore source, long size, HashSpec hashes,
        Optional<SignatureVerifier> verifier) {
      BlobStore store = stores.find(target).orElse(null);
      Image image = find();
      try (WriteSaga saga = saga()) {
        WriteSaga.checkRoom(store, size, config.storeReserveBytes());
        saga.charge().reserve(UsageKind.STORED_BYTES, size);
        BlobWriteResult r;
        try (InputStream in = source.read(key)) {
          written.add(target);
          r = saga.write(store, key, verifier.isPresent() ? verifier.get().wrap(in) : in, size,
              hashes, e -> e instanceof StoreFullException
                  ? GovernanceException.of(
                      RuleCode.STORE_FULL, "Image storage media is full: " + e.getMessage(), e)
                  : Data.storeFailed(store, e));
        } catch (IOException e) {
          throw Data.storeFailed(store, e);
        }
        if (r.size() != size
            || copying() && !image.checksum().map(r.checksum()::equals).orElse(true)) {
          throw GovernanceException.of(
              StoreErrorCode.STORE_FAILED,
              "The data of image " + id + " written to store " + target
                  + " does not match its source.");
        }
        if (verifier.isPresent()) {
          verifier.get().verify();
        }
        commitLocation(saga, target, r);
        saga.succeed();
        return r;
      }
    }

    /** Adds the store's location: the saga's commit, settling its reservation. */
    private void commitLocation(WriteSaga saga, StoreId target, BlobWriteResult r) {
      saga.commit(
          id,
          locked(img -> img.toBuilder()
              .addLocations(Location.of(target, r.url()))
              .size(copying() ? img.size() : OptionalLong.of(r.size()))
              .build()),
          c -> List.of(new DataUploaded(
              caller, id, c.after().updatedAt(), target, r.size(), r.checksum())));
    }

    /** A write saga of this flow: charged to the image's owner; a vanished image aborts. */
    private WriteSaga saga() {
      return new WriteSaga(engine, caller, find().owner(),
          gone -> new Aborted("Image has been deleted, aborting import."));
    }

    /** A kernel change that this flow must still hold the lock for. */
    private Engine.Change locked(UnaryOperator<Image> op) {
      return stamped(img -> {
        if (!lockOf(img).equals(Optional.of(task.id()))) {
          throw new Aborted("Another operation took the import lock of image " + id
              + ", aborting import.");
        }
        return op.apply(img);
      });
    }

    /** The store is done: off the importing list; the image activates on the rule's store. */
    private void commitStore(
        StoreId target, BlobWriteResult r, OptionalLong virtualSize, boolean last) {
      underLock(img -> {
        Map<String, String> props = new java.util.HashMap<>(img.properties());
        removeFromList(props, IMPORTING_TO_STORES, List.of(target));
        Image.Builder b = img.toBuilder().properties(props);
        if (!copying() && img.status() == ImageStatus.IMPORTING && (last || !allMust)) {
          b.status(ImageStatus.ACTIVE)
              .checksum(r.checksum())
              .osHashAlgo(r.multihashAlgorithm().glanceName())
              .osHashValue(r.multihash())
              .virtualSize(virtualSize.isPresent() ? virtualSize : img.virtualSize());
        }
        return b.build();
      });
      progress(TaskStatus.PROCESSING, "Copied to store " + target + ".");
    }

    /**
     * Undoes the flow: staged data removed (not for copies), this flow's locations and blobs
     * removed, its stores moved from importing to failed ({@code failed} of them), the image back
     * to {@code queued} (not for copies), the lock released, the task failed.
     */
    private void fail(String message, List<StoreId> failed) {
      if (ownsStaging) {
        WriteSaga.deleteQuietly(staging, key);
      }
      // The kernel retries a compensation the catalog refuses, and keeps it for scrub if the
      // catalog keeps refusing; the blobs the image still names stay until then.
      engine.compensate(caller, id, stamped(img -> {
        if (!lockOf(img).equals(Optional.of(task.id()))) {
          return img;
        }
        Map<String, String> props = new java.util.HashMap<>(img.properties());
        props.remove(IMPORT_TASK);
        removeFromList(props, IMPORTING_TO_STORES, targets);
        if (recordsFailedStores) {
          addToList(props, FAILED_IMPORT, failed);
        }
        List<Location> kept = new ArrayList<>();
        for (Location l : img.locations()) {
          if (!written.contains(l.store())) {
            kept.add(l);
          }
        }
        Image.Builder b = img.toBuilder().properties(props).locations(kept);
        boolean ours = img.status() == ImageStatus.IMPORTING
            || img.status() == ImageStatus.UPLOADING && method == ImportMethod.GLANCE_DIRECT;
        if (!copying() && ours) {
          b.status(ImageStatus.QUEUED)
              .size(OptionalLong.empty())
              .virtualSize(OptionalLong.empty())
              .checksum(Optional.empty())
              .osHashAlgo(Optional.empty())
              .osHashValue(Optional.empty())
              .locations(List.of());
        }
        return b.build();
      }), Engine.Events.statusOf(caller));
      Optional<Image> after = engine.lookup(id);
      for (StoreId s : written) {
        boolean kept = after.map(img -> img.locations().stream()
            .anyMatch(l -> l.store().equals(s))).orElse(false);
        if (!kept) {
          WriteSaga.deleteQuietly(stores.find(s).orElse(null), key);
        }
      }
      progress(TaskStatus.FAILURE, message);
    }

    private void progress(TaskStatus status, String message) {
      task = task.moveTo(status, message, engine.now());
      tasks.put(task);
    }

    private Image find() {
      return engine.lookup(id)
          .orElseThrow(() -> new Aborted("Image has been deleted, aborting import."));
    }

    /** A change of the image that this flow must still hold the lock for. */
    private Image underLock(UnaryOperator<Image> op) {
      return underLock(null, op);
    }

    /** {@link #underLock(UnaryOperator)} settling the change's usage from {@code charge}. */
    private Image underLock(QuotaRules.@Nullable Charge charge, UnaryOperator<Image> op) {
      try {
        return engine.commitAdmitted(caller, id, charge, locked(op), Engine.Events.statusOf(caller))
            .map(Engine.Committed::after)
            .orElseGet(this::find);
      } catch (GovernanceException e) {
        if (e.code() == StoreErrorCode.IMAGE_NOT_FOUND) {
          throw new Aborted("Image has been deleted, aborting import.");
        }
        throw e;
      }
    }
  }

  // --------------------------------------------------------------------------------- helpers

  /**
   * An import step as a kernel change: {@code op} returns its input for a no-op; the replacement
   * is stamped with the time of the change.
   */
  private Engine.Change stamped(UnaryOperator<Image> op) {
    return current -> {
      Image next = op.apply(current);
      return next == current
          ? Optional.empty()
          : Optional.of(next.toBuilder().updatedAt(engine.now()).build());
    };
  }

  /**
   * Changes the image through the kernel (work the caller was admitted to), recording usage and
   * status events; with a {@code charge}, usage is settled from it.
   *
   * @throws GovernanceException {@link StoreErrorCode#IMAGE_NOT_FOUND} if the image is gone
   */
  private Image change(
      Caller caller, ImageId id, QuotaRules.@Nullable Charge charge, UnaryOperator<Image> op) {
    return engine.commitAdmitted(caller, id, charge, stamped(op), Engine.Events.statusOf(caller))
        .map(Engine.Committed::after)
        .orElseGet(() -> engine.lookup(id)
            .orElseThrow(() -> Engine.notFound(Engine.noImage(id))));
  }

  /** {@code from → queued} after a failure, resetting the size; unchanged if it moved on. */
  private static Image backToQueued(Image img, ImageStatus from) {
    return img.status() != from ? img : img.toBuilder()
        .status(ImageStatus.QUEUED)
        .size(OptionalLong.empty())
        .virtualSize(OptionalLong.empty())
        .build();
  }

  /** The list property {@code name} with {@code stores} added. */
  private static void addToList(Map<String, String> props, String name, List<StoreId> stores) {
    Set<String> values = new TreeSet<>(LIST.splitToList(props.getOrDefault(name, "")));
    stores.forEach(s -> values.add(s.value()));
    putList(props, name, values);
  }

  /** The list property {@code name} without {@code stores}. */
  private static void removeFromList(
      Map<String, String> props, String name, List<StoreId> stores) {
    Set<String> values = new TreeSet<>(LIST.splitToList(props.getOrDefault(name, "")));
    stores.forEach(s -> values.remove(s.value()));
    putList(props, name, values);
  }

  private static void putList(Map<String, String> props, String name, Set<String> values) {
    if (values.isEmpty()) {
      props.remove(name);
    } else {
      props.put(name, String.join(",", values));
    }
  }

  /** {@code stores} moved from the importing list (and to the failed list if {@code failed}). */
  private static Map<String, String> moved(
      Map<String, String> properties, List<StoreId> stores, boolean failed) {
    Map<String, String> props = new java.util.HashMap<>(properties);
    removeFromList(props, IMPORTING_TO_STORES, stores);
    if (failed) {
      addToList(props, FAILED_IMPORT, stores);
    }
    return props;
  }

  /** A failed write into the staging store, answered as {@link Data#translateWrite} does. */
  private static GovernanceException translate(
      IOException e, MeteredInput in, OptionalLong declaredSize, BlobStore store) {
    return Data.translateWrite(
        e,
        in,
        declaredSize,
        Long.MAX_VALUE,
        store,
        "The image " + store.id() + " has data on staging being written by another request.");
  }

  // -------------------------------------------------------------------- ids as text

  /**
   * {@link #stage(Caller, ImageId, InputStream, OptionalLong)} with the ids as text, as a request
   * path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param data the image data, read to the end; not closed
   * @param declaredSize the size the request announces, if any
   * @return as {@link #stage(Caller, ImageId, InputStream, OptionalLong)}
   * @throws dev.imagegov.error.GovernanceException as {@link #stage(Caller, ImageId, InputStream,
   *     OptionalLong)}, and 404 for a malformed id
   */
  public Image stage(Caller caller, String id, InputStream data, OptionalLong declaredSize) {
    return engine.metered("imports.stage", () ->
        stage(caller, dev.imagegov.wire.PathIds.image(id), data, declaredSize));
  }

  /**
   * {@link #importImage(Caller, ImageId, ImportRequest)} with the ids as text, as a request path
   * carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param request the import method and its options
   * @return as {@link #importImage(Caller, ImageId, ImportRequest)}
   * @throws dev.imagegov.error.GovernanceException as {@link #importImage(Caller, ImageId,
   *     ImportRequest)}, and 404 for a malformed id
   */
  public ImportTask importImage(Caller caller, String id, ImportRequest request) {
    return engine.metered("imports.importImage", () ->
        importImage(caller, dev.imagegov.wire.PathIds.image(id), request));
  }

  /**
   * {@link #tasks(Caller, ImageId)} with the ids as text, as a request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @return as {@link #tasks(Caller, ImageId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #tasks(Caller, ImageId)}, and 404 for
   *     a malformed id
   */
  public List<ImportTask> tasks(Caller caller, String id) {
    return engine.metered("imports.tasks", () ->
        tasks(caller, dev.imagegov.wire.PathIds.image(id)));
  }
}
