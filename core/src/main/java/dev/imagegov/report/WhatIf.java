package dev.imagegov.report;

import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.Objects;

/**
 * A change whose effect {@link Reports#whatIf} computes without making it: copy an image to a
 * store, set a project's storage limit, or delete the duplicates a hygiene report found.
 */
public sealed interface WhatIf permits WhatIf.CopyImage, WhatIf.SetLimit, WhatIf.DeleteDuplicates {
  /**
   * copy-image of {@code image} to {@code store}: the owner is charged its size once more and
   * the store holds it.
   *
   * @param image the image copied (active, not yet in the store)
   * @param store the enabled store it is copied to
   */
  record CopyImage(ImageId image, StoreId store) implements WhatIf {
    /**
     * Checks that every component is present.
     *
     * @param image the image copied
     * @param store the store it is copied to
     */
    public CopyImage {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(store, "store");
    }
  }

  /**
   * {@code project}'s storage limit raised (or lowered) to {@code bytes}: its headroom and the
   * sum of limits every store is measured against change; no byte moves.
   *
   * @param project the project
   * @param bytes the new storage limit in bytes; -1 for none
   */
  record SetLimit(ProjectId project, long bytes) implements WhatIf {
    /**
     * Checks that the project is present.
     *
     * @param project the project
     * @param bytes the new storage limit in bytes; -1 for none
     */
    public SetLimit {
      Objects.requireNonNull(project, "project");
    }
  }

  /**
   * Deletion of the duplicates within owners that {@code report} found, as the cleanup plan
   * would do it (so protected and in-use images are left alone).
   *
   * @param report the hygiene report whose duplicates are deleted
   */
  record DeleteDuplicates(HygieneReport report) implements WhatIf {
    /**
     * Checks that the report is present.
     *
     * @param report the hygiene report whose duplicates are deleted
     */
    public DeleteDuplicates {
      Objects.requireNonNull(report, "report");
    }
  }

  /** {@return the change in words, as the renderings show it} */
  default String describe() {
    if (this instanceof CopyImage c) {
      return "copy image " + c.image() + " to store " + c.store();
    }
    if (this instanceof SetLimit s) {
      return "set the storage limit of " + s.project() + " to "
          + (s.bytes() < 0 ? "none" : s.bytes() + " bytes");
    }
    return "delete the duplicates within owners of the hygiene report at "
        + ((DeleteDuplicates) this).report().at();
  }
}
