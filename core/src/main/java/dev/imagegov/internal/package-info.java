/**
 * Internal to imagegov, not API: the machinery every use case shares. Public only so that the
 * concern packages ({@code image}, {@code sharing}, {@code data}, {@code quota}, {@code access})
 * and the root builder can use one implementation; anything here may change or disappear in any
 * release without notice.
 *
 * <p>Start with {@link dev.imagegov.internal.Engine}: the catalog, configuration, clock, policy,
 * stores and listeners of one governance.
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Glance's by-id visibility predicate ({@link
 *       dev.imagegov.internal.Engine#visibleBecause}) and its Forbidden-becomes-NotFound
 *       enforcement of a rule ({@link dev.imagegov.internal.Engine#enforce}).
 *   <li>The hard mutate check: only an admin or the owner changes an image ({@link
 *       dev.imagegov.internal.Engine#checkMutable}).
 *   <li>The compare-and-set retry loop with usage accounting ({@link
 *       dev.imagegov.internal.Engine#update}), event delivery after commit with contained
 *       listener failures ({@link dev.imagegov.internal.Engine#publish}), and the caller's view
 *       of an image ({@link dev.imagegov.internal.Engine#viewFor}: properties it may not read
 *       and other projects' memberships removed).
 *   <li>The wiring of the data paths ({@link dev.imagegov.internal.ImportServices}), the import
 *       task registry ({@link dev.imagegov.internal.ImportTasks}) and the default in-heap
 *       staging store ({@link dev.imagegov.internal.StagingArea}).
 * </ul>
 */
@NullMarked
package dev.imagegov.internal;

import org.jspecify.annotations.NullMarked;
