package dev.imagegov.access;

/** Which clause of Glance's by-id visibility predicate lets a caller see an image, if any. */
public enum VisibilityReason {
  /** The caller is an admin ({@code context_is_admin}). */
  ADMIN("the caller is an admin (context_is_admin)"),
  /** The image has no owner: Glance shows unowned images to everybody by id. */
  UNOWNED("the image has no owner"),
  /** The image is public. */
  PUBLIC("the image is public"),
  /** The image is community. */
  COMMUNITY("the image is community"),
  /** The caller's project owns the image. */
  OWNER("the caller's project owns the image"),
  /**
   * The image is shared and the caller's project is a member (any status), directly or through a
   * parent project or domain above it (hierarchical sharing).
   */
  MEMBER("the image is shared and the caller's project is a member (any status), directly or"
      + " through a parent project or domain above it"),
  /** None of the above: the image does not exist for this caller. */
  INVISIBLE("no clause applies: the image is invisible to the caller");

  private final String description;

  VisibilityReason(String description) {
    this.description = description;
  }

  /** {@return a readable sentence} */
  public String description() {
    return description;
  }

  /** {@return whether the caller can see the image by id} */
  public boolean visible() {
    return this != INVISIBLE;
  }
}
