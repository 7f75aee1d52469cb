package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.lifecycle.LifecycleState;
import dev.imagegov.model.ImageId;
import java.time.Instant;

/**
 * An image's lifecycle state changed ({@code dev.imagegov.lifecycle}); {@code cause} names what
 * moved it: {@code operation} for a direct call, {@code schedule} for {@code advance}, or {@code
 * plan:<rule>} for a retention plan's transition.
 */
public record LifecycleChanged(
    Caller caller,
    ImageId imageId,
    Instant at,
    LifecycleState from,
    LifecycleState to,
    String cause)
    implements GovernanceEvent {}
