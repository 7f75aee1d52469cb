package dev.imagegov.model;

/** A project (tenant) id: the owner of images and the member of shared images. Any non-empty string, as Glance does not validate project ids against Keystone. */
public final class ProjectId extends TextId<ProjectId> {
  private ProjectId(String value) {
    super(value, "ProjectId");
  }

  /**
   * Wraps a raw value.
   *
   * @param value the project id as the identity service issues it; not blank
   * @return the id wrapping {@code value}
   * @throws dev.imagegov.error.GovernanceException {@code INVALID_VALUE} (400) if the value is empty
   * @throws NullPointerException if the value is null
   */
  public static ProjectId of(String value) {
    return new ProjectId(value);
  }
}
