package dev.imagegov.testkit.model;

import dev.imagegov.access.Caller;
import dev.imagegov.access.IsolationAction;
import dev.imagegov.access.IsolationOracle;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.Optional;

/**
 * An {@link IsolationOracle} for {@code access().verifyIsolation} that judges with the {@link
 * ReferenceModel}: each image is rebuilt as a model image (created by its owner, its members added
 * and given their status, its visibility set) and asked with the model's own predicates ({@link
 * ReferenceModel#visibleById}, {@link ReferenceModel#getImageRule}, {@link
 * ReferenceModel#listedByDefault}, and the model's prediction of a change, which it answers as a
 * delete: the member role in the owning project, or admin).
 *
 * <p>The model covers who may see, list and change an image. What it does not model is stated
 * here, in a line each: an image without owner is seen by id by everybody (Glance's {@code
 * is_image_visible}); a default list leaves out hidden, killed and obsolete images; booting needs
 * the member role besides get, and refuses a deactivated or obsolete image to all but admins;
 * listing members needs a shared image the caller may get, as its owner, one of its members, or
 * anybody when it has no owner (Glance's {@code get_members} names the computed {@code member_id},
 * which is every non-owner's project on a shared image).
 * Not thread-safe: the verifier calls an oracle from one thread.
 */
public final class ReferenceModelOracle implements IsolationOracle {
  private static final String OBSOLETE = "obsolete";
  private static final String LIFECYCLE_STATE = "imagegov_lifecycle_state";

  /** An oracle over the reference model's rules. */
  public ReferenceModelOracle() {}

  @Override
  public String name() {
    return "reference-model";
  }

  @Override
  public Optional<String> justify(Caller caller, Image image, IsolationAction action) {
    Persona p = persona(caller);
    ReferenceModel model = modelOf(image);
    ReferenceModel.ModelImage m = model.images().get(0);
    boolean unowned = image.owner().isEmpty();
    boolean seen = !image.status().isDeleted()
        && (model.visibleById(p, m) || unowned);
    if (!seen) {
      return Optional.empty();
    }
    boolean get = ReferenceModel.getImageRule(p, m);
    boolean owns = !unowned && m.owner().equals(p.project());
    boolean obsolete = OBSOLETE.equals(image.properties().get(LIFECYCLE_STATE));
    boolean allowed;
    switch (action) {
      case GET:
        allowed = get;
        break;
      case LIST:
        allowed = model.listedByDefault(p, m) && !image.osHidden() && !obsolete
            && image.status() != ImageStatus.KILLED;
        break;
      case BOOT:
        allowed = get && (p.admin() || (p.member() && (owns || m.visibility() != Visibility.PRIVATE)))
            && (p.admin() || (image.status() != ImageStatus.DEACTIVATED && !obsolete));
        break;
      case LIST_MEMBERS:
        allowed = get && m.visibility() == Visibility.SHARED
            && (p.admin() || (p.reader()
                && (owns || unowned || m.members().containsKey(p.project()))));
        break;
      case CHANGE:
        allowed = model.predict(step(Step.Kind.DELETE, p, m.visibility(), "",
            MemberStatus.PENDING), m.id()).status() == ReferenceModel.OK;
        break;
      default:
        throw new AssertionError(action);
    }
    return allowed ? Optional.of(why(p, m, unowned, owns)) : Optional.empty();
  }

  private static String why(
      Persona p, ReferenceModel.ModelImage m, boolean unowned, boolean owns) {
    if (p.admin()) {
      return "admin";
    }
    if (unowned) {
      return "unowned image";
    }
    if (m.visibility() == Visibility.PUBLIC || m.visibility() == Visibility.COMMUNITY) {
      return m.visibility().wireName() + " image";
    }
    if (owns) {
      return "owner";
    }
    return "member (" + m.members().get(p.project()).wireName() + ") of a shared image";
  }

  /** The caller as a persona, with Keystone's implied roles (admin, member, reader). */
  private static Persona persona(Caller caller) {
    boolean admin = caller.roles().contains("admin");
    boolean member = admin || caller.roles().contains("member");
    boolean reader = member || caller.roles().contains("reader");
    String project = caller.project().map(ProjectId::value).orElse("");
    return new Persona(project, caller, project, admin, member, reader);
  }

  private static Persona ownerPersona(String project) {
    return new Persona(project, Caller.withoutProject("member"), project, false, true, true);
  }

  /**
   * A model holding the image alone, built through the model's own steps: created shared by its
   * owner, each member added and given its status, then its visibility set.
   */
  private static ReferenceModel modelOf(Image image) {
    ReferenceModel model = new ReferenceModel(-1);
    String ownerProject = image.owner().map(ProjectId::value).orElse("");
    Persona owner = ownerPersona(ownerProject);
    ImageId id = image.id();
    model.predict(step(Step.Kind.CREATE, owner, Visibility.SHARED, "", MemberStatus.PENDING), id)
        .effect().run();
    for (Member row : image.members().values()) {
      String project = row.project().value();
      model.predict(step(Step.Kind.ADD_MEMBER, owner, Visibility.SHARED, project,
          MemberStatus.PENDING), id).effect().run();
      model.predict(step(Step.Kind.UPDATE_MEMBER, owner, Visibility.SHARED, project,
          row.status()), id).effect().run();
    }
    model.predict(step(Step.Kind.SET_VISIBILITY, owner, image.visibility(), "",
        MemberStatus.PENDING), id).effect().run();
    return model;
  }

  private static Step step(Step.Kind kind, Persona who, Visibility visibility, String project,
      MemberStatus status) {
    return new Step(kind, who, 0, visibility, project, status, 0);
  }
}
