package dev.imagegov.data;

import com.google.common.collect.ImmutableList;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;

/**
 * What a scrub removed: the data of deleted images, per store, and what it left for a later
 * scrub (pending-delete images younger than {@code scrub_time}).
 */
public record ScrubReport(ImmutableList<Removed> removed, int deferred) {
  /** Data of {@code image} removed from {@code store}. */
  public record Removed(ImageId image, StoreId store) {}
}
