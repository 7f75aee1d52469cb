package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import java.time.Instant;

/** The owner (or an admin) removed a membership. */
public record MemberRemoved(Caller caller, ImageId imageId, Instant at, Member member)
    implements GovernanceEvent {}
