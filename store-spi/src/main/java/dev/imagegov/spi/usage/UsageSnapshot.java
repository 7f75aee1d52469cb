package dev.imagegov.spi.usage;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.Objects;

/**
 * One project's usage at one moment, read in one step: what is committed (per kind, and stored
 * bytes per store) and what open reservations hold.
 *
 * @param project the project
 * @param storedByStore committed stored bytes per store (no zero entries)
 * @param stagedBytes committed staged bytes
 * @param images committed live images
 * @param uploads committed uploads in progress
 * @param reserved what open reservations hold, per kind (no zero entries)
 */
public record UsageSnapshot(
    ProjectId project,
    ImmutableMap<StoreId, Long> storedByStore,
    long stagedBytes,
    long images,
    long uploads,
    ImmutableMap<UsageKind, Long> reserved) {
  /**
   * Checks the arguments.
   *
   * @param images the images committed to the project
   * @param project the project the snapshot is of
   * @param reserved what open reservations hold, per kind
   * @param stagedBytes the committed staged bytes
   * @param storedByStore the committed stored bytes, per blob store
   * @param uploads the committed uploads in progress
   */
  public UsageSnapshot {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(storedByStore, "storedByStore");
    Objects.requireNonNull(reserved, "reserved");
  }

  /**
   * {@return nothing committed or reserved for {@code project}}
   *
   * @param project the project the snapshot is of
   */
  public static UsageSnapshot empty(ProjectId project) {
    return new UsageSnapshot(project, ImmutableMap.of(), 0, 0, 0, ImmutableMap.of());
  }

  /** {@return committed stored bytes over every store} */
  public long storedBytes() {
    return storedByStore.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * {@return what is committed of {@code kind}}
   *
   * @param kind the kind of usage (bytes stored, bytes staged, uploads, images)
   */
  public long committed(UsageKind kind) {
    switch (kind) {
      case STORED_BYTES:
        return storedBytes();
      case STAGED_BYTES:
        return stagedBytes;
      case IMAGES:
        return images;
      default:
        return uploads;
    }
  }

  /**
   * {@return what open reservations hold of {@code kind}}
   *
   * @param kind the kind of usage (bytes stored, bytes staged, uploads, images)
   */
  public long reserved(UsageKind kind) {
    return reserved.getOrDefault(kind, 0L);
  }

  /**
   * {@return committed plus reserved of {@code kind}: the figure a limit is checked against}
   *
   * @param kind the kind of usage (bytes stored, bytes staged, uploads, images)
   */
  public long usage(UsageKind kind) {
    return committed(kind) + reserved(kind);
  }
}
