/**
 * Catalog hygiene and capacity: {@link dev.imagegov.report.Reports}, the admin-only group
 * {@code ImageGovernance.reports()} returns.
 *
 * <p>Start with {@link dev.imagegov.report.Reports#hygiene}, which judges the catalog by a
 * {@link dev.imagegov.report.HygieneRequest} (the tenancy directory, the producer projects, the
 * periods, the {@link dev.imagegov.report.LastUse} instants) and answers a {@link
 * dev.imagegov.report.HygieneReport} of {@link dev.imagegov.report.Finding}s; {@link
 * dev.imagegov.report.Reports#plan} and {@link dev.imagegov.report.Reports#apply} turn it into a
 * {@link dev.imagegov.report.CleanupPlan} and perform it (dry run and real run one function);
 * {@link dev.imagegov.report.Reports#capacity} reports store capacity and overcommit; {@link
 * dev.imagegov.report.Reports#reconcile} compares the usage port with the catalog and repairs
 * it; {@link dev.imagegov.report.Reports#whatIf} shows what a {@link dev.imagegov.report.WhatIf}
 * change would do to every project's headroom and every store's free bytes, changing nothing.
 * Every result renders as JSON ({@code toJson}) and Markdown ({@code toMarkdown}), through the
 * one renderer {@code dev.imagegov.internal.Render}. Quota recommendations are the quota group's
 * ({@link dev.imagegov.quota.Quotas#recommend}).
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>The finding kinds ({@link dev.imagegov.report.FindingKind}), each decided in one place,
 *       and the classification of stored data (referenced, being written, awaiting the scrubber,
 *       stray) that the report and the cleanup's re-checks share.
 *   <li>Which finding a cleanup acts on and how; that no cleanup touches a protected or in-use
 *       image; that an action whose subject changed since the plan is refused.
 *   <li>The capacity rules ({@link dev.imagegov.report.CapacityRule}).
 *   <li>Reconciliation compares committed usage, recomputed with the quota package's {@link
 *       dev.imagegov.quota.ImageUsage} rules (the ones every commit records by), and open
 *       reservations with the work in progress the catalog shows.
 *   <li>The what-if rules: a copy charges its owner once more, a limit change moves no byte,
 *       duplicates are deleted as the cleanup plan would delete them.
 * </ul>
 */
@NullMarked
package dev.imagegov.report;

import org.jspecify.annotations.NullMarked;
