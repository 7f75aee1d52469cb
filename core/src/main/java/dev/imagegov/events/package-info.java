/**
 * Events: a typed {@link dev.imagegov.events.GovernanceEvent} for every committed change,
 * delivered to {@link dev.imagegov.events.GovernanceListener}s.
 */
@NullMarked
package dev.imagegov.events;

import org.jspecify.annotations.NullMarked;
