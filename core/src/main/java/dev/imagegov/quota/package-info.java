/**
 * Quotas: Glance's legacy {@code user_storage_quota} grammar ({@link
 * dev.imagegov.quota.StorageQuota}), the unified limits ({@link dev.imagegov.quota.UnifiedLimit})
 * from a {@link dev.imagegov.quota.LimitSource} ({@link dev.imagegov.quota.StaticLimits} for
 * registered defaults with per-project overrides), the {@link dev.imagegov.quota.UsageLedger}
 * that charges storage to image owners and holds reservations so concurrent uploads never
 * overshoot a limit, and the {@link dev.imagegov.quota.UsageReport}.
 */
@NullMarked
package dev.imagegov.quota;

import org.jspecify.annotations.NullMarked;
