package dev.imagegov.model;

import java.util.Map;
import org.immutables.value.Value;

/** Where an image's data lives: a store and a store-specific URL, with free-form metadata. */
@Value.Immutable
public abstract class Location {
  /** {@return the store holding the data} */
  public abstract StoreId store();

  /** {@return the store's URL for the data} */
  public abstract String url();

  /** {@return free-form metadata, as Glance keeps per location} */
  public abstract Map<String, String> metadata();

  /**
   * {@return a location without metadata}
   *
   * @param store the id of the blob store
   * @param url where the data lies in that store
   */
  public static Location of(StoreId store, String url) {
    return builder().store(store).url(url).build();
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return a builder holding this value's attributes} */
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
