package dev.imagegov.quota;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.OptionalLong;

/**
 * A project's consumption (Glance's {@code GET /v2/info/usage}, extended): live images, stored
 * bytes in total and per store (size times locations, charged to the owner), bytes staged or
 * being copied, uploads in progress, and each limit in force with its usage and headroom, keyed
 * by resource name ({@code image_size_total}, … or {@code user_storage_quota}).
 */
public record UsageReport(
    ProjectId project,
    long imageCount,
    long storedBytes,
    ImmutableMap<StoreId, Long> storedBytesByStore,
    long stagedBytes,
    long uploadsInProgress,
    ImmutableMap<String, Limit> limits) {

  /**
   * One limit: usage (including reservations) and limit in the resource's unit (MiB or images
   * for unified limits, bytes for {@code user_storage_quota}); an empty limit and headroom mean
   * unlimited.
   */
  public record Limit(String resource, long usage, OptionalLong limit, OptionalLong headroom) {
    /**
     * {@return a limit with its headroom computed (never negative)}
     *
     * @param resource the resource's name, as Glance reports it
     * @param usage the usage counted against the limit
     * @param limit the limit; negative for unlimited
     */
    public static Limit of(String resource, long usage, long limit) {
      if (limit < 0) {
        return new Limit(resource, usage, OptionalLong.empty(), OptionalLong.empty());
      }
      return new Limit(
          resource, usage, OptionalLong.of(limit), OptionalLong.of(Math.max(0, limit - usage)));
    }
  }
}
