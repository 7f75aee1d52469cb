package dev.imagegov.quota;

import dev.imagegov.model.ProjectId;

/**
 * Where unified limits come from (Keystone's registered and project limits in Glance). Setting a
 * source in the configuration turns unified limits on, which also turns {@code
 * user_storage_quota} off, as {@code use_keystone_limits} does.
 *
 * <p>Implementations answer quickly and are safe for concurrent use; {@link StaticLimits} is one.
 */
@FunctionalInterface
public interface LimitSource {
  /**
   * The limit of {@code resource} for {@code project}, in the resource's unit (MiB or images);
   * negative means unlimited. A resource with no registered limit is 0, as in Glance.
   *
   * @param project the project whose limit is asked
   * @param resource the limited resource
   * @return the limit of {@code resource} for {@code project}, in the resource's unit (MiB or
   *     images); negative means unlimited
   */
  long limit(ProjectId project, UnifiedLimit resource);
}
