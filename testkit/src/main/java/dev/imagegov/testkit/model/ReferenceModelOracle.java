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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Hierarchical sharing is the model's own ({@link ReferenceModel#withTenancy}, with the
 * lineage of the {@link IsolationOracle.Context}'s tenancy and its unanswered status): a direct
 * member row is added as the owner adds a member; a group answer is replayed as the answer the
 * project gave while it was below the group it names, then the model is judged with the tenancy
 * as it is now. Expiry, which the model does not know, is a removal: a row expired at the
 * context's instant is not added at all.
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
  public Optional<String> justify(
      Caller caller, Image image, IsolationAction action, Context context) {
    Persona p = persona(caller);
    ReferenceModel model = modelOf(image, context);
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
            && (p.admin() || (image.status() != ImageStatus.DEACTIVATED && !obsolete))
            && (!context.strictConsent() || p.admin() || owns || unowned
                || m.visibility() != Visibility.SHARED
                || model.status(m, p.project()).orElse(MemberStatus.ACCEPTED)
                    == MemberStatus.ACCEPTED);
        break;
      case LIST_MEMBERS:
        allowed = get && m.visibility() == Visibility.SHARED
            && (p.admin() || (p.reader()
                && (owns || unowned || model.status(m, p.project()).isPresent())));
        break;
      case CHANGE:
        allowed = model.predict(step(Step.Kind.DELETE, p, m.visibility(), "",
            MemberStatus.PENDING), m.id()).status() == ReferenceModel.OK;
        break;
      default:
        throw new AssertionError(action);
    }
    return allowed ? Optional.of(why(model, p, m, unowned, owns)) : Optional.empty();
  }

  private static String why(ReferenceModel model,
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
    return "member (" + model.status(m, p.project()).orElseThrow().wireName()
        + ") of a shared image" + (m.members().containsKey(p.project())
            ? "" : ", through a group above the project");
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
   * owner, each direct member added and given its status, each group answer given as the project
   * answered it (below the group it names), then its visibility set; judged with the context's
   * tenancy. Rows expired at the context's instant are left out.
   */
  private static ReferenceModel modelOf(Image image, Context context) {
    ReferenceModel model = new ReferenceModel(-1);
    String ownerProject = image.owner().map(ProjectId::value).orElse("");
    Persona owner = ownerPersona(ownerProject);
    ImageId id = image.id();
    model.predict(step(Step.Kind.CREATE, owner, Visibility.SHARED, "", MemberStatus.PENDING), id)
        .effect().run();
    Map<String, String> answered = new HashMap<>();
    model.withTenancy(project -> answered.containsKey(project)
        ? List.of(answered.get(project)) : List.of(), context.unanswered());
    for (Member row : image.members().values()) {
      if (row.via().isEmpty() && !expired(row, context)) {
        String project = row.project().value();
        model.predict(step(Step.Kind.ADD_MEMBER, owner, Visibility.SHARED, project,
            MemberStatus.PENDING), id).effect().run();
        model.predict(step(Step.Kind.UPDATE_MEMBER, owner, Visibility.SHARED, project,
            row.status()), id).effect().run();
      }
    }
    for (Member row : image.members().values()) {
      String group = row.via().map(ProjectId::value).orElse(null);
      if (group != null && !expired(row, context)
          && model.images().get(0).members().containsKey(group)) {
        String project = row.project().value();
        answered.put(project, group);
        model.predict(step(Step.Kind.UPDATE_MEMBER, owner, Visibility.SHARED, project,
            row.status()), id).effect().run();
      }
    }
    model.withTenancy(project -> project.isEmpty() ? List.of()
        : context.tenancy().lineage(ProjectId.of(project)).stream().map(ProjectId::value).toList(),
        context.unanswered());
    model.predict(step(Step.Kind.SET_VISIBILITY, owner, image.visibility(), "",
        MemberStatus.PENDING), id).effect().run();
    return model;
  }

  private static boolean expired(Member row, Context context) {
    return row.expiresAt().isPresent() && !row.expiresAt().get().isAfter(context.at());
  }

  private static Step step(Step.Kind kind, Persona who, Visibility visibility, String project,
      MemberStatus status) {
    return new Step(kind, who, 0, visibility, project, status, 0);
  }
}
