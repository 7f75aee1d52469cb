package dev.imagegov.spi.usage;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A committed change of one project's usage: stored bytes per store, staged bytes, live images and
 * uploads in progress, each positive (more), negative (less) or zero. Core computes it from an
 * image change (its rules say what an image contributes); a {@link UsageStore} only adds it up.
 *
 * @param project the project charged
 * @param storedByStore the change of stored bytes in each store (no zero entries)
 * @param stagedBytes the change of staged bytes
 * @param images the change of live images
 * @param uploads the change of uploads in progress
 */
public record UsageDelta(
    ProjectId project,
    ImmutableMap<StoreId, Long> storedByStore,
    long stagedBytes,
    long images,
    long uploads) {
  /**
   * Checks the arguments.
   *
   * @param images the change in images counted against the project
   * @param project the project whose usage changes
   * @param stagedBytes the change in bytes staged for import
   * @param storedByStore the change in stored bytes, per blob store
   * @param uploads the change in uploads in progress
   */
  public UsageDelta {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(storedByStore, "storedByStore");
    if (storedByStore.containsValue(0L)) {
      throw new IllegalArgumentException("a zero per-store change must be left out");
    }
  }

  /**
   * {@return no change for {@code project}}
   *
   * @param project the project the change is for
   */
  public static UsageDelta none(ProjectId project) {
    return new UsageDelta(project, ImmutableMap.of(), 0, 0, 0);
  }

  /**
   * {@return the change of {@code kind} (for stored bytes, the sum over stores)}
   *
   * @param kind the kind of usage (bytes stored, bytes staged, uploads, images)
   */
  public long amount(UsageKind kind) {
    switch (kind) {
      case STORED_BYTES:
        return storedByStore.values().stream().mapToLong(Long::longValue).sum();
      case STAGED_BYTES:
        return stagedBytes;
      case IMAGES:
        return images;
      default:
        return uploads;
    }
  }

  /**
   * How much of {@code held} (what a reservation holds of {@code kind}) settling this change
   * converts into committed usage: as much of this change's increase of {@code kind} as {@code
   * held} covers, nothing for a decrease (the rule of {@link UsageStore.Reservation#settle}).
   *
   * @param kind the kind of usage
   * @param held what the reservation holds of {@code kind}
   * @return the amount that becomes committed usage, 0 for a decrease
   */
  public long converts(UsageKind kind, long held) {
    return Math.min(held, Math.max(0, amount(kind)));
  }

  /**
   * Checks that a reservation of {@code charged} may settle this change.
   *
   * @param charged the project the reservation charges
   * @throws IllegalArgumentException if this change is of another project
   */
  public void requireProject(ProjectId charged) {
    if (!project.equals(charged)) {
      throw new IllegalArgumentException(
          "a reservation of " + charged + " cannot settle a change of " + project);
    }
  }

  /** {@return whether this changes nothing} */
  public boolean isZero() {
    return storedByStore.isEmpty() && stagedBytes == 0 && images == 0 && uploads == 0;
  }

  /**
   * This change followed by {@code other}, of the same project.
   *
   * @param other a later change of the same project
   * @return the sum of both changes, kind by kind and store by store
   */
  public UsageDelta plus(UsageDelta other) {
    if (!project.equals(other.project)) {
      throw new IllegalArgumentException(
          "cannot add changes of two projects: " + project + ", " + other.project);
    }
    Map<StoreId, Long> stored = new TreeMap<>(storedByStore);
    other.storedByStore.forEach((s, n) -> stored.merge(s, n, Long::sum));
    stored.values().removeIf(n -> n == 0);
    return new UsageDelta(
        project,
        ImmutableMap.copyOf(stored),
        stagedBytes + other.stagedBytes,
        images + other.images,
        uploads + other.uploads);
  }
}
