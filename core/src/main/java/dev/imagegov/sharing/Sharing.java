package dev.imagegov.sharing;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.ImageUpdated;
import dev.imagegov.events.MemberAdded;
import dev.imagegov.events.MemberRemoved;
import dev.imagegov.events.MemberStatusChanged;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
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
 *
 * <p>Hierarchical sharing: when the tenancy directory knows projects below a member (it is a
 * parent project or a domain), every project below it is a member too, with its own status
 * (pending until it answers, or accepted when {@code group_members_accepted} is set), computed
 * from the directory at each call; the group counts once for {@code image_member_quota}; a
 * project's answer is kept as a row that names the group ({@link Member#via()}) and grants
 * nothing once the project leaves the group's subtree or the group is removed. Which ids are
 * groups is the directory's knowledge alone: a member id is a group exactly while the directory
 * has projects below it.
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
    return engine.metered(
        "sharing.addMember", () -> add(caller, id, memberProject, Optional.empty()));
  }

  /**
   * Adds {@code memberProject} as a pending member whose membership ends at {@code expiresAt}
   * (an imagegov extension): from that instant on the member is treated exactly as if it had been
   * removed (it no longer sees, lists, downloads or answers the share, and it counts no more
   * against {@code image_member_quota}); {@link #sweepExpired} removes the row.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param memberProject the member project's id
   * @param expiresAt when the membership ends; must be after now
   * @return the new pending membership
   * @throws GovernanceException as {@link #addMember(Caller, ImageId, String)}; then 400 {@code
   *     INVALID_VALUE} if {@code expiresAt} is not after the governance clock's now
   */
  public Member addMember(
      Caller caller, ImageId id, ProjectId memberProject, Instant expiresAt) {
    return engine.metered(
        "sharing.addMember", () -> add(caller, id, memberProject.value(), Optional.of(expiresAt)));
  }

  private Member add(
      Caller caller, ImageId id, String memberProject, Optional<Instant> expiresAt) {
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
                  expiresAt.ifPresent(at -> checkExpiry(at, now));
                  Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
                  members.put(member,
                      Member.pending(id, member, now).toBuilder().expiresAt(expiresAt).build());
                  return Optional.of(current.toBuilder().members(members).build());
                },
                done -> List.of(
                    new MemberAdded(caller, id, now, done.after().members().get(member))))
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
              // Directly, or the project's own answer to a group's offer (hierarchical sharing).
              Member row = engine.membershipOf(current, memberProject).orElseThrow();
              if (row.status() == target) {
                return Optional.empty();
              }
              Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
              members.put(memberProject, row.withStatus(target, now));
              return Optional.of(current.toBuilder().members(members).build());
            },
            c -> List.of(new MemberStatusChanged(caller, id, now, memberProject,
                engine.membershipOf(c.before(), memberProject).orElseThrow().status(),
                c.after().members().get(memberProject).status())));
    if (done.isEmpty()) {
      return getMember(caller, id, memberProject);
    }
    return done.get().after().members().get(memberProject);
  }

  /** An expiry must lie after now: a membership that ends before it starts is refused. */
  private static void checkExpiry(Instant expiresAt, Instant now) {
    if (!expiresAt.isAfter(now)) {
      throw GovernanceException.of(StoreErrorCode.INVALID_VALUE, "A membership's expiry must be"
          + " after now (" + now + "), not " + expiresAt + ".");
    }
  }

  /**
   * Sets or clears when a membership ends (an imagegov extension). Ending a membership is a
   * scheduled removal, so it needs exactly what {@link #removeMember} needs (the owner or an
   * admin, {@code delete_member}); an expired membership is no membership (404).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param memberProject the member: the project the image is shared with
   * @param expiresAt the new expiry (after now), or empty for a membership that never ends
   * @return the membership as updated
   * @throws GovernanceException as {@link #removeMember}; then 400 {@code INVALID_VALUE} for an
   *     expiry that is not after now
   */
  public Member setMemberExpiry(
      Caller caller, ImageId id, ProjectId memberProject, Optional<Instant> expiresAt) {
    return engine.metered("sharing.setMemberExpiry",
        () -> setMemberExpiryUnmetered(caller, id, memberProject, expiresAt));
  }

  private Member setMemberExpiryUnmetered(
      Caller caller, ImageId id, ProjectId memberProject, Optional<Instant> expiresAt) {
    ActionArgs args = ActionArgs.member(memberProject);
    Instant now = engine.now();
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            ActionChecks.notFoundMessage(Action.REMOVE_MEMBER, id),
            current -> {
              checks.check(Action.REMOVE_MEMBER, caller, id, current, args);
              expiresAt.ifPresent(at -> checkExpiry(at, now));
              Member row = current.members().get(memberProject);
              if (row.expiresAt().equals(expiresAt)) {
                return Optional.empty();
              }
              Map<ProjectId, Member> members = new LinkedHashMap<>(current.members());
              members.put(memberProject,
                  row.toBuilder().expiresAt(expiresAt).updatedAt(now).build());
              return Optional.of(current.toBuilder().members(members).build());
            },
            c -> List.of(new ImageUpdated(caller, id, now, c.before(), c.after())));
    return done.map(c -> c.after().members().get(memberProject))
        .orElseGet(() -> engine.lookup(id).orElseThrow().members().get(memberProject));
  }

  /**
   * Removes every membership that has expired, catalog-wide: each goes as a removal does, with a
   * {@code MemberRemoved} event naming {@code admin}. Expired memberships already behave as
   * removed; the sweep only drops their rows. An operator task, so only an admin may run it.
   *
   * @param admin who sweeps; must be an admin
   * @return the memberships removed, image by image
   * @throws GovernanceException 403 {@code POLICY_DENIED} for a caller who is not an admin
   */
  public List<Member> sweepExpired(Caller admin) {
    return engine.metered("sharing.sweepExpired", () -> sweepExpiredUnmetered(admin));
  }

  private List<Member> sweepExpiredUnmetered(Caller admin) {
    requireAdmin(admin, "sweep expired memberships");
    List<Member> removed = new ArrayList<>();
    for (ImageId id : engine.withExpiredMembers()) {
      removed.addAll(engine.dropExpired(admin, id));
    }
    return List.copyOf(removed);
  }

  /**
   * The shares offered and not answered for longer than {@code olderThan}: the pending
   * memberships of shared images whose last change is at least that old. Reads the whole
   * catalog once; an operator report, so only an admin may ask.
   *
   * @param admin who asks; must be an admin
   * @param olderThan how long an offer must have been pending to be reported (not negative)
   * @return the offers, oldest first (then by image and member id)
   * @throws GovernanceException 403 {@code POLICY_DENIED} for a caller who is not an admin; 400
   *     {@code INVALID_VALUE} for a negative period
   */
  public List<PendingOffer> pendingOffers(Caller admin, java.time.Duration olderThan) {
    return engine.metered("sharing.pendingOffers", () -> pendingOffersUnmetered(admin, olderThan));
  }

  private List<PendingOffer> pendingOffersUnmetered(Caller admin, java.time.Duration olderThan) {
    requireAdmin(admin, "read the pending offers");
    if (olderThan.isNegative()) {
      throw GovernanceException.of(StoreErrorCode.INVALID_VALUE,
          "The pending period must not be negative, not " + olderThan + ".");
    }
    Instant now = engine.now();
    List<PendingOffer> offers = new ArrayList<>();
    engine.forEach(image -> {
      if (image.visibility() != Visibility.SHARED || image.status().isDeleted()) {
        return;
      }
      for (Member m : image.members().values()) {
        java.time.Duration age = java.time.Duration.between(m.updatedAt(), now);
        if (m.status() == MemberStatus.PENDING && age.compareTo(olderThan) >= 0) {
          offers.add(new PendingOffer(image.id(), image.owner(), m.project(), m.updatedAt(), age));
        }
      }
    });
    offers.sort(java.util.Comparator.comparing(PendingOffer::pendingSince)
        .thenComparing(o -> o.image().value())
        .thenComparing(o -> o.member().value()));
    return List.copyOf(offers);
  }

  /**
   * Who can use an image, and why ({@link WhoCanUse}): for its owner or an admin, every project
   * that can see it by id (the owner; every project for a public, community or unowned image;
   * every admin; each member with its status and expiry) and whether a member-role user of that
   * project may download or boot it now, as the download check pipeline decides.
   *
   * @param caller who asks: the image's owner or an admin
   * @param id the image's id
   * @return who can use the image, and why
   * @throws GovernanceException 404 if the caller cannot see the image (nothing leaks); 403 {@code
   *     POLICY_DENIED} if it can but is neither the owner nor an admin
   */
  public WhoCanUse whoCanUse(Caller caller, ImageId id) {
    return engine.metered("sharing.whoCanUse", () -> whoCanUseUnmetered(caller, id));
  }

  private WhoCanUse whoCanUseUnmetered(Caller caller, ImageId id) {
    Image image = checks.check(Action.GET, caller, id, engine.lookup(id).orElse(null),
        ActionArgs.defaults());
    if (!engine.isAdmin(caller) && !caller.project().map(image::isOwnedBy).orElse(false)) {
      throw GovernanceException.of(RuleCode.POLICY_DENIED,
          "Only the owner or an admin may ask who can use image " + id + ".");
    }
    return UseAudit.of(engine, checks, image);
  }

  private void requireAdmin(Caller caller, String what) {
    if (!engine.isAdmin(caller)) {
      throw GovernanceException.of(RuleCode.POLICY_DENIED, "Only an admin may " + what + ".");
    }
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
                  // The answers to a group's offer go with the group: re-adding starts afresh.
                  members.values().removeIf(m -> m.via().filter(memberProject::equals).isPresent());
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
    if (!seesAll) {
      return caller.project().flatMap(p -> engine.membershipOf(image, p)).stream()
          .collect(java.util.stream.Collectors.toUnmodifiableList());
    }
    List<Member> result = new ArrayList<>();
    for (Member m : image.members().values()) {
      if (m.isDirect()) {
        result.add(m);
      }
    }
    result.addAll(groupMembers(engine, image));
    return List.copyOf(result);
  }

  /**
   * The projects that are members of {@code image} through a group above them now, each with its
   * own status, in the directory's order: what the owner sees besides the direct members (and
   * what {@code whoCanUse} reports as group grants).
   */
  static List<Member> groupMembers(Engine engine, Image image) {
    if (image.members().isEmpty()) {
      return List.of();
    }
    List<Member> result = new ArrayList<>();
    for (Tenant tenant : engine.tenancy().tenants()) {
      engine.membershipOf(image, tenant.id()).filter(m -> !m.isDirect()).ifPresent(result::add);
    }
    return result;
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
    return engine.membershipOf(image, memberProject).orElseThrow();
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
