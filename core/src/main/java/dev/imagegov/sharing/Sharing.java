package dev.imagegov.sharing;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.MemberAdded;
import dev.imagegov.events.MemberRemoved;
import dev.imagegov.events.MemberStatusChanged;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.wire.PathIds;
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
  private final ActionChecks checks;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code sharing()}.
   *
   * @param engine the kernel that reads and writes the catalog and its members
   * @param config the governance configuration (legacy mode, member quota)
   */
  public Sharing(Engine engine, GovernanceConfig config) {
    this.engine = engine;
    this.checks = new ActionChecks(engine, config);
  }

  /**
   * Adds {@code memberProject} as a pending member (Glance's {@code POST .../members}, answered
   * 200).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param memberProject the member project's id
   * @return the new pending membership
   * @throws GovernanceException in this order: 400 for an empty or malformed member id; 404 if
   *     the caller cannot see the image; 403 if the image is not shared or {@code add_member}
   *     denies the caller; 413 over {@code image_member_quota} (checked before duplicates, as
   *     Glance does); 409 if already a member
   */
  public Member addMember(Caller caller, ImageId id, String memberProject) {
    return engine.metered("sharing.addMember", () -> addMemberUnmetered(caller, id, memberProject));
  }

  private Member addMemberUnmetered(Caller caller, ImageId id, String memberProject) {
    ActionArgs args = ActionArgs.member(memberProject);
    checks.beforeLookup(Action.ADD_MEMBER, caller, id, args);
    ProjectId member = ProjectId.of(memberProject);
    Instant now = engine.now();
    Engine.Committed c =
        engine
            .commit(
                caller,
                id,
                ActionChecks.notFoundMessage(Action.ADD_MEMBER, id),
                current -> {
                  checks.check(Action.ADD_MEMBER, caller, id, current, args);
                  Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
                  members.put(member, Member.pending(id, member, now));
                  return Optional.of(current.toBuilder().members(members).build());
                },
                done -> List.of(new MemberAdded(caller, id, now, done.after().members().get(member))))
            .orElseThrow();
    return c.after().members().get(member);
  }

  /**
   * {@return same as {@link #addMember(Caller, ImageId, String)} with a typed project}
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param memberProject the member: the project the image is shared with
   */
  public Member addMember(Caller caller, ImageId id, ProjectId memberProject) {
    return engine.metered("sharing.addMember", () -> addMemberUnmetered(caller, id, memberProject));
  }

  private Member addMemberUnmetered(Caller caller, ImageId id, ProjectId memberProject) {
    return addMember(caller, id, memberProject.value());
  }

  /**
   * Sets a membership's status (Glance's {@code PUT .../members/{member}}). Only the member
   * itself may do it (or an admin); the owner never may. Any status may follow any other; the
   * same status again is a no-op.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param memberProject the member: the project the image is shared with
   * @param status the new status
   * @return the membership as updated
   * @throws GovernanceException 404 if the caller cannot see the image; 403 if it is not shared;
   *     404 if the membership does not exist or the caller may not see it; 403 if {@code
   *     modify_member} denies the caller (the owner, a reader-only member), in this order
   */
  public Member updateMemberStatus(
      Caller caller, ImageId id, ProjectId memberProject, MemberStatus status) {
    return engine.metered("sharing.updateMemberStatus", () ->
        updateMemberStatusUnmetered(caller, id, memberProject, status));
  }

  private Member updateMemberStatusUnmetered(
      Caller caller, ImageId id, ProjectId memberProject, MemberStatus status) {
    return updateMemberStatus(caller, id, memberProject, status.wireName());
  }

  /**
   * Sets a membership's status from its wire name. The checks run in Glance's order: image
   * lookup (404), image shared (403), the membership exists and is visible to the caller (404),
   * {@code modify_member} (403), and last the status value (400).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param memberProject the member: the project the image is shared with
   * @param status the new status's wire name ({@code accepted}, ...)
   * @return the membership as updated
   * @throws GovernanceException as {@link #updateMemberStatus(Caller, ImageId, ProjectId,
   *     MemberStatus)}, then 400 if {@code status} is not pending, accepted or rejected
   */
  public Member updateMemberStatus(
      Caller caller, ImageId id, ProjectId memberProject, String status) {
    return engine.metered("sharing.updateMemberStatus", () ->
        updateMemberStatusUnmetered(caller, id, memberProject, status));
  }

  private Member updateMemberStatusUnmetered(
      Caller caller, ImageId id, ProjectId memberProject, String status) {
    ActionArgs args = ActionArgs.memberStatus(memberProject, status);
    Instant now = engine.now();
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            ActionChecks.notFoundMessage(Action.UPDATE_MEMBER_STATUS, id),
            current -> {
              checks.check(Action.UPDATE_MEMBER_STATUS, caller, id, current, args);
              MemberStatus target = MemberStatus.fromWireName(status).orElseThrow();
              Member row = current.members().get(memberProject);
              if (row.status() == target) {
                return Optional.empty();
              }
              Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
              members.put(memberProject, row.withStatus(target, now));
              return Optional.of(current.toBuilder().members(members).build());
            },
            c -> List.of(new MemberStatusChanged(caller, id, now, memberProject,
                c.before().members().get(memberProject).status(),
                c.after().members().get(memberProject).status())));
    if (done.isEmpty()) {
      return getMember(caller, id, memberProject);
    }
    return done.get().after().members().get(memberProject);
  }

  /**
   * Removes a membership (Glance's {@code DELETE .../members/{member}}); re-adding the project
   * later starts again at pending.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param memberProject the member: the project the image is shared with
   * @throws GovernanceException in this order (Glance's): 404 if the caller cannot see the image;
   *     403 if it is not shared; 404 if the membership does not exist or the caller may not see
   *     it; 403 if {@code delete_member} denies the caller (a member cannot remove itself)
   */
  public void removeMember(Caller caller, ImageId id, ProjectId memberProject) {
    engine.meteredRun("sharing.removeMember", () ->
        removeMemberUnmetered(caller, id, memberProject));
  }

  private void removeMemberUnmetered(Caller caller, ImageId id, ProjectId memberProject) {
    ActionArgs args = ActionArgs.member(memberProject);
    engine
            .commit(
                caller,
                id,
                ActionChecks.notFoundMessage(Action.REMOVE_MEMBER, id),
                current -> {
                  checks.check(Action.REMOVE_MEMBER, caller, id, current, args);
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
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @return the memberships the caller may see (Glance's {@code GET .../members}): all of them for
   *     the owner and admins, only its own for a member
   * @throws GovernanceException 404 if the caller cannot see the image; 403 if it is not shared
   *     or {@code get_members} denies a caller who can see it
   */
  public List<Member> listMembers(Caller caller, ImageId id) {
    return engine.metered("sharing.listMembers", () -> listMembersUnmetered(caller, id));
  }

  private List<Member> listMembersUnmetered(Caller caller, ImageId id) {
    Image image =
        checks.check(Action.LIST_MEMBERS, caller, id, engine.lookup(id).orElse(null),
            ActionArgs.defaults());
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
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param memberProject the member: the project the image is shared with
   * @return one membership (Glance's {@code GET .../members/{member}})
   * @throws GovernanceException 404 if the image is invisible or not shared, the caller may not
   *     see that membership, or it does not exist
   */
  public Member getMember(Caller caller, ImageId id, ProjectId memberProject) {
    return engine.metered("sharing.getMember", () -> getMemberUnmetered(caller, id, memberProject));
  }

  private Member getMemberUnmetered(Caller caller, ImageId id, ProjectId memberProject) {
    Image image =
        checks.check(Action.GET_MEMBER, caller, id, engine.lookup(id).orElse(null),
            ActionArgs.member(memberProject));
    return image.members().get(memberProject);
  }

  // -------------------------------------------------------------------- ids as text

  /**
   * {@link #addMember(Caller, ImageId, String)} with the ids as text, as a request path carries
   * them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param newMember the new member's project id, as in the request body
   * @return as {@link #addMember(Caller, ImageId, String)}
   * @throws dev.imagegov.error.GovernanceException as {@link #addMember(Caller, ImageId, String)},
   *     and 404 for a malformed id
   */
  public Member addMember(Caller caller, String id, String newMember) {
    return engine.metered("sharing.addMember", () ->
        addMember(caller, dev.imagegov.wire.PathIds.image(id), newMember));
  }

  /**
   * {@link #updateMemberStatus(Caller, ImageId, ProjectId, String)} with the ids as text, as a
   * request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param memberProject the member's project id as text (a path segment); the empty one is 404
   *     {@code MEMBER_NOT_FOUND}
   * @param status the new status's wire name
   * @return as {@link #updateMemberStatus(Caller, ImageId, ProjectId, String)}
   * @throws dev.imagegov.error.GovernanceException as {@link #updateMemberStatus(Caller, ImageId,
   *     ProjectId, String)}, and 404 for a malformed id
   */
  public Member updateMemberStatus(Caller caller, String id, String memberProject, String status) {
    return engine.metered("sharing.updateMemberStatus", () ->
        updateMemberStatus(caller, PathIds.image(id),
            PathIds.member(memberProject), status));
  }

  /**
   * {@link #removeMember(Caller, ImageId, ProjectId)} with the ids as text, as a request path
   * carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param memberProject the member's project id as text (a path segment); the empty one is 404
   *     {@code MEMBER_NOT_FOUND}
   * @throws dev.imagegov.error.GovernanceException as {@link #removeMember(Caller, ImageId,
   *     ProjectId)}, and 404 for a malformed id
   */
  public void removeMember(Caller caller, String id, String memberProject) {
    engine.meteredRun("sharing.removeMember", () ->
        removeMember(caller, PathIds.image(id),
            PathIds.member(memberProject)));
  }

  /**
   * {@link #listMembers(Caller, ImageId)} with the ids as text, as a request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @return as {@link #listMembers(Caller, ImageId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #listMembers(Caller, ImageId)}, and
   *     404 for a malformed id
   */
  public List<Member> listMembers(Caller caller, String id) {
    return engine.metered("sharing.listMembers", () ->
        listMembers(caller, dev.imagegov.wire.PathIds.image(id)));
  }

  /**
   * {@link #getMember(Caller, ImageId, ProjectId)} with the ids as text, as a request path carries
   * them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param memberProject the member's project id as text (a path segment); the empty one is 404
   *     {@code MEMBER_NOT_FOUND}
   * @return as {@link #getMember(Caller, ImageId, ProjectId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #getMember(Caller, ImageId,
   *     ProjectId)}, and 404 for a malformed id
   */
  public Member getMember(Caller caller, String id, String memberProject) {
    return engine.metered("sharing.getMember", () -> {
      if (!ImageId.isValid(id)) {
        throw ActionChecks.memberNotFound(memberProject, id);
      }
      return getMember(caller, ImageId.of(id), PathIds.member(memberProject));
    });
  }
}
