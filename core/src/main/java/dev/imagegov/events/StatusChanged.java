package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import java.time.Instant;

/** An image's status changed (deactivate, reactivate, upload, import). */
public record StatusChanged(
    Caller caller, ImageId imageId, Instant at, ImageStatus from, ImageStatus to)
    implements GovernanceEvent {}
