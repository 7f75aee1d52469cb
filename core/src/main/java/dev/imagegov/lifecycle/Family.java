package dev.imagegov.lifecycle;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.model.ProjectId;
import java.util.Objects;

/**
 * A family of image versions: owner-scoped, so two projects' families of the same name never mix
 * (no project can slip an image into another's family). Stored on each version as {@code
 * imagegov_lifecycle_family}; the owner is the image's owner.
 *
 * @param owner the project that owns every version of the family
 * @param name the family's name: 1 to 255 characters, no 4-byte characters
 */
public record Family(ProjectId owner, String name) {
  /**
   * Validates the family.
   *
   * @param owner the project whose namespace holds the family
   * @param name the family name, 1 to 255 characters
   * @throws GovernanceException 400 {@code INVALID_LIFECYCLE_VALUE} for an empty, too long or
   *     4-byte name
   */
  public Family {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()
        || name.length() > Attributes.MAX_TEXT
        || Attributes.hasFourByteChars(name)) {
      throw GovernanceException.of(RuleCode.INVALID_LIFECYCLE_VALUE,
          "A family name must have 1 to 255 characters and no 4-byte characters.");
    }
  }

  /**
   * {@return the family {@code name} of {@code owner}}
   *
   * @param owner the owner project's id
   * @param name the family name
   */
  public static Family of(String owner, String name) {
    return new Family(ProjectId.of(owner), name);
  }

  @Override
  public String toString() {
    return owner.value() + "/" + name;
  }
}
