package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import java.time.Instant;

/** A member changed its own membership status. */
public record MemberStatusChanged(
    Caller caller,
    ImageId imageId,
    Instant at,
    ProjectId member,
    MemberStatus from,
    MemberStatus to)
    implements GovernanceEvent {}
