package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import java.time.Instant;

/** An image was created; {@code image} is its committed state. */
public record ImageCreated(Caller caller, ImageId imageId, Instant at, Image image)
    implements GovernanceEvent {}
