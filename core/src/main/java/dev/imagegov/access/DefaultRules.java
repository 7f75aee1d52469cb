package dev.imagegov.access;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.util.Map;
import java.util.Set;

/**
 * Glance Zed's built-in rules: the new (secure RBAC) check strings, and the legacy variant that
 * oslo.policy enforces when {@code enforce_new_defaults} is off.
 */
final class DefaultRules {
  static final String ADMIN = "role:admin";
  static final String PROJECT_MEMBER = "role:member and project_id:%(project_id)s";
  static final String PROJECT_READER = "role:reader and project_id:%(project_id)s";
  static final String IMAGE_MEMBER = "project_id:%(member_id)s";
  static final String OPEN_VISIBILITIES =
      "'community':%(visibility)s or 'public':%(visibility)s or 'shared':%(visibility)s";

  static final String ADMIN_OR_PROJECT_MEMBER = ADMIN + " or (" + PROJECT_MEMBER + ")";
  static final String ADMIN_OR_PROJECT_READER = ADMIN + " or (" + PROJECT_READER + ")";
  static final String ADMIN_OR_CREATOR =
      ADMIN + " or (" + PROJECT_MEMBER + " and project_id:%(owner)s)";
  static final String ADMIN_OR_READER_WHO_MAY_SEE =
      ADMIN
          + " or (role:reader and (project_id:%(project_id)s or "
          + IMAGE_MEMBER
          + " or "
          + OPEN_VISIBILITIES
          + "))";
  static final String ADMIN_OR_MEMBER_WHO_MAY_SEE =
      ADMIN
          + " or (role:member and (project_id:%(project_id)s or "
          + IMAGE_MEMBER
          + " or "
          + OPEN_VISIBILITIES
          + "))";
  static final String ADMIN_OR_READER_OF_OWNER_OR_MEMBER =
      ADMIN + " or role:reader and (project_id:%(project_id)s or " + IMAGE_MEMBER + ")";
  static final String ADMIN_OR_SHARED_MEMBER = ADMIN + " or (role:member and " + IMAGE_MEMBER + ")";

  /** Rules whose Zed default carries a deprecated rule, with that deprecated check string. */
  private static final ImmutableMap<String, String> DEPRECATED =
      ImmutableMap.<String, String>builder()
          .put(Rules.ADD_IMAGE, "rule:default")
          .put(Rules.DELETE_IMAGE, "rule:default")
          .put(Rules.GET_IMAGE, "rule:default")
          .put(Rules.GET_IMAGES, "rule:default")
          .put(Rules.MODIFY_IMAGE, "rule:default")
          .put(Rules.COMMUNITIZE_IMAGE, "rule:default")
          .put(Rules.DOWNLOAD_IMAGE, "rule:default")
          .put(Rules.UPLOAD_IMAGE, "rule:default")
          .put(Rules.DELETE_IMAGE_LOCATION, "rule:default")
          .put(Rules.GET_IMAGE_LOCATION, "rule:default")
          .put(Rules.SET_IMAGE_LOCATION, "rule:default")
          .put(Rules.ADD_MEMBER, "rule:default")
          .put(Rules.DELETE_MEMBER, "rule:default")
          .put(Rules.GET_MEMBER, "rule:default")
          .put(Rules.GET_MEMBERS, "rule:default")
          .put(Rules.MODIFY_MEMBER, "rule:default")
          .put(Rules.DEACTIVATE, "rule:default")
          .put(Rules.REACTIVATE, "rule:default")
          .put(Rules.CACHE_IMAGE, "rule:manage_image_cache")
          .put(Rules.CACHE_LIST, "rule:manage_image_cache")
          .put(Rules.CACHE_DELETE, "rule:manage_image_cache")
          .buildOrThrow();

  /** Keystone's default implied roles: admin implies member, member implies reader. */
  static final ImmutableMap<String, Set<String>> IMPLIED_ROLES =
      ImmutableMap.of("admin", ImmutableSet.of("member"), "member", ImmutableSet.of("reader"));

  private DefaultRules() {}

  /** The new defaults, as Glance enforces them with {@code enforce_new_defaults = True}. */
  static ImmutableMap<String, String> secure() {
    return ImmutableMap.<String, String>builder()
        .put(Rules.DEFAULT, "")
        .put(Rules.CONTEXT_IS_ADMIN, ADMIN)
        .put(Rules.ADD_IMAGE, ADMIN_OR_CREATOR)
        .put(Rules.DELETE_IMAGE, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.GET_IMAGE, ADMIN_OR_READER_WHO_MAY_SEE)
        .put(Rules.GET_IMAGES, ADMIN_OR_PROJECT_READER)
        .put(Rules.MODIFY_IMAGE, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.PUBLICIZE_IMAGE, ADMIN)
        .put(Rules.COMMUNITIZE_IMAGE, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.DOWNLOAD_IMAGE, ADMIN_OR_MEMBER_WHO_MAY_SEE)
        .put(Rules.UPLOAD_IMAGE, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.DELETE_IMAGE_LOCATION, ADMIN)
        .put(Rules.GET_IMAGE_LOCATION, ADMIN_OR_PROJECT_READER)
        .put(Rules.SET_IMAGE_LOCATION, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.ADD_MEMBER, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.DELETE_MEMBER, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.GET_MEMBER, ADMIN_OR_READER_OF_OWNER_OR_MEMBER)
        .put(Rules.GET_MEMBERS, ADMIN_OR_READER_OF_OWNER_OR_MEMBER)
        .put(Rules.MODIFY_MEMBER, ADMIN_OR_SHARED_MEMBER)
        .put(Rules.MANAGE_IMAGE_CACHE, ADMIN)
        .put(Rules.CACHE_IMAGE, ADMIN)
        .put(Rules.CACHE_LIST, ADMIN)
        .put(Rules.CACHE_DELETE, ADMIN)
        .put(Rules.DEACTIVATE, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.REACTIVATE, ADMIN_OR_PROJECT_MEMBER)
        .put(Rules.COPY_IMAGE, ADMIN)
        .put(Rules.STORES_INFO_DETAIL, ADMIN)
        .put(Rules.TASKS_API_ACCESS, ADMIN)
        .put(Rules.GET_TASK, "rule:default")
        .put(Rules.GET_TASKS, "rule:default")
        .put(Rules.ADD_TASK, "rule:default")
        .put(Rules.MODIFY_TASK, "rule:default")
        .buildOrThrow();
  }

  /**
   * The legacy defaults: oslo.policy with {@code enforce_new_defaults = False} enforces a rule that
   * has a deprecated rule as {@code (new) or (deprecated)}; the deprecated check of Glance's image
   * rules is {@code rule:default}, and {@code default} is {@code ""}, so those rules allow anyone.
   * Rules without a deprecated rule ({@code publicize_image}, {@code copy_image}, {@code
   * manage_image_cache}, {@code stores_info_detail}, {@code tasks_api_access}) stay as strict.
   */
  static ImmutableMap<String, String> legacy() {
    ImmutableMap.Builder<String, String> out = ImmutableMap.builder();
    for (Map.Entry<String, String> e : secure().entrySet()) {
      String deprecated = DEPRECATED.get(e.getKey());
      out.put(
          e.getKey(),
          deprecated == null ? e.getValue() : "(" + e.getValue() + ") or (" + deprecated + ")");
    }
    return out.buildOrThrow();
  }
}
