package dev.imagegov.data;

import com.google.common.collect.ImmutableList;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;

/**
 * What a scrub did: the data of deleted images it removed, per store; what it left for a later
 * scrub (pending-delete images younger than {@code scrub_time}, data a store failed to delete);
 * and the images it put back after a failed write whose own rollback the catalog had refused
 * ({@code restored}: e.g. an upload left {@code saving}, now {@code queued} again).
 */
public record ScrubReport(
    ImmutableList<Removed> removed, int deferred, ImmutableList<ImageId> restored) {
  /** Data of {@code image} removed from {@code store}. */
  public record Removed(ImageId image, StoreId store) {}
}
