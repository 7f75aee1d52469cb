/**
 * Quotas: {@link dev.imagegov.quota.Quotas}, the group {@link
 * dev.imagegov.ImageGovernance#quotas()} returns (usage reports), and the limits the other use
 * cases enforce.
 *
 * <p>Start with {@link dev.imagegov.quota.Quotas#usage}, which answers a {@link
 * dev.imagegov.quota.UsageReport}. To configure limits: {@code user_storage_quota} in Glance's
 * grammar ({@link dev.imagegov.quota.StorageQuota}), or unified limits ({@link
 * dev.imagegov.quota.UnifiedLimit}) from a {@link dev.imagegov.quota.LimitSource} such as {@link
 * dev.imagegov.quota.StaticLimits} (registered defaults with per-project overrides). For admins,
 * {@link dev.imagegov.quota.Quotas#recommend} proposes limits that cannot exhaust a store
 * ({@link dev.imagegov.quota.QuotaRecommendation}, aimed by a {@link
 * dev.imagegov.quota.QuotaPolicy}).
 *
 * <h2>Rules owned here</h2>
 *
 * <ul>
 *   <li>Which limit applies to each resource, and Glance's 413 answer when it would be exceeded
 *       ({@code dev.imagegov.quota.internal.QuotaRules}): unified limits when a source is
 *       configured, else {@code user_storage_quota} for stored bytes and nothing for the rest.
 *   <li>What an image charges its owner ({@link dev.imagegov.quota.ImageUsage}): storage is
 *       charged to the image's owner, size times locations. Usage and reservations are recorded
 *       in the usage port {@link dev.imagegov.spi.usage.UsageStore}, their one owner; work in
 *       progress holds reservations, so concurrent uploads never overshoot a limit.
 *   <li>Who may read a project's usage: its members and admins.
 *   <li>The quota recommendation's arithmetic (package-private {@code Recommender}): the limits
 *       split the least usable store by weight, in whole MiB. Which projects' limits count is
 *       {@code dev.imagegov.quota.internal.LimitedProjects}, shared with the reports.
 * </ul>
 *
 * <p>{@code QuotaRules} and its {@code Charge} live in the non-API sub-package {@code
 * dev.imagegov.quota.internal}, so that the kernel and the use cases of other packages reserve
 * through them without their being API.
 */
@NullMarked
package dev.imagegov.quota;

import org.jspecify.annotations.NullMarked;
