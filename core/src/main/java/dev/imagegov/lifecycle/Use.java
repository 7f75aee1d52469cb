package dev.imagegov.lifecycle;

/**
 * The kind of use a download (boot) is for: an obsolete image is refused for a {@link
 * #NEW_LAUNCH} (except to admins) and still served for an {@link #EXISTING_INSTANCE}.
 */
public enum Use {
  /** A new instance or volume is created from the image (the default of every check). */
  NEW_LAUNCH,
  /**
   * An instance or volume that already uses the image (a rebuild, a migration, a re-fetch on a new
   * host). When the {@link ImageUsage} port reports every use ({@link ImageUsage#knowsAll()}), it
   * must report a use by the caller's project.
   */
  EXISTING_INSTANCE
}
