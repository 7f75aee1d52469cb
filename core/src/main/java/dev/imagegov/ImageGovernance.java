package dev.imagegov;

import dev.imagegov.events.GovernanceListener;
import dev.imagegov.spi.Catalog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The entry point: Glance's image-governance rules over a {@link Catalog}. Built once from a
 * catalog, a configuration, a clock, an id generator and listeners; thread-safe; holds no
 * mutable state of its own.
 *
 * <p>The use cases are grouped by concern: {@link #images()} (create, get, list, delete,
 * deactivate, reactivate, visibility), {@link #sharing()} (members) and {@link #access()}
 * (download authorization and {@code explain}). Every operation takes the caller first, checks
 * policy, validates, applies atomically, emits events after the commit, and returns an immutable
 * result; a refusal is a {@link dev.imagegov.error.GovernanceException} and changes nothing.
 *
 * <pre>{@code
 * ImageGovernance governance = ImageGovernance.builder().catalog(new MemoryCatalog()).build();
 * Image image = governance.images().create(Caller.member("producer"),
 *     NewImage.builder().name("golden").build());
 * }</pre>
 */
public final class ImageGovernance {
  private final Engine engine;
  private final Images images;
  private final Sharing sharing;
  private final Access access;

  private ImageGovernance(Engine engine) {
    this.engine = engine;
    this.images = new Images(engine);
    this.sharing = new Sharing(engine);
    this.access = new Access(engine);
  }

  /** A builder; a catalog is required, everything else has Glance's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Image use cases. */
  public Images images() {
    return images;
  }

  /** Member (sharing) use cases. */
  public Sharing sharing() {
    return sharing;
  }

  /** Access decisions and explanations. */
  public Access access() {
    return access;
  }

  /** The configuration in force. */
  public GovernanceConfig config() {
    return engine.config;
  }

  /** The catalog governed. */
  public Catalog catalog() {
    return engine.catalog;
  }

  /** Builds an {@link ImageGovernance}. */
  public static final class Builder {
    private @Nullable Catalog catalog;
    private GovernanceConfig config = GovernanceConfig.defaults();
    private Clock clock = Clock.systemUTC();
    private Supplier<UUID> ids = UUID::randomUUID;
    private final List<GovernanceListener> listeners = new ArrayList<>();

    private Builder() {}

    /** The catalog (required). */
    public Builder catalog(Catalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** The configuration; Glance's defaults when not set. */
    public Builder config(GovernanceConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The clock for created/updated times and events; UTC system clock when not set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The generator of ids for images created without one; random UUIDs when not set. */
    public Builder ids(Supplier<UUID> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /** Adds a listener for every committed change. */
    public Builder listener(GovernanceListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the governance.
     *
     * @throws IllegalStateException if no catalog was given
     */
    public ImageGovernance build() {
      if (catalog == null) {
        throw new IllegalStateException("a catalog is required");
      }
      return new ImageGovernance(new Engine(catalog, config, clock, listeners, ids));
    }
  }
}
