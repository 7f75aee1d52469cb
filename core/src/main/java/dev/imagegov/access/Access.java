package dev.imagegov.access;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.Images;
import dev.imagegov.internal.Engine;
import dev.imagegov.lifecycle.LastUseRecorder;
import dev.imagegov.lifecycle.Use;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.ProjectId;
import dev.imagegov.sharing.Tenant;
import dev.imagegov.sharing.TenancyDirectory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Access decisions: whether a caller may download (boot) an image, and {@link #explain} for
 * operators who need to answer "why can project X see image Y". Both run the action's check
 * pipeline ({@code access.internal.ActionChecks}), the same one the operation runs. {@link
 * #explain} has no side effect; a successful {@link #authorizeDownload} records the image's last
 * use ({@code imagegov_lifecycle_last_used}, coalesced by {@link
 * GovernanceConfig#lastUseInterval()}). {@link #verifyIsolation} checks a whole catalog's
 * isolation, project by project, against an independent {@link IsolationOracle}.
 */
public final class Access {
  private final Engine engine;
  private final ActionChecks checks;
  private final LastUseRecorder lastUse;
  private final IsolationVerifier isolation;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code access()}.
   *
   * @param engine the kernel that reads the catalog and asks the policy
   * @param config the governance configuration (legacy mode, quotas)
   * @param images the image use cases, whose list isolation verification walks
   */
  public Access(Engine engine, GovernanceConfig config, Images images) {
    this.engine = engine;
    this.checks = new ActionChecks(engine, config);
    this.lastUse = new LastUseRecorder(engine, config.lastUseInterval());
    this.isolation = new IsolationVerifier(engine, config, checks, images);
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
    return explainUnmetered(caller, id, action, ActionArgs.defaults());
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
   * @throws GovernanceException 404 if no live image has this id (for {@link Action#RESTORE}: no
   *     live and no deleted one)
   */
  public AccessExplanation explain(Caller caller, ImageId id, Action action, ActionArgs args) {
    return engine.metered("access.explain", () -> explainUnmetered(caller, id, action, args));
  }

  private AccessExplanation explainUnmetered(
      Caller caller, ImageId id, Action action, ActionArgs args) {
    Image live = engine.lookup(id).orElse(null);
    Tombstone tombstone =
        live == null && action == Action.RESTORE ? engine.tombstone(id).orElse(null) : null;
    Image image = ActionChecks.restoreSubject(live, tombstone);
    if (image == null) {
      throw Engine.notFound(Engine.noImage(id));
    }
    ActionChecks.Explained e = action == Action.RESTORE
        ? checks.explainRestore(caller, id, live, tombstone)
        : checks.explain(action, caller, id, image, args);
    Optional<GovernanceException> refusal = e.refusal();
    return new AccessExplanation(
        caller,
        id,
        action,
        args,
        e.visibility(),
        e.steps(),
        refusal.map(GovernanceException::httpStatus).orElse(200),
        refusal.map(GovernanceException::code),
        refusal.map(GovernanceException::getMessage));
  }

  /**
   * Verifies isolation for every tenant of {@code tenancy} against core's oracle, {@link
   * IsolationOracle#glanceRules()}.
   *
   * @param admin who asks; must be an admin
   * @param tenancy the projects to verify (every tenant it knows, domains included) and their
   *     parents
   * @return every access granted, every disagreement, and the operator's checks
   * @throws GovernanceException 403 {@code POLICY_DENIED} for a caller who is not an admin
   * @see #verifyIsolation(Caller, List, TenancyDirectory, IsolationOracle)
   */
  public IsolationReport verifyIsolation(Caller admin, TenancyDirectory tenancy) {
    return engine.metered("access.verifyIsolation", () -> verifyIsolationUnmetered(admin, tenancy));
  }

  private IsolationReport verifyIsolationUnmetered(Caller admin, TenancyDirectory tenancy) {
    return verifyIsolation(admin, tenancy, IsolationOracle.glanceRules());
  }

  /**
   * Verifies isolation for every tenant of {@code tenancy} against {@code oracle}.
   *
   * @param admin who asks; must be an admin
   * @param tenancy the projects to verify (every tenant it knows, domains included) and their
   *     parents
   * @param oracle the independent judge of which accesses are justified
   * @return every access granted, every disagreement, and the operator's checks
   * @throws GovernanceException 403 {@code POLICY_DENIED} for a caller who is not an admin
   * @see #verifyIsolation(Caller, List, TenancyDirectory, IsolationOracle)
   */
  public IsolationReport verifyIsolation(
      Caller admin, TenancyDirectory tenancy, IsolationOracle oracle) {
    return engine.metered(
        "access.verifyIsolation", () -> verifyIsolationUnmetered(admin, tenancy, oracle));
  }

  private IsolationReport verifyIsolationUnmetered(
      Caller admin, TenancyDirectory tenancy, IsolationOracle oracle) {
    Objects.requireNonNull(tenancy, "tenancy");
    return verifyIsolation(admin, tenancy.tenants().stream().map(Tenant::id).toList(), tenancy,
        oracle);
  }

  /**
   * Isolation verification: for each of {@code projects} (as a caller with the member and reader
   * roles, a typical consumer) and each image of the catalog, which actions the governance lets
   * it take ({@link IsolationAction}: get, list, boot, list members, change), each checked
   * against {@code oracle}, which states the sharing rules independently of the governance. The
   * report flags every access no sharing rule justifies, every justified access the governance
   * refuses, and every image the catalog's listing index and the query semantics disagree on;
   * it names the rule behind each access and lists the {@code openstack image show} checks an
   * operator runs against a real cloud.
   *
   * <p>Cost: one scan of the catalog, then per project two list walks (the listing index and the
   * default list) and the action pipelines on the images related to it (those the walks show,
   * those it owns, those with a membership for it or a project above it, and the public,
   * community and unowned ones), plus, per private or shared image, one by-id check for an
   * unrelated project. It never asks about every project × image pair. The catalog should be
   * quiet while it runs: an image changed meanwhile is skipped. Nothing is written.
   *
   * @param admin who asks; must be an admin
   * @param projects the projects to verify (duplicates are verified once)
   * @param tenancy the directory that gives each project's parents and domain (for sharing with
   *     a project above it); {@link TenancyDirectory#none()} when sharing is flat
   * @param oracle the independent judge of which accesses are justified
   * @return every access granted, every disagreement, and the operator's checks
   * @throws GovernanceException 403 {@code POLICY_DENIED} for a caller who is not an admin
   */
  public IsolationReport verifyIsolation(
      Caller admin, List<ProjectId> projects, TenancyDirectory tenancy, IsolationOracle oracle) {
    return engine.metered("access.verifyIsolation",
        () -> verifyIsolationUnmetered(admin, projects, tenancy, oracle));
  }

  private IsolationReport verifyIsolationUnmetered(
      Caller admin, List<ProjectId> projects, TenancyDirectory tenancy, IsolationOracle oracle) {
    Objects.requireNonNull(projects, "projects");
    Objects.requireNonNull(tenancy, "tenancy");
    Objects.requireNonNull(oracle, "oracle");
    if (!engine.isAdmin(admin)) {
      throw GovernanceException.of(RuleCode.POLICY_DENIED,
          "Only an admin may verify isolation.");
    }
    return isolation.verify(projects, tenancy, oracle);
  }
}
