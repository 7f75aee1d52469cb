package dev.imagegov.spi.usage;

/** The quantities a {@link UsageStore} counts per project, committed and reserved. */
public enum UsageKind {
  /** Bytes stored in final stores: an image's size once per location. */
  STORED_BYTES,
  /** Bytes staged, or being copied between stores. */
  STAGED_BYTES,
  /** Live images (not deleted). */
  IMAGES,
  /** Images whose data is being written. */
  UPLOADS
}
