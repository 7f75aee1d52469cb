package dev.imagegov.sharing;

import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.Member;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Computes {@link WhoCanUse} for one image. Whether a grant can use the image is never decided
 * here: it is the DOWNLOAD check pipeline's answer for a member-role user of the project (for
 * the broad grants, of a project that is neither the owner nor a member), so deactivation, strict
 * consent and the lifecycle state are judged by their own rules. The projects that hold a shared
 * image through a parent project or domain above them are the owner's member listing's ({@code
 * Sharing.groupMembers}: the directory read now, so a project moved out of the subtree is gone at
 * once), each reported after its group with its own status.
 */
final class UseAudit {
  private UseAudit() {}

  static WhoCanUse of(Engine engine, ActionChecks checks, Image image) {
    List<WhoCanUse.Grant> grants = new ArrayList<>();
    image.owner().ifPresent(owner -> grants.add(grant(checks, image, Caller.member(owner.value()),
        Optional.of(owner), WhoCanUse.Basis.OWNER, null, Optional.empty(),
        "the project owns the image")));
    grants.add(grant(checks, image, Caller.admin(outsider(image, "any-admin").value()),
        Optional.empty(), WhoCanUse.Basis.ADMIN, null, Optional.empty(),
        "every admin sees every image"));
    Caller anyone = Caller.member(outsider(image, "any-project").value());
    if (image.owner().isEmpty()) {
      grants.add(grant(checks, image, anyone, Optional.empty(), WhoCanUse.Basis.UNOWNED, null,
          Optional.empty(),
          "the image has no owner: every project sees it by id"));
    } else if (image.visibility() == Visibility.PUBLIC) {
      grants.add(grant(checks, image, anyone, Optional.empty(), WhoCanUse.Basis.PUBLIC, null,
          Optional.empty(),
          "the image is public: every project sees and lists it"));
    } else if (image.visibility() == Visibility.COMMUNITY) {
      grants.add(grant(checks, image, anyone, Optional.empty(), WhoCanUse.Basis.COMMUNITY, null,
          Optional.empty(),
          "the image is community: every project sees it, and lists it when it asks"));
    }
    if (image.visibility() == Visibility.SHARED) {
      Map<ProjectId, List<Member>> below = new LinkedHashMap<>();
      for (Member m : Sharing.groupMembers(engine, image)) {
        below.computeIfAbsent(m.via().orElseThrow(), g -> new ArrayList<>()).add(m);
      }
      for (Member m : image.members().values()) {
        if (image.isOwnedBy(m.project()) || !m.isDirect()) {
          continue; // a group answer is reported below its group, while it is still below it
        }
        grants.add(grant(checks, image, Caller.member(m.project().value()),
            Optional.of(m.project()), WhoCanUse.Basis.MEMBER, m, m.expiresAt(),
            "a member of the shared image (" + m.status().wireName() + ")"));
        for (Member g : below.getOrDefault(m.project(), List.of())) {
          if (image.isOwnedBy(g.project())) {
            continue;
          }
          grants.add(grant(checks, image, Caller.member(g.project().value()),
              Optional.of(g.project()), WhoCanUse.Basis.GROUP, g, m.expiresAt(),
              "via " + m.project() + ", a member of the shared image above the project ("
                  + g.status().wireName() + (image.members().containsKey(g.project())
                      ? ", its own answer)" : ", not answered)")));
        }
      }
    }
    return new WhoCanUse(image.id(), image.owner(), image.visibility(), grants);
  }

  private static WhoCanUse.Grant grant(ActionChecks checks, Image image, Caller probe,
      Optional<ProjectId> project, WhoCanUse.Basis basis, @Nullable Member member,
      Optional<Instant> expiresAt, String why) {
    Optional<GovernanceException> refusal =
        checks.explain(Action.DOWNLOAD, probe, image.id(), image, ActionArgs.defaults()).refusal();
    return new WhoCanUse.Grant(project, basis,
        member == null ? Optional.empty() : Optional.of(member.status()),
        member == null ? Optional.empty() : member.via(),
        expiresAt,
        refusal.isEmpty(),
        refusal.map(e -> why + "; cannot use it: " + e.getMessage()).orElse(why));
  }

  /** A project that is neither the image's owner nor one of its members. */
  private static ProjectId outsider(Image image, String base) {
    String name = base;
    for (int n = 2; image.owner().map(o -> o.value()).orElse("").equals(name)
        || image.members().containsKey(ProjectId.of(name)); n++) {
      name = base + "-" + n;
    }
    return ProjectId.of(name);
  }
}
