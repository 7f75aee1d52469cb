/**
 * Events: a typed {@link dev.imagegov.events.GovernanceEvent} for every committed change,
 * delivered to {@link dev.imagegov.events.GovernanceListener}s.
 *
 * <p>Start with {@link dev.imagegov.events.GovernanceListener}, registered with {@code
 * ImageGovernance.builder().listener(...)}; the event types ({@link
 * dev.imagegov.events.ImageCreated}, {@link dev.imagegov.events.ImageUpdated}, {@link
 * dev.imagegov.events.StatusChanged}, {@link dev.imagegov.events.VisibilityChanged}, {@link
 * dev.imagegov.events.MemberAdded}, {@link dev.imagegov.events.DataUploaded}, {@link
 * dev.imagegov.events.LifecycleChanged}, …) name the caller,
 * the image and the time.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>The delivery contract: after the commit, synchronously, in commit order for one image; a
 *       listener that throws neither undoes the change nor stops delivery to the others.
 * </ul>
 */
@NullMarked
package dev.imagegov.events;

import org.jspecify.annotations.NullMarked;
