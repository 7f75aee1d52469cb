package dev.imagegov.report;

/**
 * What a hygiene {@link Finding} is about. Each kind names its rule ({@link #rule()}, as the
 * renderings show it) and whether a {@link CleanupPlan} acts on it ({@link #cleanup()}).
 */
public enum FindingKind {
  /** An image whose owner the tenancy directory does not know. */
  ORPHANED("orphaned", CleanupStep.NONE),
  /**
   * An active or deactivated image with the same {@code os_hash_value} as an older image of the
   * same owner (the one kept: protected or in-use images first, then the oldest).
   */
  DUPLICATE_IN_OWNER("duplicate-in-owner", CleanupStep.DELETE_IMAGE),
  /**
   * The kept image of one owner whose content another owner's kept image already holds: across
   * owners, for the operator to consolidate (no plan deletes another project's image).
   */
  DUPLICATE_ACROSS_OWNERS("duplicate-across-owners", CleanupStep.NONE),
  /**
   * An active image not in use (per the usage port), with no use for the stale period (per the
   * last-used instants, else since its creation), and no accepted member.
   */
  STALE("stale", CleanupStep.DEACTIVATE_IMAGE),
  /** A membership pending for longer than the period. */
  MEMBER_PENDING("member-pending", CleanupStep.NONE),
  /** A {@code shared} image with no member: nobody but its owner can use it. */
  SHARED_WITHOUT_MEMBERS("shared-without-members", CleanupStep.NONE),
  /** A {@code public} or {@code community} image owned by a project that is not a producer. */
  PUBLIC_NOT_PRODUCER("public-not-producer", CleanupStep.NONE),
  /**
   * An image left {@code queued}, {@code saving}, {@code uploading}, {@code importing} or {@code
   * killed} for longer than the period.
   */
  STUCK("stuck", CleanupStep.DELETE_IMAGE),
  /** Data of a {@code pending_delete} image waiting for the scrubber. */
  AWAITING_SCRUB("awaiting-scrub", CleanupStep.NONE),
  /** Staged data no uploading, importing or copying image owns. */
  STAGING_LEFTOVER("staging-leftover", CleanupStep.DELETE_STAGED),
  /** A blob in a store that no image's location references (and no scrub will remove). */
  UNREFERENCED_BLOB("unreferenced-blob", CleanupStep.DELETE_BLOB),
  /** A location whose store holds no blob for it (or whose store is not enabled). */
  MISSING_BLOB("missing-blob", CleanupStep.NONE);

  private final String rule;
  private final CleanupStep cleanup;

  FindingKind(String rule, CleanupStep cleanup) {
    this.rule = rule;
    this.cleanup = cleanup;
  }

  /** {@return the rule's name, as JSON and Markdown show it} */
  public String rule() {
    return rule;
  }

  /** {@return what a cleanup plan does about a finding of this kind ({@code NONE}: report only)} */
  public CleanupStep cleanup() {
    return cleanup;
  }
}
