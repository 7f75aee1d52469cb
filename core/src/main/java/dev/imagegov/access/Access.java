package dev.imagegov.access;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Access decisions without side effects: whether a caller may download (boot) an image, and
 * {@link #explain} for operators who need to answer "why can project X see image Y".
 */
public final class Access {
  private final Engine engine;

  /** Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code access()}. */
  public Access(Engine engine) {
    this.engine = engine;
  }

  /**
   * Checks that the caller may download (boot) the image: it must see it by id (a member of any
   * status may), pass {@code download_image}, and the image must not be deactivated unless the
   * caller is an admin.
   *
   * @return the image as the caller sees it
   * @throws GovernanceException 404 if the caller cannot see the image; 403 if {@code
   *     download_image} denies it or the image is deactivated
   */
  public Image authorizeDownload(Caller caller, ImageId id) {
    String message = Engine.noImage(id);
    Image image = engine.loadVisible(caller, id, message);
    engine.enforce(Rules.GET_IMAGE, caller, image, message);
    engine.enforce(
        Rules.DOWNLOAD_IMAGE, caller, image, "You are not authorized to download image " + id + ".");
    if (image.status() == ImageStatus.DEACTIVATED && !engine.isAdmin(caller)) {
      throw GovernanceException.of(
          ErrorCode.STATUS_FORBIDS,
          "The requested image has been deactivated. Image data download is forbidden.");
    }
    return engine.viewFor(caller, image);
  }

  /**
   * Explains the decision on {@code action} by {@code caller} on an existing image: the
   * visibility clause, each policy rule with its trace, and the state checks, with the outcome
   * the operation would answer. This is an operator tool: it reports on images the subject may
   * not see, so do not expose it to the subject.
   *
   * @throws GovernanceException 404 if no live image has this id
   */
  public AccessExplanation explain(Caller caller, ImageId id, Action action) {
    Image image =
        engine
            .catalog
            .find(id)
            .orElseThrow(() -> Engine.notFound(Engine.noImage(id)));
    VisibilityReason reason = engine.visibleBecause(caller, image);
    List<Decision> decisions = new ArrayList<>();
    Explainer result =
        (outcome, state) -> new AccessExplanation(caller, id, action, reason, decisions, state, outcome);
    if (!reason.visible()) {
      return result.of(AccessExplanation.Outcome.NOT_FOUND, Optional.empty());
    }
    if (action.needsSharedImage() && !image.visibility().canHaveMembers()) {
      return result.of(
          AccessExplanation.Outcome.FORBIDDEN,
          Optional.of(
              "only shared images have members; this one is " + image.visibility().wireName()));
    }
    ImageTarget target = ImageTarget.of(image, caller);
    Decision get = engine.policy.decide(Rules.GET_IMAGE, caller, target);
    decisions.add(get);
    if (!get.allowed()) {
      return result.of(AccessExplanation.Outcome.NOT_FOUND, Optional.empty());
    }
    if (action != Action.GET) {
      Decision d = engine.policy.decide(action.rule(), caller, target);
      decisions.add(d);
      if (!d.allowed()) {
        return result.of(AccessExplanation.Outcome.FORBIDDEN, Optional.empty());
      }
    }
    Optional<String> state = stateRefusal(caller, image, action);
    return result.of(
        state.isPresent() ? AccessExplanation.Outcome.FORBIDDEN : AccessExplanation.Outcome.ALLOWED,
        state);
  }

  /** Builds the explanation once the outcome is known. */
  @FunctionalInterface
  private interface Explainer {
    AccessExplanation of(AccessExplanation.Outcome outcome, Optional<String> state);
  }

  private Optional<String> stateRefusal(Caller caller, Image image, Action action) {
    switch (action) {
      case DOWNLOAD:
        return image.status() == ImageStatus.DEACTIVATED && !engine.isAdmin(caller)
            ? Optional.of("the image is deactivated and the caller is not an admin")
            : Optional.empty();
      case DELETE:
        if (image.isProtected()) {
          return Optional.of("the image is protected and cannot be deleted");
        }
        return mutable(caller, image);
      case MODIFY:
      case PUBLICIZE:
      case COMMUNITIZE:
        return mutable(caller, image);
      default:
        return Optional.empty();
    }
  }

  private Optional<String> mutable(Caller caller, Image image) {
    try {
      engine.checkMutable(caller, image);
      return Optional.empty();
    } catch (GovernanceException e) {
      return Optional.of("only an admin or the owner may change an image");
    }
  }
}
