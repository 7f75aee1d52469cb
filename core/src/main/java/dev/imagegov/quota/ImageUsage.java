package dev.imagegov.quota;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.usage.UsageDelta;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What an image contributes to its owner's usage (Glance's usage definitions), and so what a
 * committed image change records in the {@link dev.imagegov.spi.usage.UsageStore}. Everything is
 * charged to the image's owner; an unowned image is charged to no one.
 *
 * <ul>
 *   <li>A live image (any status but deleted or pending delete) counts as one image.
 *   <li>An image that is neither killed nor deleted stores its size once per location (per
 *       store).
 *   <li>An image that is {@code uploading} or {@code importing}, or being copied to more stores
 *       (a non-empty {@code os_glance_importing_to_stores}), counts its size as staged bytes and
 *       itself as one upload in progress. A classic upload ({@code saving}) is counted by its
 *       reservation while it runs.
 * </ul>
 */
public final class ImageUsage {
  private ImageUsage() {}

  /** The property naming the stores an import or copy is writing to. */
  static final String IMPORTING_TO_STORES = "os_glance_importing_to_stores";

  /**
   * The usage changes of replacing {@code before} by {@code after} (either may be null, for an
   * insert or a delete), one per project concerned, leaving out projects whose usage does not
   * change.
   *
   * @param before the image before the change
   * @param after the image after the change
   * @return the usage changes of replacing {@code before} by {@code after} (either may be null, for
   *     an insert or a delete), one per project concerned, leaving out projects whose usage does
   *     not change
   */
  public static List<UsageDelta> change(@Nullable Image before, @Nullable Image after) {
    if (before == null || after == null) {
      // One side only (an insert, a delete, or a whole-catalog recount): one contribution, so
      // no per-project merge; whole-catalog work calls this for every image.
      UsageDelta d = contribution(before == null ? after : before, before == null ? 1 : -1);
      return d == null || d.isZero() ? List.of() : List.of(d);
    }
    if (sameContribution(before, after)) {
      // Most changes (a rename, a property, a member) move no usage: nothing to add up.
      return List.of();
    }
    Map<ProjectId, UsageDelta> deltas = new LinkedHashMap<>();
    contribute(deltas, before, -1);
    contribute(deltas, after, 1);
    List<UsageDelta> changes = new ArrayList<>();
    for (UsageDelta d : deltas.values()) {
      if (!d.isZero()) {
        changes.add(d);
      }
    }
    return changes;
  }

  private static void contribute(
      Map<ProjectId, UsageDelta> deltas, @Nullable Image image, int sign) {
    UsageDelta d = contribution(image, sign);
    if (d != null) {
      deltas.merge(d.project(), d, UsageDelta::plus);
    }
  }

  /** What {@code image} adds ({@code sign} 1) or takes away (-1); null if it charges no one. */
  private static @Nullable UsageDelta contribution(@Nullable Image image, int sign) {
    if (image == null || image.status().isDeleted()) {
      return null;
    }
    Optional<ProjectId> owner = image.owner();
    if (owner.isEmpty()) {
      return null;
    }
    long size = image.size().orElse(0);
    long staged = 0;
    long uploads = 0;
    ImmutableMap<StoreId, Long> stored = ImmutableMap.of();
    if (image.status() != ImageStatus.KILLED) {
      if (isInFlight(image)) {
        staged = sign * size;
        uploads = sign;
      }
      List<Location> locations = image.locations();
      if (size != 0 && locations.size() == 1) {
        stored = ImmutableMap.of(locations.get(0).store(), sign * size);
      } else if (size != 0 && !locations.isEmpty()) {
        Map<StoreId, Long> byStore = new TreeMap<>();
        for (Location l : locations) {
          byStore.merge(l.store(), sign * size, Long::sum);
        }
        stored = ImmutableMap.copyOf(byStore);
      }
    }
    return new UsageDelta(owner.get(), stored, staged, sign, uploads);
  }

  /**
   * Whether two images contribute the same usage to the same project: the same status, owner,
   * size, locations and stores being copied to, everything {@link #contribution} reads.
   */
  private static boolean sameContribution(Image a, Image b) {
    return a.status() == b.status()
        && a.owner().equals(b.owner())
        && a.size().equals(b.size())
        && a.locations().equals(b.locations())
        && a.properties().getOrDefault(IMPORTING_TO_STORES, "")
            .equals(b.properties().getOrDefault(IMPORTING_TO_STORES, ""));
  }

  /**
   * Whether the image counts as staged and uploading between calls (Glance's {@code
   * image_stage_total} and {@code image_count_uploading}): it is {@code uploading} or {@code
   * importing}, or a live image being copied (a non-empty {@code os_glance_importing_to_stores}).
   */
  static boolean isInFlight(Image image) {
    return image.status() == ImageStatus.UPLOADING
        || image.status() == ImageStatus.IMPORTING
        || !image.properties().getOrDefault(IMPORTING_TO_STORES, "").isEmpty();
  }
}
