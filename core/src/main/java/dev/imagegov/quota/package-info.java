/**
 * Quotas: Glance's legacy {@code user_storage_quota} grammar ({@link
 * dev.imagegov.quota.StorageQuota}), the unified limits ({@link dev.imagegov.quota.UnifiedLimit})
 * from a {@link dev.imagegov.quota.LimitSource} ({@link dev.imagegov.quota.StaticLimits} for
 * registered defaults with per-project overrides), {@link dev.imagegov.quota.ImageUsage} (what an
 * image charges its owner, recorded in the usage port {@link dev.imagegov.spi.usage.UsageStore},
 * whose reservations keep concurrent uploads from overshooting a limit), and the {@link
 * dev.imagegov.quota.UsageReport}.
 */
@NullMarked
package dev.imagegov.quota;

import org.jspecify.annotations.NullMarked;
