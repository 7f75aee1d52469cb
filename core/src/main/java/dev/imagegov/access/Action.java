package dev.imagegov.access;


/**
 * An action on an existing image whose decision {@link Access#explain} can explain. Each has one
 * check pipeline ({@code access.internal.ActionChecks}) that the operation and {@code explain}
 * both run.
 */
public enum Action {
  /** Get the image by id ({@code get_image}). */
  GET(Rules.GET_IMAGE),
  /** Download (boot) the image's data ({@code download_image}; refused while deactivated). */
  DOWNLOAD(Rules.DOWNLOAD_IMAGE),
  /** Change the image's metadata ({@code modify_image}). */
  MODIFY(Rules.MODIFY_IMAGE),
  /** Make the image public ({@code publicize_image}). */
  PUBLICIZE(Rules.PUBLICIZE_IMAGE),
  /** Make the image community ({@code communitize_image}). */
  COMMUNITIZE(Rules.COMMUNITIZE_IMAGE),
  /** Delete the image ({@code delete_image}; refused while protected). */
  DELETE(Rules.DELETE_IMAGE),
  /** Deactivate the image ({@code deactivate}). */
  DEACTIVATE(Rules.DEACTIVATE),
  /** Reactivate the image ({@code reactivate}). */
  REACTIVATE(Rules.REACTIVATE),
  /** Add a member ({@code add_member}; shared images only). */
  ADD_MEMBER(Rules.ADD_MEMBER),
  /** Remove a member ({@code delete_member}; shared images only). */
  REMOVE_MEMBER(Rules.DELETE_MEMBER),
  /** Change one's own membership status ({@code modify_member}; shared images only). */
  UPDATE_MEMBER_STATUS(Rules.MODIFY_MEMBER),
  /** List the image's members ({@code get_members}; shared images only). */
  LIST_MEMBERS(Rules.GET_MEMBERS),
  /** Show one membership ({@code get_member}; shared images only; every refusal is a 404). */
  GET_MEMBER(Rules.GET_MEMBER),
  /**
   * Restore a {@code pending_delete} image ({@code lifecycle().restore}, Glance's {@code
   * glance-scrubber --restore}): governed by {@code delete_image}, since who may not delete an
   * image may not undo its deletion either.
   */
  RESTORE(Rules.DELETE_IMAGE);

  private final String rule;

  Action(String rule) {
    this.rule = rule;
  }

  /** {@return the policy rule that governs this action} */
  public String rule() {
    return rule;
  }
}
