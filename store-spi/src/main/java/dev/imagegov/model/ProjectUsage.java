package dev.imagegov.model;

import org.immutables.value.Value;

/**
 * A project's consumption as the catalog counts it: the live (not deleted) images it owns and
 * the sum of their sizes. Stores keep it in step with every insert, update and delete.
 */
@Value.Immutable
public abstract class ProjectUsage {
  /** Live images owned. */
  public abstract long imageCount();

  /** Sum of the sizes of live images owned, in bytes (images without data count 0). */
  public abstract long totalSize();

  /** No usage. */
  public static ProjectUsage zero() {
    return of(0, 0);
  }

  /** A usage. */
  public static ProjectUsage of(long imageCount, long totalSize) {
    return ImmutableProjectUsage.builder().imageCount(imageCount).totalSize(totalSize).build();
  }

  /** This usage plus {@code other}. */
  public ProjectUsage plus(ProjectUsage other) {
    return of(imageCount() + other.imageCount(), totalSize() + other.totalSize());
  }

  /** This usage minus {@code other}. */
  public ProjectUsage minus(ProjectUsage other) {
    return of(imageCount() - other.imageCount(), totalSize() - other.totalSize());
  }
}
