package dev.imagegov.sharing;

import dev.imagegov.access.Caller;
import dev.imagegov.access.Rules;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.MemberAdded;
import dev.imagegov.events.MemberRemoved;
import dev.imagegov.events.MemberStatusChanged;
import dev.imagegov.image.Validation;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sharing use cases (Glance's image members API): the owner adds and removes members of a
 * shared image; only a member changes its own status among pending, accepted and rejected; the
 * owner and admins see every member, a member sees only itself, anyone else learns nothing.
 * Members exist only on shared images; on other visibilities their rows are dormant.
 */
public final class Sharing {
  private final Engine engine;

  /** Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code sharing()}. */
  public Sharing(Engine engine) {
    this.engine = engine;
  }

  /**
   * Adds {@code memberProject} as a pending member (Glance's {@code POST .../members}, answered
   * 200).
   *
   * @throws GovernanceException 400 for an empty or malformed member id; 404 if the caller cannot
   *     see the image; 403 if the image is not shared or {@code add_member} denies the caller; 413
   *     over {@code image_member_quota} (checked before duplicates, as Glance does); 409 if
   *     already a member
   */
  public Member addMember(Caller caller, ImageId id, String memberProject) {
    ProjectId member = memberId(memberProject);
    String message = Engine.noImage(id);
    Instant now = engine.now();
    Engine.Committed c =
        engine
            .commit(
                caller,
                id,
                message,
                current -> {
                  requireShared(current, "Not allowed to create members for image " + id + ".");
                  legacyOwnerOnly(caller, current, "You are not permitted to add members.");
                  engine.enforce(Rules.GET_IMAGE, caller, current, message);
                  engine.enforce(
                      Rules.ADD_MEMBER,
                      caller,
                      current,
                      "You are not authorized to add members to image " + id + ".");
                  Validation.quota(
                      ErrorCode.MEMBER_QUOTA_EXCEEDED,
                      "members",
                      current.members().size() + 1,
                      engine.config.imageMemberQuota(),
                      id);
                  if (current.members().containsKey(member)) {
                    throw GovernanceException.of(
                        ErrorCode.DUPLICATE_MEMBER,
                        "Member " + member + " is duplicated for image " + id);
                  }
                  Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
                  members.put(member, Member.pending(id, member, now));
                  return Optional.of(current.toBuilder().members(members).build());
                },
                done -> List.of(new MemberAdded(caller, id, now, done.after().members().get(member))))
            .orElseThrow();
    return c.after().members().get(member);
  }

  /** Same as {@link #addMember(Caller, ImageId, String)} with a typed project. */
  public Member addMember(Caller caller, ImageId id, ProjectId memberProject) {
    return addMember(caller, id, memberProject.value());
  }

  /**
   * Sets a membership's status (Glance's {@code PUT .../members/{member}}). Only the member
   * itself may do it (or an admin); the owner never may. Any status may follow any other; the
   * same status again is a no-op.
   *
   * @throws GovernanceException 404 if the caller cannot see the image or that membership; 403
   *     if {@code modify_member} denies the caller (the owner, a reader-only member) or the image
   *     is not shared
   */
  public Member updateMemberStatus(
      Caller caller, ImageId id, ProjectId memberProject, MemberStatus status) {
    String message = Engine.noImage(id);
    Instant now = engine.now();
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            message,
            current -> {
              Member row = visibleRowForUpdate(caller, current, memberProject);
              if (row.status() == status) {
                return Optional.empty();
              }
              Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
              members.put(memberProject, row.withStatus(status, now));
              return Optional.of(current.toBuilder().members(members).build());
            },
            c -> List.of(new MemberStatusChanged(caller, id, now, memberProject,
                c.before().members().get(memberProject).status(), status)));
    if (done.isEmpty()) {
      return getMember(caller, id, memberProject);
    }
    return done.get().after().members().get(memberProject);
  }

  /**
   * Sets a membership's status from its wire name.
   *
   * @throws GovernanceException 400 if {@code status} is not pending, accepted or rejected
   */
  public Member updateMemberStatus(
      Caller caller, ImageId id, ProjectId memberProject, String status) {
    MemberStatus parsed =
        MemberStatus.fromWireName(status)
            .orElseThrow(
                () ->
                    GovernanceException.of(
                        ErrorCode.INVALID_VALUE,
                        "Incorrect request: Status must be \"pending\", \"accepted\" or"
                            + " \"rejected\"."));
    return updateMemberStatus(caller, id, memberProject, parsed);
  }

  private Member visibleRowForUpdate(Caller caller, Image image, ProjectId memberProject) {
    boolean admin = engine.isAdmin(caller);
    boolean owner = caller.project().map(image::isOwnedBy).orElse(false);
    if (engine.config.legacyOwnershipChecks() && !admin && owner) {
      throw GovernanceException.of(
          ErrorCode.POLICY_DENIED,
          "You are not permitted to modify 'status' on this image member.");
    }
    requireShared(image, "Only shared images have members.");
    engine.enforce(Rules.GET_IMAGE, caller, image, Engine.noImage(image.id()));
    engine.enforce(
        Rules.MODIFY_MEMBER,
        caller,
        image,
        "You are not permitted to modify 'status' on this image member.");
    return visibleRow(caller, image, memberProject);
  }

  /** The membership row if the caller may see it: admins and owners all, members their own. */
  private Member visibleRow(Caller caller, Image image, ProjectId memberProject) {
    Member row = image.members().get(memberProject);
    boolean seesAll =
        engine.isAdmin(caller) || caller.project().map(image::isOwnedBy).orElse(false);
    if (row == null || !(seesAll || caller.isIn(memberProject))) {
      throw GovernanceException.of(
          ErrorCode.MEMBER_NOT_FOUND,
          "Member " + memberProject + " not found for image " + image.id() + ".");
    }
    return row;
  }

  /**
   * Removes a membership (Glance's {@code DELETE .../members/{member}}); re-adding the project
   * later starts again at pending.
   *
   * @throws GovernanceException 404 if the caller cannot see the image or the membership; 403 if
   *     the image is not shared or {@code delete_member} denies the caller (a member cannot
   *     remove itself)
   */
  public void removeMember(Caller caller, ImageId id, ProjectId memberProject) {
    String message = Engine.noImage(id);
    engine
            .commit(
                caller,
                id,
                message,
                current -> {
                  requireShared(current, "Only shared images have members.");
                  legacyOwnerOnly(caller, current, "You cannot delete image member.");
                  engine.enforce(Rules.GET_IMAGE, caller, current, message);
                  engine.enforce(
                      Rules.DELETE_MEMBER, caller, current, "You cannot delete image member.");
                  visibleRow(caller, current, memberProject);
                  Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
                  members.remove(memberProject);
                  return Optional.of(current.toBuilder().members(members).build());
                },
                done -> List.of(new MemberRemoved(caller, id, engine.now(),
                    done.before().members().get(memberProject))))
            .orElseThrow();
  }

  /**
   * The memberships the caller may see (Glance's {@code GET .../members}): all of them for the
   * owner and admins, only its own for a member.
   *
   * @throws GovernanceException 404 if the caller cannot see the image; 403 if it is not shared
   *     or {@code get_members} denies a caller who can see it
   */
  public List<Member> listMembers(Caller caller, ImageId id) {
    String message = Engine.noImage(id);
    Image image = engine.loadVisible(caller, id, message);
    requireShared(image, "Only shared images have members.");
    engine.enforce(Rules.GET_IMAGE, caller, image, message);
    engine.enforce(
        Rules.GET_MEMBERS, caller, image, "You are not authorized to list members of " + id + ".");
    boolean seesAll =
        engine.isAdmin(caller) || caller.project().map(image::isOwnedBy).orElse(false);
    List<Member> result = new ArrayList<>();
    for (Member m : image.members().values()) {
      if (seesAll || caller.isIn(m.project())) {
        result.add(m);
      }
    }
    return List.copyOf(result);
  }

  /**
   * One membership (Glance's {@code GET .../members/{member}}). Every failure is answered as not
   * found, so nothing leaks.
   *
   * @throws GovernanceException 404 if the image is invisible or not shared, the caller may not
   *     see that membership, or it does not exist
   */
  public Member getMember(Caller caller, ImageId id, ProjectId memberProject) {
    String message = Engine.noImage(id);
    try {
      Image image = engine.loadVisible(caller, id, message);
      requireShared(image, "Only shared images have members.");
      engine.enforce(Rules.GET_IMAGE, caller, image, message);
      engine.enforce(Rules.GET_MEMBER, caller, image, "not allowed");
      return visibleRow(caller, image, memberProject);
    } catch (GovernanceException e) {
      if (e.code() == ErrorCode.MEMBER_NOT_FOUND) {
        throw e;
      }
      throw GovernanceException.of(
          ErrorCode.MEMBER_NOT_FOUND,
          "Member " + memberProject + " not found for image " + id + ".");
    }
  }

  private static void requireShared(Image image, String message) {
    if (!image.visibility().canHaveMembers()) {
      throw GovernanceException.of(ErrorCode.NOT_SHARED, message);
    }
  }

  private void legacyOwnerOnly(Caller caller, Image image, String message) {
    if (engine.config.legacyOwnershipChecks()
        && !engine.isAdmin(caller)
        && !caller.project().map(image::isOwnedBy).orElse(false)) {
      throw GovernanceException.of(ErrorCode.POLICY_DENIED, message);
    }
  }

  private static ProjectId memberId(String raw) {
    if (raw.isEmpty()) {
      throw GovernanceException.of(ErrorCode.INVALID_VALUE, "Member can't be empty");
    }
    Validation.text("Member", raw, Validation.MAX_MEMBER_ID);
    return ProjectId.of(raw);
  }
}
