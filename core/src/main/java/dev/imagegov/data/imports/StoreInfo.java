package dev.imagegov.data.imports;

import dev.imagegov.model.StoreId;
import java.util.Objects;

/**
 * One enabled store as store discovery ({@code GET /v2/info/stores}) lists it: its id and whether
 * it is the default store. Reserved stores ({@code os_glance_*}) are never listed.
 */
public record StoreInfo(StoreId id, boolean isDefault) {
  /**
   * Checks the id.
   *
   * @param id the store's id
   * @param isDefault whether uploads go to this store by default
   */
  public StoreInfo {
    Objects.requireNonNull(id, "id");
  }
}
