package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import java.time.Instant;

/** An image's visibility changed (members are untouched). */
public record VisibilityChanged(
    Caller caller, ImageId imageId, Instant at, Visibility from, Visibility to)
    implements GovernanceEvent {}
