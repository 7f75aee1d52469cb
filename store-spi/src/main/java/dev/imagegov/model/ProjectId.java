package dev.imagegov.model;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

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
    ProjectId known = KNOWN.get(Objects.requireNonNull(value, "value"));
    if (known != null) {
      return known;
    }
    ProjectId id = new ProjectId(value);
    if (KNOWN.size() < KEPT) {
      ProjectId first = KNOWN.putIfAbsent(value, id);
      return first != null ? first : id;
    }
    return id;
  }

  /**
   * The ids made so far, by text, so that each project of a cloud (a few hundred or thousand, each
   * named by every image and membership it holds) is one object: a catalog holds one copy of each
   * name, and comparing a caller's project with an owner or a member is most often a comparison
   * of references. Project names come from tokens, so at most {@value #KEPT} are kept; an id made
   * beyond them is a fresh object, equal to any other with its text.
   */
  private static final ConcurrentHashMap<String, ProjectId> KNOWN = new ConcurrentHashMap<>();

  private static final int KEPT = 65_536;
}
