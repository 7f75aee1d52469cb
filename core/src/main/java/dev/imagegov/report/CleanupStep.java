package dev.imagegov.report;

/** What a {@link CleanupPlan} does to the subject of a finding. */
public enum CleanupStep {
  /** Nothing: the finding is for an operator to decide. */
  NONE,
  /** Deletes the image (Glance's delete: its data goes from every store). */
  DELETE_IMAGE,
  /** Deactivates the image (its data stays; an admin can reactivate it). */
  DEACTIVATE_IMAGE,
  /** Deletes the blob from its store. */
  DELETE_BLOB,
  /** Deletes the staged data from the staging store. */
  DELETE_STAGED
}
