package dev.imagegov.access;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.Optional;

/**
 * {@link IsolationOracle#glanceRules()}: Glance's sharing rules as a table over an image's fields
 * and a caller's roles, written without the policy engine, the target or the check pipelines so
 * that it can judge them. The rows, for a caller of project P (secure-RBAC defaults, {@code
 * glance/policies/image.py}; by-id visibility, {@code glance/db/utils.py is_image_visible}):
 *
 * <ul>
 *   <li><b>seen by id</b>: admin; the image has no owner; public; community; P owns it; shared
 *       and P is a member of any status.
 *   <li><b>get</b>: seen by id, and admin or a reader such that P owns the image or it is public,
 *       community or shared.
 *   <li><b>list</b> (the default list): get, a reader of P, not hidden, not obsolete, not killed;
 *       and community only when P owns it, otherwise admin, public, owned, or shared with P's
 *       membership accepted.
 *   <li><b>boot</b>: get, the member role (P owns it, or public, community, shared), and not
 *       deactivated nor obsolete unless admin.
 *   <li><b>list members</b>: get, shared, and admin or a reader of the owner or of a member.
 *   <li><b>change</b>: seen by id, and admin or the member role in the owning project.
 * </ul>
 */
final class GlanceSharingRules implements IsolationOracle {
  static final GlanceSharingRules INSTANCE = new GlanceSharingRules();

  /** imagegov's lifecycle state property and the value that refuses a new launch. */
  private static final String LIFECYCLE_STATE = "imagegov_lifecycle_state";
  private static final String OBSOLETE = "obsolete";

  private GlanceSharingRules() {}

  @Override
  public String name() {
    return "glance-rules";
  }

  @Override
  public Optional<String> justify(Caller caller, Image image, IsolationAction action) {
    Roles r = new Roles(caller);
    Optional<String> seen = seenBecause(r, caller, image);
    if (seen.isEmpty() || image.status().isDeleted()) {
      return Optional.empty();
    }
    boolean owner = owns(caller, image);
    Visibility v = image.visibility();
    boolean open = v != Visibility.PRIVATE;
    boolean get = r.admin || (r.reader && (owner || open));
    switch (action) {
      case GET:
        return get ? seen : Optional.empty();
      case LIST:
        return get && listed(r, caller, image, owner) ? seen : Optional.empty();
      case BOOT:
        boolean download = r.admin || (r.member && (owner || open));
        boolean state = r.admin
            || (image.status() != ImageStatus.DEACTIVATED && !obsolete(image));
        return get && download && state ? seen : Optional.empty();
      case LIST_MEMBERS:
        boolean members = r.admin || (r.reader && (owner || v == Visibility.SHARED));
        return get && v == Visibility.SHARED && members ? seen : Optional.empty();
      case CHANGE:
        return r.admin || (r.member && owner) ? seen : Optional.empty();
      default:
        throw new AssertionError(action);
    }
  }

  /** The by-id visibility clause that lets the caller see the image, in words. */
  private static Optional<String> seenBecause(Roles r, Caller caller, Image image) {
    if (r.admin) {
      return Optional.of("admin");
    }
    if (image.owner().isEmpty()) {
      return Optional.of("unowned image");
    }
    switch (image.visibility()) {
      case PUBLIC:
        return Optional.of("public image");
      case COMMUNITY:
        return Optional.of("community image");
      default:
        break;
    }
    if (owns(caller, image)) {
      return Optional.of("owner");
    }
    Optional<Member> row = caller.project().map(p -> image.members().get(p));
    if (image.visibility() == Visibility.SHARED && row.isPresent()) {
      return Optional.of("member (" + row.get().status().wireName() + ") of a shared image");
    }
    return Optional.empty();
  }

  private static boolean listed(Roles r, Caller caller, Image image, boolean owner) {
    if (!r.reader || image.osHidden() || obsolete(image)
        || image.status() == ImageStatus.KILLED) {
      return false;
    }
    switch (image.visibility()) {
      case COMMUNITY:
        return owner;
      case PUBLIC:
        return true;
      case SHARED:
        return r.admin || owner || caller.project()
            .map(p -> image.members().get(p))
            .filter(m -> m.status() == MemberStatus.ACCEPTED)
            .isPresent();
      default:
        return r.admin || owner;
    }
  }

  private static boolean owns(Caller caller, Image image) {
    Optional<ProjectId> owner = image.owner();
    return owner.isPresent() && caller.isIn(owner.get());
  }

  private static boolean obsolete(Image image) {
    return OBSOLETE.equals(image.properties().get(LIFECYCLE_STATE));
  }

  /** The caller's roles with Keystone's implications: admin, then member, then reader. */
  private static final class Roles {
    final boolean admin;
    final boolean member;
    final boolean reader;

    Roles(Caller caller) {
      this.admin = caller.roles().contains("admin");
      this.member = admin || caller.roles().contains("member");
      this.reader = member || caller.roles().contains("reader");
    }
  }
}
