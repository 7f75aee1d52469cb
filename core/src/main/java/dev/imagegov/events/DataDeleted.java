package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import java.time.Instant;

/** Data of an image was removed from a store (image delete, delete from a store, scrub). */
public record DataDeleted(Caller caller, ImageId imageId, Instant at, StoreId store)
    implements GovernanceEvent {}
