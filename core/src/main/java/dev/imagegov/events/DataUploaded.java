package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import java.time.Instant;

/** Data of an image was written to a store (an upload, or a copy to another store). */
public record DataUploaded(
    Caller caller, ImageId imageId, Instant at, StoreId store, long size, String checksum)
    implements GovernanceEvent {}
