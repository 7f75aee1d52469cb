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
 * <p>Every list is immutable and never null. {@code finished} names each image once, in the order
 * the scrub finished them (first those whose data it found in a store, in the stores' order, then
 * those no store held data of); it holds only images that were {@code pending_delete} for at least
 * {@code scrub_time} and that no restore took back first (of a restore and a scrub racing for one
 * image, exactly one wins), and never an image deleted without {@code delayed_delete} (those are
 * {@code deleted} at once). An image in {@code finished} is in {@code removed} once per store its
 * data was removed from; it can no longer be restored.
 *
 * @param removed the data removed, per image and store
 * @param deferred how many blobs were left for a later scrub
 * @param restored the images put back after a failed write
 * @param finished the images whose deletion was finished by this scrub, now {@code deleted}, each
 *     once, in the order they were finished
 */
public record ScrubReport(ImmutableList<Removed> removed, int deferred,
    ImmutableList<ImageId> restored, ImmutableList<ImageId> finished) {
  /** Data of {@code image} removed from {@code store}. */
  public record Removed(ImageId image, StoreId store) {}
}
