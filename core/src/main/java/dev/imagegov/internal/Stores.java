package dev.imagegov.internal;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobStore;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The enabled blob stores of one governance ({@code enabled_backends}), in configuration order,
 * and the one used when a request names none ({@code default_backend}; empty when no store is
 * enabled). Immutable.
 */
public final class Stores {
  private final ImmutableMap<StoreId, BlobStore> enabled;
  private final Optional<StoreId> defaultStore;

  /**
   * @throws IllegalArgumentException if {@code defaultStore} is not one of {@code enabled}
   */
  public Stores(ImmutableMap<StoreId, BlobStore> enabled, Optional<StoreId> defaultStore) {
    if (defaultStore.isPresent() && !enabled.containsKey(defaultStore.get())) {
      throw new IllegalArgumentException("the default store " + defaultStore.get()
          + " is not enabled");
    }
    this.enabled = enabled;
    this.defaultStore = defaultStore;
  }

  /** The enabled store with this id. */
  public Optional<BlobStore> find(StoreId id) {
    return Optional.ofNullable(enabled.get(id));
  }

  /** Whether a store with this id is enabled. */
  public boolean isEnabled(StoreId id) {
    return enabled.containsKey(id);
  }

  /** The ids of the enabled stores, in configuration order. */
  public List<StoreId> ids() {
    return enabled.keySet().asList();
  }

  /** The enabled stores, in configuration order. */
  public Collection<BlobStore> all() {
    return enabled.values();
  }

  /** The store used when a request names none. */
  public Optional<StoreId> defaultStore() {
    return defaultStore;
  }
}
