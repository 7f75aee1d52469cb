package dev.imagegov.access;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@link IsolationOracle#glanceRules()}: Glance's sharing rules as a table over an image's fields
 * and a caller's roles, written without the policy engine, the target or the check pipelines so
 * that it can judge them. The rows, for a caller of project P (secure-RBAC defaults, {@code
 * glance/policies/image.py}; by-id visibility, {@code glance/db/utils.py is_image_visible}):
 *
 * <ul>
 *   <li><b>seen by id</b>: admin; the image has no owner; public; community; P owns it; shared
 *       and P is a member of any status.
 *   <li><b>member</b> (imagegov's hierarchical sharing and expiry): a member row counts while it
 *       has not expired. P is a member with its own status when it has a direct row (one that
 *       answers no group). Otherwise call the groups of P those projects above P (parents, nearest
 *       first, then the domain, as the tenancy says now) that have a direct row: with none, P is
 *       no member (a stored answer of a project moved out of the subtree grants nothing); P's
 *       stored answer counts when the group it answers is one of them; else P holds the nearest
 *       group's offer unanswered (pending, or accepted when unanswered offers count as such).
 *   <li><b>get</b>: seen by id, and admin or a reader such that P owns the image or it is public,
 *       community or shared.
 *   <li><b>list</b> (the default list): get, a reader of P, not hidden, not obsolete, not killed;
 *       and community only when P owns it, otherwise admin, public, owned, or shared with P's
 *       membership accepted.
 *   <li><b>boot</b>: get, the member role (P owns it, or public, community, shared), and not
 *       deactivated nor obsolete unless admin; with strict consent, a member of a shared image
 *       boots it only when its membership is accepted.
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
  public Optional<String> justify(
      Caller caller, Image image, IsolationAction action, Context context) {
    Roles r = new Roles(caller);
    Held held = image.visibility() == Visibility.SHARED
        ? caller.project().map(p -> held(p, image, context)).orElse(null)
        : null;
    Optional<String> seen = seenBecause(r, caller, image, held);
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
        return get && listed(r, image, owner, held) ? seen : Optional.empty();
      case BOOT:
        boolean download = r.admin || (r.member && (owner || open));
        boolean state = r.admin
            || (image.status() != ImageStatus.DEACTIVATED && !obsolete(image));
        // Strict consent: a member (not the owner, not an admin, of an owned shared image) boots
        // only an image it accepted.
        boolean consent = !context.strictConsent() || r.admin || owner || image.owner().isEmpty()
            || v != Visibility.SHARED || held == null || held.status == MemberStatus.ACCEPTED;
        return get && download && state && consent ? seen : Optional.empty();
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
  private static Optional<String> seenBecause(
      Roles r, Caller caller, Image image, @Nullable Held held) {
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
    if (held != null) {
      return Optional.of("member (" + held.status.wireName() + ") of a shared image"
          + held.via.map(g -> ", via " + g + " above the project").orElse(""));
    }
    return Optional.empty();
  }

  /** A membership as the member rule finds it: its status and the group it comes through. */
  private record Held(MemberStatus status, Optional<ProjectId> via) {}

  /** The member row of the table, for project {@code p} of a shared image; null for none. */
  private static @Nullable Held held(ProjectId p, Image image, Context context) {
    Map<ProjectId, Member> rows = image.members();
    Member own = counting(rows.get(p), context);
    if (own != null && own.via().isEmpty()) {
      return new Held(own.status(), Optional.empty());
    }
    List<ProjectId> groups = new ArrayList<>();
    for (ProjectId above : context.tenancy().lineage(p)) {
      Member row = counting(rows.get(above), context);
      if (row != null && row.via().isEmpty()) {
        groups.add(above);
      }
    }
    if (groups.isEmpty()) {
      return null;
    }
    if (own != null && groups.contains(own.via().get())) {
      return new Held(own.status(), own.via());
    }
    return new Held(context.unanswered(), Optional.of(groups.get(0)));
  }

  /** {@code row} if it exists and has not expired at the context's instant, else null. */
  private static @Nullable Member counting(@Nullable Member row, Context context) {
    return row == null || row.expiresAt().filter(end -> !end.isAfter(context.at())).isPresent()
        ? null
        : row;
  }

  private static boolean listed(Roles r, Image image, boolean owner, @Nullable Held held) {
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
        return r.admin || owner || (held != null && held.status == MemberStatus.ACCEPTED);
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
