package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import java.time.Instant;

/**
 * A {@code pending_delete} image was restored (Glance's {@code glance-scrubber --restore}); {@code
 * image} is its committed state, live again as it was when deleted.
 *
 * @param caller who restored it: its owner or an admin
 * @param imageId the restored image
 * @param at when it was restored
 * @param image the image as restored
 */
public record ImageRestored(Caller caller, ImageId imageId, Instant at, Image image)
    implements GovernanceEvent {}
