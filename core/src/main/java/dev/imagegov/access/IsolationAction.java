package dev.imagegov.access;

/**
 * What isolation verification ({@link Access#verifyIsolation}) asks about each (project, image)
 * pair: the five things a consumer project can do with an image that another project owns.
 */
public enum IsolationAction {
  /** Show the image by id ({@code GET /v2/images/{id}}: by-id visibility, {@code get_image}). */
  GET("get"),
  /** See the image in its default list ({@code GET /v2/images} without parameters). */
  LIST("list"),
  /** Boot the image: download its data for a new launch ({@code download_image}). */
  BOOT("boot"),
  /** List the image's members ({@code get_members}; shared images only). */
  LIST_MEMBERS("list_members"),
  /** Change the image's metadata ({@code modify_image} and the owner-or-admin check). */
  CHANGE("change");

  private final String wireName;

  IsolationAction(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the name reports use: {@code get}, {@code list}, {@code boot}, ...} */
  public String wireName() {
    return wireName;
  }
}
