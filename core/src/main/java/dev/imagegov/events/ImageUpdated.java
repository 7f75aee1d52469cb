package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import java.time.Instant;

/** An image's metadata changed; {@code before} and {@code after} are the committed states. */
public record ImageUpdated(Caller caller, ImageId imageId, Instant at, Image before, Image after)
    implements GovernanceEvent {}
