package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import java.time.Instant;

/**
 * A committed change, delivered to every {@link GovernanceListener} after the catalog accepted
 * it (like Glance's notifications). Events are immutable; each names the caller who made the
 * change, the image, and when it happened. A failed operation emits nothing.
 */
public sealed interface GovernanceEvent
    permits ImageCreated,
        ImageUpdated,
        ImageDeleted,
        ImageRestored,
        VisibilityChanged,
        StatusChanged,
        MemberAdded,
        MemberStatusChanged,
        MemberRemoved,
        DataUploaded,
        DataDeleted,
        LifecycleChanged {
  /** {@return who made the change} */
  Caller caller();

  /** {@return the image changed} */
  ImageId imageId();

  /** {@return when the change was committed (from the governance clock)} */
  Instant at();
}
