package dev.imagegov.events;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import java.time.Instant;

/** A project became a (pending) member of a shared image. */
public record MemberAdded(Caller caller, ImageId imageId, Instant at, Member member)
    implements GovernanceEvent {}
