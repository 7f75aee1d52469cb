package dev.imagegov.model;

import java.util.Map;
import org.immutables.value.Value;

/** Where an image's data lives: a store and a store-specific URL, with free-form metadata. */
@Value.Immutable
public abstract class Location {
  /**
   * The store holding the data.
   *
   * @return the store holding the data
   */
  public abstract StoreId store();

  /**
   * The store's URL for the data.
   *
   * @return the store's URL for the data
   */
  public abstract String url();

  /**
   * Free-form metadata, as Glance keeps per location.
   *
   * @return free-form metadata, as Glance keeps per location
   */
  public abstract Map<String, String> metadata();

  /**
   * A location without metadata.
   *
   * @param store the id of the blob store
   * @param url where the data lies in that store
   * @return a location without metadata
   */
  public static Location of(StoreId store, String url) {
    return builder().store(store).url(url).build();
  }

  /**
   * A builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this value's attributes.
   *
   * @return a builder holding this value's attributes
   */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * A builder of {@code Location}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableLocation.Builder {
    Builder() {}
  }
}
