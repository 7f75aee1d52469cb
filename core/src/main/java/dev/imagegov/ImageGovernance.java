package dev.imagegov;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.access.Access;
import dev.imagegov.data.Data;
import dev.imagegov.data.Imports;
import dev.imagegov.data.fetch.Fetcher;
import dev.imagegov.data.fetch.HttpFetcher;
import dev.imagegov.data.signature.CertificateSource;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.events.GovernanceListener;
import dev.imagegov.events.GovernanceMetrics;
import dev.imagegov.events.ListenerFailureHandler;
import dev.imagegov.image.Images;
import dev.imagegov.internal.Engine;
import dev.imagegov.internal.HashingThreads;
import dev.imagegov.internal.ImportServices;
import dev.imagegov.internal.StagingArea;
import dev.imagegov.internal.Stores;
import dev.imagegov.lifecycle.ImageUsage;
import dev.imagegov.lifecycle.Lifecycle;
import dev.imagegov.model.StoreId;
import dev.imagegov.quota.Quotas;
import dev.imagegov.report.Reports;
import dev.imagegov.sharing.Sharing;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.spi.usage.UsageStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: Glance's image-governance rules over a {@link Catalog}. Built once from a
 * catalog, a configuration, a clock, an id generator and listeners; thread-safe; holds no
 * mutable state of its own.
 *
 * <p>The use cases are grouped by concern: {@link #images()} (create, get, list, delete,
 * deactivate, reactivate, visibility), {@link #sharing()} (members), {@link #access()}
 * (download authorization and {@code explain}), {@link #data()} (upload, download, stores),
 * {@link #imports()} (stage and import), {@link #quotas()} (usage reports), {@link
 * #lifecycle()} (families, deprecation, latest, retention) and {@link #reports()} (hygiene,
 * cleanup, capacity, reconciliation; admins only). Every operation
 * takes the caller first, checks policy, validates, applies atomically, emits events after the
 * commit, and returns an immutable result; a refusal is a {@link
 * dev.imagegov.error.GovernanceException} and changes nothing.
 *
 * <p>{@link #close} releases what the governance holds beyond the catalog and stores (which stay
 * the caller's): its {@code web-download} fetcher, its hashing threads (the multihash of each
 * write runs on one of them, offered to the stores through the write's {@code HashSpec}) and,
 * when it was given an {@link java.util.concurrent.ExecutorService} for imports, that executor
 * (imports already running finish; later ones are refused by the executor).
 *
 * <pre>{@code
 * ImageGovernance governance = ImageGovernance.builder().catalog(new MemoryCatalog()).build();
 * Image image = governance.images().create(Caller.member("producer"),
 *     NewImage.builder().name("golden").build());
 * }</pre>
 */
public final class ImageGovernance implements AutoCloseable {
  private final Catalog catalog;
  private final GovernanceConfig config;
  private final ImportServices services;
  private final Images images;
  private final Sharing sharing;
  private final Access access;
  private final Data data;
  private final Quotas quotas;
  private final Imports imports;
  private final Lifecycle lifecycle;
  private final dev.imagegov.exposure.Exposure exposure;
  private final Reports reports;

  private ImageGovernance(
      Catalog catalog, GovernanceConfig config, Engine engine, Stores stores,
      ImportServices services) {
    this.catalog = catalog;
    this.config = config;
    this.services = services;
    this.images = new Images(engine, config);
    this.sharing = new Sharing(engine, config);
    this.access = new Access(engine, config, images);
    this.quotas = new Quotas(engine, config, stores, services.staging());
    this.imports = new Imports(engine, config, stores, services);
    this.data = new Data(engine, config, stores, services.certificates(), access, imports);
    this.lifecycle = new Lifecycle(engine, config, images);
    this.exposure = new dev.imagegov.exposure.Exposure(engine);
    this.reports = new Reports(engine, config, images, stores, services.staging());
  }

  /** {@return a builder; a catalog is required, everything else has Glance's defaults} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return image use cases} */
  public Images images() {
    return images;
  }

  /** {@return member (sharing) use cases} */
  public Sharing sharing() {
    return sharing;
  }

  /** {@return exposure governance: the guardrail in force and its report} */
  public dev.imagegov.exposure.Exposure exposure() {
    return exposure;
  }

  /** {@return access decisions and explanations} */
  public Access access() {
    return access;
  }

  /** {@return image data use cases: upload, download, multi-store, scrub} */
  public Data data() {
    return data;
  }

  /** {@return the interoperable import workflow: discovery, stage, import, tasks} */
  public Imports imports() {
    return imports;
  }

  /** {@return quota reports} */
  public Quotas quotas() {
    return quotas;
  }

  /**
   * {@return the golden-image lifecycle: families, versions, deprecation, latest, retention plans}
   */
  public Lifecycle lifecycle() {
    return lifecycle;
  }

  /**
   * {@return catalog hygiene and capacity, for admins: hygiene reports, cleanup plans, store
   * capacity, usage reconciliation}
   */
  public Reports reports() {
    return reports;
  }

  /** {@return the configuration in force} */
  public GovernanceConfig config() {
    return config;
  }

  /** {@return the catalog governed} */
  public Catalog catalog() {
    return catalog;
  }

  /**
   * Closes the {@code web-download} fetcher (its open connections end, later web-downloads fail),
   * shuts down an {@link java.util.concurrent.ExecutorService} given as the import executor, and
   * shuts down the governance's hashing threads (a write in progress finishes; later writes hash
   * on their caller's thread). The catalog and the stores are not closed. Idempotent.
   */
  @Override
  public void close() {
    try {
      services.fetcher().close();
    } finally {
      services.hashing().shutdown();
      services.executor()
          .filter(e -> e instanceof java.util.concurrent.ExecutorService)
          .ifPresent(e -> ((java.util.concurrent.ExecutorService) e).shutdown());
    }
  }

  /** Builds an {@link ImageGovernance}. */
  public static final class Builder {
    private @Nullable Catalog catalog;
    private GovernanceConfig config = GovernanceConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private Supplier<UUID> ids = UUID::randomUUID;
    private final List<GovernanceListener> listeners = new ArrayList<>();
    private final Map<StoreId, BlobStore> stores = new LinkedHashMap<>();
    private @Nullable StoreId defaultStore;
    private @Nullable BlobStore stagingStore;
    private CertificateSource certificates = id -> Optional.empty();
    private @Nullable Fetcher fetcher;
    private @Nullable Executor importExecutor;
    private @Nullable UsageStore usage;
    private ImageUsage imageUsage = ImageUsage.none();
    private TenancyDirectory tenancy = TenancyDirectory.none();

    private ListenerFailureHandler listenerFailures = ListenerFailureHandler.LOG_ONLY;

    private GovernanceMetrics metrics = GovernanceMetrics.NONE;
    private dev.imagegov.data.StoreBackends.@Nullable Opener backendOpener;

    /**
     * Opens the blob stores the configuration declares ({@link GovernanceConfig#storeBackends()},
     * read from {@code glance-api.conf}) that are not wired with {@link #blobStore}, when the
     * governance is built; {@code default_backend} becomes the default store. For file stores:
     * {@code b -> FileBlobStore.open(b.id(), b.directory().orElseThrow())}.
     *
     * @param opener opens a declared store from its id, type and directory
     * @return this builder
     */
    public Builder blobStoresFromConfig(dev.imagegov.data.StoreBackends.Opener opener) {
      this.backendOpener = Objects.requireNonNull(opener, "opener");
      return this;
    }

    private Builder() {}

    /**
     * Where every operation's outcome (completed, refused with its code, failed) and time are
     * reported; by default {@link GovernanceMetrics#NONE}. {@link
     * dev.imagegov.events.MemoryMetrics} counts and times in memory.
     *
     * @param metrics told once about each operation a caller asks for, when it ends
     * @return this builder
     */
    public Builder metrics(GovernanceMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Where a listener's exception goes: it is always logged (the {@link System.Logger} {@code
     * dev.imagegov.events}, level {@code WARNING}), then handed to {@code handler}; by default
     * {@link ListenerFailureHandler#LOG_ONLY}. Never the thread's uncaught-exception handler.
     *
     * @param handler called once per failed delivery, after the log entry
     * @return this builder
     */
    public Builder listenerFailures(ListenerFailureHandler handler) {
      this.listenerFailures = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Which images the application's instances and volumes use (the lifecycle's usage port); by
     * default {@link ImageUsage#none()}, which knows nothing.
     *
     * @param imageUsage the port that reports which images are in use
     * @return this builder
     */
    public Builder imageUsage(ImageUsage imageUsage) {
      this.imageUsage = Objects.requireNonNull(imageUsage, "imageUsage");
      return this;
    }

    /**
     * The staging store of {@code glance-direct} and {@code web-download} (Glance's {@code
     * os_glance_staging_store}); it is never an import target and never listed. By default an
     * in-heap store (fine for tests and small images; give a store on disk for large ones).
     *
     * @param store the store that holds staged data until its import
     * @return this builder, for chaining
     * @throws IllegalArgumentException if the store is also enabled as a final store
     */
    public Builder stagingStore(BlobStore store) {
      Objects.requireNonNull(store, "store");
      if (stores.containsKey(store.id())) {
        throw new IllegalArgumentException(
            "the staging store " + store.id() + " is also an enabled store");
      }
      this.stagingStore = store;
      return this;
    }

    /**
     * Where signing certificates come from ({@code img_signature_certificate_uuid}); by default
     * there are none, so every image that asks for signature verification is refused.
     *
     * @param source finds signing certificates by their UUID
     * @return this builder, for chaining
     */
    public Builder certificates(CertificateSource source) {
      this.certificates = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The fetcher of {@code web-download}; by default an {@link HttpFetcher} behind the
     * configuration's {@link GovernanceConfig#importUriGuard()}. A fetcher given here must apply
     * its own guard to redirects; the import checks the requested URI with the configuration's
     * guard in any case.
     *
     * @param fetcher reads the data of a {@code web-download} import from its URL
     * @return this builder, for chaining
     */
    public Builder fetcher(Fetcher fetcher) {
      this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
      return this;
    }

    /**
     * Runs imports on {@code executor} (an {@link java.util.concurrent.ExecutorService} is shut
     * down when the governance is closed): an import call then returns its task while {@code
     * pending}. Without one (the default) imports run on the caller's thread and the call
     * returns the finished task.
     *
     * @param executor runs the work in the background
     * @return this builder, for chaining
     */
    public Builder importExecutor(Executor executor) {
      this.importExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Enables a blob store ({@code enabled_backends}); the first one added is the default unless
     * {@link #defaultStore} says otherwise.
     *
     * @param store a blob store, named by its id
     * @return this builder, for chaining
     * @throws IllegalArgumentException if a store with this id was added, or the id starts with
     *     Glance's reserved {@code os_glance_}
     */
    public Builder blobStore(BlobStore store) {
      Objects.requireNonNull(store, "store");
      if (store.id().value().startsWith("os_glance_")) {
        throw new IllegalArgumentException(
            "store ids starting with os_glance_ are reserved: " + store.id());
      }
      if (stagingStore != null && stagingStore.id().equals(store.id())
          || stores.putIfAbsent(store.id(), store) != null) {
        throw new IllegalArgumentException("two stores have the id " + store.id());
      }
      return this;
    }

    /**
     * The store uploads use when they name none ({@code default_backend}).
     *
     * @param store the id of the blob store
     * @return this builder, for chaining
     */
    public Builder defaultStore(StoreId store) {
      this.defaultStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The catalog (required).
     *
     * @param catalog the catalog of images and members
     * @return this builder, for chaining
     */
    public Builder catalog(Catalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /**
     * Where usage and reservations live (the usage port). By default a {@link MemoryUsageStore}
     * for this JVM, filled from the catalog's images when the governance is built. A store given
     * here is used as it is: it must already account for every image of the catalog (a store
     * shared by several nodes on one catalog, or one shared by several governances in a JVM).
     *
     * @param usage the usage port, shared by every node that shares the catalog
     * @return this builder, for chaining
     */
    public Builder usage(UsageStore usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /**
     * The configuration; Glance's defaults when not set.
     *
     * @param config the quotas, formats, policy and protections to apply
     * @return this builder, for chaining
     */
    public Builder config(GovernanceConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The clock for created/updated times and events; UTC system clock when not set.
     *
     * @param clock the source of the current time
     * @return this builder, for chaining
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The generator of ids for images created without one; random UUIDs when not set.
     *
     * @param ids supplies a fresh UUID per image created without an id
     * @return this builder, for chaining
     */
    public Builder ids(Supplier<UUID> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * The tenancy directory hierarchical sharing reads (which projects sit below a parent project
     * or a domain); by default {@link TenancyDirectory#none()}, under which sharing is flat. It is
     * read at every access, so a project moved in the directory gains or loses access at once.
     *
     * @param tenancy the directory of projects, their parents and domains
     * @return this builder, for chaining
     */
    public Builder tenancy(TenancyDirectory tenancy) {
      this.tenancy = Objects.requireNonNull(tenancy, "tenancy");
      return this;
    }

    /**
     * Adds a listener for every committed change.
     *
     * @param listener called after each commit with its events
     * @return this builder, for chaining
     */
    public Builder listener(GovernanceListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the governance.
     *
     * @return the facade over the configured stores, ready to use
     * @throws IllegalStateException if no catalog was given
     */
    public ImageGovernance build() {
      if (catalog == null) {
        throw new IllegalStateException("a catalog is required");
      }
      if (config.storeBackends().isPresent()) {
        dev.imagegov.data.StoreBackends declared = config.storeBackends().get();
        Map<StoreId, BlobStore> wired = declared.wire(
            stores, Optional.ofNullable(defaultStore), backendOpener);
        stores.clear();
        stores.putAll(wired);
        defaultStore = declared.defaultBackend();
      } else if (backendOpener != null) {
        throw new ConfigurationException(
            "stores: blobStoresFromConfig was called but the configuration declares no"
                + " enabled_backends");
      }
      if (defaultStore != null && !stores.containsKey(defaultStore)) {
        throw new IllegalStateException("the default store " + defaultStore + " is not enabled");
      }
      Optional<StoreId> chosen =
          defaultStore != null
              ? Optional.of(defaultStore)
              : stores.keySet().stream().findFirst();
      ImportServices services =
          new ImportServices(
              stagingStore != null ? stagingStore : new StagingArea(),
              certificates,
              fetcher != null ? fetcher : HttpFetcher.create(config.importUriGuard()),
              Optional.ofNullable(importExecutor),
              HashingThreads.create());
      Stores enabled = new Stores(ImmutableMap.copyOf(stores), chosen);
      Engine engine = new Engine(catalog, config, clock, listeners, ids, enabled,
          services.staging(), Optional.ofNullable(usage), imageUsage, tenancy);
      engine.listenerFailures(listenerFailures);
      engine.metrics(metrics);
      return new ImageGovernance(catalog, config, engine, enabled, services);
    }
  }
}
