package dev.imagegov.access;

/**
 * The names of the policy rules Glance enforces (and {@link Policy#secureDefaults()} defines),
 * as constants, so callers never misspell one. The names are Glance's, so an operator's existing
 * {@code policy.yaml} overrides the same rules.
 */
public final class Rules {
  /** Fallback rule that rules referencing {@code rule:default} use; allows anyone by default. */
  public static final String DEFAULT = "default";
  /** Whether a caller is an administrator (Glance's {@code is_admin}); {@code role:admin}. */
  public static final String CONTEXT_IS_ADMIN = "context_is_admin";

  /** Create an image (POST /v2/images). */
  public static final String ADD_IMAGE = "add_image";
  /** Show an image; also filters lists. */
  public static final String GET_IMAGE = "get_image";
  /** List images (a gate; the target is the caller's own project). */
  public static final String GET_IMAGES = "get_images";
  /** Update an image (PATCH, tags, stage, import other than copy). */
  public static final String MODIFY_IMAGE = "modify_image";
  /** Make an image public. */
  public static final String PUBLICIZE_IMAGE = "publicize_image";
  /** Make an image community. */
  public static final String COMMUNITIZE_IMAGE = "communitize_image";
  /** Delete an image. */
  public static final String DELETE_IMAGE = "delete_image";
  /** Upload image data. */
  public static final String UPLOAD_IMAGE = "upload_image";
  /** Download image data. */
  public static final String DOWNLOAD_IMAGE = "download_image";
  /** Deactivate an image. */
  public static final String DEACTIVATE = "deactivate";
  /** Reactivate an image. */
  public static final String REACTIVATE = "reactivate";
  /** Copy an image to other stores (import method copy-image). */
  public static final String COPY_IMAGE = "copy_image";

  /** Read an image's locations. */
  public static final String GET_IMAGE_LOCATION = "get_image_location";
  /** Add or replace an image's locations. */
  public static final String SET_IMAGE_LOCATION = "set_image_location";
  /** Remove an image's locations, or delete its data from one store. */
  public static final String DELETE_IMAGE_LOCATION = "delete_image_location";

  /** Add a member to a shared image. */
  public static final String ADD_MEMBER = "add_member";
  /** Remove a member. */
  public static final String DELETE_MEMBER = "delete_member";
  /** Show one member. */
  public static final String GET_MEMBER = "get_member";
  /** List members. */
  public static final String GET_MEMBERS = "get_members";
  /** Change a member's status. */
  public static final String MODIFY_MEMBER = "modify_member";

  /** Manage the image cache (legacy umbrella rule). */
  public static final String MANAGE_IMAGE_CACHE = "manage_image_cache";
  /** Queue an image for caching. */
  public static final String CACHE_IMAGE = "cache_image";
  /** List the cache. */
  public static final String CACHE_LIST = "cache_list";
  /** Delete from the cache. */
  public static final String CACHE_DELETE = "cache_delete";

  /** See store details (GET /v2/info/stores/detail). */
  public static final String STORES_INFO_DETAIL = "stores_info_detail";

  /** Use the tasks API at all. */
  public static final String TASKS_API_ACCESS = "tasks_api_access";
  /** Show a task. */
  public static final String GET_TASK = "get_task";
  /** List tasks. */
  public static final String GET_TASKS = "get_tasks";
  /** Create a task (also used internally by import). */
  public static final String ADD_TASK = "add_task";
  /** Modify a task (never enforced by Glance's API). */
  public static final String MODIFY_TASK = "modify_task";

  private Rules() {}
}
