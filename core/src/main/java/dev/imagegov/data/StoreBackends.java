package dev.imagegov.data;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The blob stores {@code glance-api.conf} declares: {@code [DEFAULT] enabled_backends} (each
 * store's id and type, in order), {@code [glance_store] default_backend}, and each store's own
 * section (for a {@code file} store, its {@code filesystem_store_datadir}). Read by {@code
 * GovernanceConfig.fromGlanceConfig} into {@code GovernanceConfig.storeBackends()}.
 *
 * <p>When the configuration holds them, {@code ImageGovernance.Builder.build()} checks them against
 * the stores wired with {@code blobStore(...)}: every declared store must be wired, or opened by
 * the {@link Opener} given to {@code blobStoresFromConfig}, no store may be wired that the file
 * does not declare, and an explicit {@code defaultStore} must be {@code default_backend}; any
 * mismatch is a {@link dev.imagegov.error.ConfigurationException} naming the file's line.
 * Immutable.
 */
public final class StoreBackends {
  /** Glance's default {@code filesystem_store_datadir}. */
  public static final String DEFAULT_FILE_DIRECTORY = "/var/lib/glance/images";

  private final List<Backend> backends;
  private final StoreId defaultBackend;

  /**
   * One store of {@code enabled_backends}.
   *
   * @param id the store's id (the name before the colon)
   * @param type its glance_store type ({@code file}, {@code rbd}, {@code s3}, …)
   * @param directory a {@code file} store's {@code filesystem_store_datadir}, resolved against the
   *     configuration file's directory; empty for other types
   * @param where where it is declared ({@code glance-api.conf: line 3}), for messages
   */
  public record Backend(StoreId id, String type, Optional<Path> directory, String where) {
    /**
     * A declared store.
     *
     * @param id the store's id
     * @param type its type
     * @param directory a file store's directory
     * @param where where it is declared
     */
    public Backend {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(where, "where");
    }
  }

  /** Opens the blob store of a declared backend ({@code blobStoresFromConfig}). */
  @FunctionalInterface
  public interface Opener {
    /**
     * Opens the store {@code backend} declares, with the backend's id.
     *
     * @param backend the declared store
     * @return the store, whose {@link BlobStore#id()} is {@code backend.id()}
     */
    BlobStore open(Backend backend);
  }

  /**
   * The stores of a configuration.
   *
   * @param backends the declared stores, in {@code enabled_backends} order, at least one, ids
   *     distinct
   * @param defaultBackend {@code default_backend}, one of them
   * @throws IllegalArgumentException if a list is empty, an id repeats or the default is not
   *     declared
   */
  public StoreBackends(List<Backend> backends, StoreId defaultBackend) {
    this.backends = List.copyOf(backends);
    this.defaultBackend = Objects.requireNonNull(defaultBackend, "defaultBackend");
    if (this.backends.isEmpty()) {
      throw new IllegalArgumentException("no backend is declared");
    }
    if (this.backends.stream().map(Backend::id).distinct().count() != this.backends.size()) {
      throw new IllegalArgumentException("two backends have the same id");
    }
    if (find(defaultBackend).isEmpty()) {
      throw new IllegalArgumentException("the default backend " + defaultBackend
          + " is not declared");
    }
  }

  /** {@return the declared stores, in {@code enabled_backends} order} */
  public List<Backend> backends() {
    return backends;
  }

  /** {@return {@code default_backend}} */
  public StoreId defaultBackend() {
    return defaultBackend;
  }

  /**
   * {@return the declared store with this id, if any}
   *
   * @param id a store's id
   */
  public Optional<Backend> find(StoreId id) {
    return backends.stream().filter(b -> b.id().equals(id)).findFirst();
  }

  /** {@return every declared store's id and type, and the default} */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("StoreBackends[");
    for (Backend b : backends) {
      s.append(b.id()).append(':').append(b.type()).append(' ');
    }
    return s.append("default=").append(defaultBackend).append(']').toString();
  }

  /**
   * Checks this declaration against the wired stores and opens what is missing: the result
   * holds every declared store in declaration order (wired ones as given, the others from
   * {@code opener}).
   *
   * @param wired the stores given to the builder, by id
   * @param wiredDefault the default store given to the builder, if any
   * @param opener opens a declared store that is not wired; null if none may be opened
   * @return the stores, in declaration order
   * @throws dev.imagegov.error.ConfigurationException on any mismatch, naming where the store is
   *     declared
   */
  public Map<StoreId, BlobStore> wire(
      Map<StoreId, BlobStore> wired, Optional<StoreId> wiredDefault,
      @Nullable Opener opener) {
    Map<StoreId, BlobStore> out = new java.util.LinkedHashMap<>();
    for (StoreId id : wired.keySet()) {
      if (find(id).isEmpty()) {
        throw mismatch("the store " + id + " is wired but enabled_backends does not declare it"
            + " (it declares " + ids() + ")");
      }
    }
    for (Backend b : backends) {
      BlobStore store = wired.get(b.id());
      if (store == null) {
        if (opener == null) {
          throw mismatch(b.where() + ": enabled_backends declares the " + b.type() + " store "
              + b.id() + ", which is not wired: pass it to blobStore(...) or call"
              + " blobStoresFromConfig(opener)");
        }
        store = opener.open(b);
        if (store == null || !store.id().equals(b.id())) {
          throw mismatch(b.where() + ": the opener gave "
              + (store == null ? "nothing" : "the store " + store.id())
              + " for the declared store " + b.id());
        }
      }
      out.put(b.id(), store);
    }
    if (wiredDefault.isPresent() && !wiredDefault.get().equals(defaultBackend)) {
      throw mismatch("the default store " + wiredDefault.get()
          + " is wired but default_backend is " + defaultBackend);
    }
    return out;
  }

  private List<StoreId> ids() {
    return backends.stream().map(Backend::id).toList();
  }

  private static dev.imagegov.error.ConfigurationException mismatch(String message) {
    return new dev.imagegov.error.ConfigurationException("stores: " + message);
  }
}
