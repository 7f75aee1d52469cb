package dev.imagegov.data;

import com.google.common.collect.ImmutableList;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;

/**
 * What a scrub did: the data of deleted images it removed, per store; what it left for a later
 * scrub (pending-delete images younger than {@code scrub_time}, data a store failed to delete);
 * the images it put back after a failed write whose own rollback the catalog had refused
 * ({@code restored}: e.g. an upload left {@code saving}, now {@code queued} again); and the
 * pending-delete images whose deletion it finished ({@code finished}: now {@code deleted}, with
 * their data removed, or already gone from every store).
 *
 * @param removed the data removed, per image and store
 * @param deferred how many blobs were left for a later scrub
 * @param restored the images put back after a failed write
 * @param finished the images whose deletion was finished, now {@code deleted}
 */
public record ScrubReport(ImmutableList<Removed> removed, int deferred,
    ImmutableList<ImageId> restored, ImmutableList<ImageId> finished) {
  /** Data of {@code image} removed from {@code store}. */
  public record Removed(ImageId image, StoreId store) {}
}
