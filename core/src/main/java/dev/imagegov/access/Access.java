package dev.imagegov.access;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.internal.Engine;
import dev.imagegov.lifecycle.LastUseRecorder;
import dev.imagegov.lifecycle.Use;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import java.util.Optional;

/**
 * Access decisions: whether a caller may download (boot) an image, and {@link #explain} for
 * operators who need to answer "why can project X see image Y". Both run the action's check
 * pipeline ({@code access.internal.ActionChecks}), the same one the operation runs. {@link
 * #explain} has no side effect; a successful {@link #authorizeDownload} records the image's last
 * use ({@code imagegov_lifecycle_last_used}, coalesced by {@link
 * GovernanceConfig#lastUseInterval()}).
 */
public final class Access {
  private final Engine engine;
  private final ActionChecks checks;
  private final LastUseRecorder lastUse;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code access()}.
   *
   * @param engine the kernel that reads the catalog and asks the policy
   * @param config the governance configuration (legacy mode, quotas)
   */
  public Access(Engine engine, GovernanceConfig config) {
    this.engine = engine;
    this.checks = new ActionChecks(engine, config);
    this.lastUse = new LastUseRecorder(engine, config.lastUseInterval());
  }

  /**
   * Checks that the caller may download (boot) the image: it must see it by id (a member of any
   * status may), pass {@code get_image} and {@code download_image}, and the image must not be
   * deactivated unless the caller is an admin. Once every check passed, records the image's last
   * use (at most one catalog write per image per {@link GovernanceConfig#lastUseInterval()}).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @return the image as the caller sees it
   * @throws GovernanceException 404 if the caller cannot see the image; 403 if {@code
   *     download_image} denies it or the image is deactivated
   */
  public Image authorizeDownload(Caller caller, ImageId id) {
    return engine.metered("access.authorizeDownload", () -> authorizeDownloadUnmetered(caller, id));
  }

  private Image authorizeDownloadUnmetered(Caller caller, ImageId id) {
    return authorizeDownload(caller, id, Use.NEW_LAUNCH);
  }

  /**
   * {@link #authorizeDownload(Caller, ImageId)} for {@code use}: an obsolete image is refused for
   * a {@link Use#NEW_LAUNCH} to anyone but an admin and still served to an {@link
   * Use#EXISTING_INSTANCE} (which the usage port must report, when it reports every use).
   *
   * @param caller who downloads: the rules are checked for this caller
   * @param id the image whose data is to be read
   * @param use a new launch or an existing instance
   * @return the image as the caller sees it, once every check passed
   * @throws GovernanceException as {@link #authorizeDownload(Caller, ImageId)}; 403 {@code
   *     LIFECYCLE_FORBIDS} for a use the lifecycle state refuses
   */
  public Image authorizeDownload(Caller caller, ImageId id, Use use) {
    return engine.metered("access.authorizeDownload", () ->
        authorizeDownloadUnmetered(caller, id, use));
  }

  private Image authorizeDownloadUnmetered(Caller caller, ImageId id, Use use) {
    Image image = engine.lookup(id).orElse(null);
    Image allowed = checks.check(Action.DOWNLOAD, caller, id, image, ActionArgs.use(use));
    lastUse.record(caller, allowed);
    return engine.viewFor(caller, allowed);
  }

  /**
   * Explains {@code action} by {@code caller} on an existing image with the default request
   * arguments: for {@link Action#ADD_MEMBER} a well-formed project that is not yet a member; for
   * {@link Action#REMOVE_MEMBER}, {@link Action#UPDATE_MEMBER_STATUS} and {@link
   * Action#GET_MEMBER} the caller's own membership (none for a project-less caller, which is
   * then not found); the status {@code accepted}; for {@link Action#MODIFY} a change that sets
   * no visibility of its own (a visibility change to {@code public} or {@code community} is
   * {@link Action#PUBLICIZE} or {@link Action#COMMUNITIZE}).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param action the action to explain
   * @return each check step in the action's order, with its result, and the decision they give
   * @throws GovernanceException 404 if no live image has this id
   * @see #explain(Caller, ImageId, Action, ActionArgs)
   */
  public AccessExplanation explain(Caller caller, ImageId id, Action action) {
    return engine.metered("access.explain", () -> explainUnmetered(caller, id, action));
  }

  private AccessExplanation explainUnmetered(Caller caller, ImageId id, Action action) {
    return explain(caller, id, action, ActionArgs.defaults());
  }

  /**
   * Explains the decision on {@code action} by {@code caller} on an existing image, for a request
   * with {@code args}: runs the action's check pipeline and reports every step it reached (the
   * visibility clause, each policy rule with its trace, the state, value and quota checks), with
   * the outcome, HTTP status and error code the operation answers for the same request. This is
   * an operator tool: it reports on images the subject may not see, so do not expose it to the
   * subject.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param action the action to explain
   * @param args the request's values the checks read (a target visibility, a member status, ...)
   * @return each check step in the action's order, with its result, and the decision they give
   * @throws GovernanceException 404 if no live image has this id
   */
  public AccessExplanation explain(Caller caller, ImageId id, Action action, ActionArgs args) {
    return engine.metered("access.explain", () -> explainUnmetered(caller, id, action, args));
  }

  private AccessExplanation explainUnmetered(Caller caller, ImageId id, Action action, ActionArgs args) {
    Image image =
        engine.lookup(id).orElseThrow(() -> Engine.notFound(Engine.noImage(id)));
    ActionChecks.Explained e = checks.explain(action, caller, id, image, args);
    Optional<GovernanceException> refusal = e.refusal();
    return new AccessExplanation(
        caller,
        id,
        action,
        args,
        engine.visibleBecause(caller, image),
        e.steps(),
        refusal.map(GovernanceException::httpStatus).orElse(200),
        refusal.map(GovernanceException::code),
        refusal.map(GovernanceException::getMessage));
  }
}
