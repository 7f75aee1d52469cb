package dev.imagegov.model;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import java.util.Objects;

/** A project (tenant) id: the owner of images and the member of shared images. Any non-empty string, as Glance does not validate project ids against Keystone. */
public final class ProjectId implements Comparable<ProjectId> {
  private final String value;

  private ProjectId(String value) {
    this.value = value;
  }

  /**
   * Wraps a raw value.
   *
   * @throws GovernanceException {@link ErrorCode#INVALID_VALUE} (400) if the value is empty
   * @throws NullPointerException if the value is null
   */
  public static ProjectId of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isEmpty()) {
      throw GovernanceException.of(ErrorCode.INVALID_VALUE, "ProjectId must not be empty.");
    }
    return new ProjectId(value);
  }

  /** The raw value, exactly as given. */
  public String value() {
    return value;
  }

  @Override
  public int compareTo(ProjectId other) {
    return value.compareTo(other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProjectId && (((ProjectId) o).value.equals(value));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
