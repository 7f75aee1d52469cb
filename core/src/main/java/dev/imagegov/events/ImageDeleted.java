package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import java.time.Instant;

/**
 * An image was deleted; {@code image} is its last state, {@code finalStatus} deleted or
 * pending_delete.
 */
public record ImageDeleted(
    Caller caller, ImageId imageId, Instant at, Image image, ImageStatus finalStatus)
    implements GovernanceEvent {}
