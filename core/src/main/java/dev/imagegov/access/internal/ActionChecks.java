package dev.imagegov.access.internal;

import com.google.common.collect.ImmutableList;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Access;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.access.CheckKind;
import dev.imagegov.access.CheckStep;
import dev.imagegov.access.Decision;
import dev.imagegov.access.ImageTarget;
import dev.imagegov.access.Rules;
import dev.imagegov.access.VisibilityReason;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.internal.Engine;
import dev.imagegov.lifecycle.LifecycleRules;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.PatchOperation;
import dev.imagegov.spi.CatalogRefusals;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The check pipeline of every {@link Action}: an ordered list of checks (lookup, visibility,
 * state, policy, value, quota) in the order Glance's controller for that operation applies them
 * ({@code glance/api/v2/images.py}, {@code image_members.py}, {@code policy.py}). The operation
 * runs it and throws the first refusal; {@link Access#explain} runs the same list and reports
 * every step it reached, so the two cannot disagree.
 *
 * <p>Each refusal is the exact {@link GovernanceException} the operation answers (code, status,
 * message). Checks that come before the image is read (a malformed member id) run in {@link
 * #beforeLookup}; the rest in {@link #check}, which an operation calls on the image it read
 * (inside its compare-and-set change, so a retry re-runs them). The orders, with {@code →}
 * meaning "then":
 *
 * <ul>
 *   <li>GET: lookup → visible → {@code get_image} (404).
 *   <li>DOWNLOAD: lookup → visible → {@code get_image} → {@code download_image} → (strict
 *       consent only) a member has accepted the image (403 {@code CONSENT_REQUIRED}) → not
 *       deactivated unless admin (403) → the lifecycle state allows the use (an obsolete image
 *       is refused for a new launch unless admin, 403; {@link LifecycleRules#useRefusal}).
 *   <li>MODIFY, PUBLICIZE, COMMUNITIZE (a visibility change): lookup → visible → the target
 *       visibility's rule ({@code publicize_image}, {@code communitize_image}) → {@code
 *       modify_image} → owner or admin → (PUBLICIZE, COMMUNITIZE) the exposure guardrail (403
 * {@code EXPOSURE_GUARDRAIL}; {@link #exposureRefusal}). An update (a patch, a tag change) runs
 * these checks per
 *       operation ({@link #checkUpdate}), its values after each, and the owner-or-admin check
 *       once at the end ({@link #checkMutable}).
 *   <li>DELETE: lookup → visible → {@code delete_image} → owner or admin → not protected → not
 *       in use unless admin (409; the lifecycle's usage port, {@link
 *       LifecycleRules#inUseRefusal}).
 *   <li>DEACTIVATE, REACTIVATE: lookup → visible → the rule → (legacy mode) owner or admin → the
 *       status is the source or the target of the transition.
 *   <li>ADD_MEMBER: member id well formed (400) → lookup → visible → shared → (legacy) owner or
 *       admin → {@code get_image} → {@code add_member} → {@code image_member_quota} (413) → not
 *       already a member (409).
 *   <li>REMOVE_MEMBER: lookup → visible → shared → (legacy) owner or admin → the row exists and
 *       the caller may see it (404) → {@code get_image} → {@code delete_member}.
 *   <li>UPDATE_MEMBER_STATUS: lookup → visible → shared → (legacy) not the owner → the row exists
 *       and the caller may see it (404) → {@code get_image} → {@code modify_member} (403) → the
 *       status value (400).
 *   <li>LIST_MEMBERS: lookup → visible → shared → {@code get_image} → {@code get_members}.
 *   <li>GET_MEMBER: lookup → visible → shared → {@code get_image} → {@code get_member} → the row;
 *       every refusal is answered as the membership not found.
 *   <li>RESTORE ({@link #checkRestore}, on the live image or the deleted one's tombstone): the id
 *       is known → a live image is visible, a deleted one is the caller's project's or the caller
 *       is an admin (404: nobody learns of another project's deleted image) → the image is
 *       {@code pending_delete} and its catalog kept it (409 {@code IMAGE_NOT_PENDING_DELETE}) →
 *       {@code delete_image} on the image as it was deleted → its count and stored bytes fit the
 *       owner's limits again (413).
 * </ul>
 *
 * <p>A policy check follows Glance's Forbidden-becomes-NotFound rule: a caller the rule denies
 * who also fails {@code get_image} is told the image does not exist. Thread-safe and stateless
 * beyond the engine it reads.
 */
public final class ActionChecks {
  private final Engine engine;
  private final GovernanceConfig config;

  /**
   * The pipelines over {@code engine}'s policy, with {@code config}'s legacy mode and quotas.
   *
   * @param engine the kernel whose policy the checks ask
   * @param config the configuration giving the legacy mode and quotas
   */
  public ActionChecks(Engine engine, GovernanceConfig config) {
    this.engine = engine;
    this.config = config;
  }

  /**
   * {@return the message of the not-found answer of {@code action} on {@code id}}
   *
   * @param action the action refused
   * @param id the image's id
   */
  public static String notFoundMessage(Action action, Object id) {
    return action == Action.DELETE
        ? "Failed to find image " + id + " to delete"
        : Engine.noImage(id);
  }

  /**
   * Runs the checks of {@code action} that come before the image is read (request values Glance's
   * deserializer refuses).
   *
   * @param action the action whose checks run
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param args the request's values the checks read
   * @throws GovernanceException the first refusal
   */
  public void beforeLookup(Action action, Caller caller, ImageId id, ActionArgs args) {
    Pipeline p = PIPELINES.get(action);
    run(p, new Subject(this, caller, id, null, args, action, false), 0, p.lookupIndex);
  }

  /**
   * Runs the checks of {@code action} from the lookup on, on the image the operation read ({@code
   * null} if the catalog has none), and returns that image.
   *
   * @param action the action whose checks run
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param image the image as stored
   * @param args the request's values the checks read
   * @return the image, once every check passed
   * @throws GovernanceException the first refusal, exactly as the operation answers it
   */
  public Image check(
      Action action, Caller caller, ImageId id, @Nullable Image image, ActionArgs args) {
    if (action == Action.RESTORE) {
      throw new IllegalArgumentException("a restore is checked by checkRestore");
    }
    if (action == Action.GET) {
      return checkRead(caller, id, image);
    }
    Pipeline p = PIPELINES.get(action);
    run(p, new Subject(this, caller, id, image, args, action, false), p.lookupIndex,
        p.checks.size());
    if (image == null) {
      throw new AssertionError("the lookup check passed without an image");
    }
    return image;
  }

  /**
   * GET's pipeline ({@link #READ}: lookup, visibility, {@code get_image}) as the operation runs
   * it: the same three checks, in the same order and with the same refusals, called straight
   * rather than through a {@link Subject}, so that a by-id read, the most frequent call, allocates
   * nothing for its checks beyond the policy's target.
   */
  private Image checkRead(Caller caller, ImageId id, @Nullable Image image) {
    if (image == null) {
      throw missing(Action.GET, id);
    }
    if (!engine.visibleBecause(caller, image).visible()) {
      throw missing(Action.GET, id);
    }
    if (!engine.allows(Rules.GET_IMAGE, caller, ImageTarget.of(image, caller))) {
      throw hidden(image);
    }
    return image;
  }

  /**
   * The checks one operation of an update (a patch, a tag change) runs before its values, on the
   * image the update read, in Glance's order ({@code ImagesController._do_*}, {@code
   * ImageAPIPolicy.update_property}): a location change only its location rule ({@code
   * set_image_location} or {@code delete_image_location}; none when it clears the list, which the
   * applier refuses); otherwise an owner change by a non-admin 403, a visibility change its
   * target's rule (the PUBLICIZE and COMMUNITIZE pipelines' check), and then the MODIFY
   * pipeline's {@code modify_image}, whose 403 says {@code forbidden}. The caller has passed the
   * lookup and visibility checks (the kernel read the image for it).
   *
   * @param caller who updates the image
   * @param image the image as the update read it
   * @param operation the one operation to check
   * @param forbidden the message of the 403 when {@code modify_image} refuses
   * @throws GovernanceException the first refusal
   */
  public void checkUpdate(Caller caller, Image image, PatchOperation operation, String forbidden) {
    List<Check> checks = new ArrayList<>();
    if (operation instanceof PatchOperation.LocationChange change) {
      if (!change.clearsLocations()) {
        String rule = change.verb() == PatchOperation.Verb.REMOVE
            ? Rules.DELETE_IMAGE_LOCATION
            : Rules.SET_IMAGE_LOCATION;
        checks.add(policy(rule, notAuthorized(rule)));
      }
    } else {
      if (operation instanceof PatchOperation.SetOwner) {
        checks.add(OWNER_CHANGE);
      }
      if (operation instanceof PatchOperation.SetVisibility v
          && visibilityRuleName(v.visibility()) != null) {
        checks.add(visibilityRule(v.visibility()));
      }
      checks.add(modifyImage(s -> forbidden));
      if (operation instanceof PatchOperation.SetVisibility v) {
        checks.add(guardrail(v.visibility()));
      }
    }
    runModify(caller, image, checks);
  }

  /**
   * An update's last check, after its values: the MODIFY pipeline's hard mutate check (only an
   * admin or the owner changes an image).
   *
   * @param caller who wants to change the image
   * @param image the image to change
   * @throws GovernanceException 403 if the caller may not change the image
   */
  public void checkMutable(Caller caller, Image image) {
    runModify(caller, image, List.of(MUTABLE));
  }

  /** Runs some of the MODIFY pipeline's checks on {@code image}, throwing the first refusal. */
  private void runModify(Caller caller, Image image, List<Check> checks) {
    Subject subject = new Subject(this, caller, image.id(), image, ActionArgs.defaults(),
        Action.MODIFY, false);
    for (Check c : checks) {
      GovernanceException refusal = c.rule.test(subject);
      if (refusal != null) {
        throw refusal;
      }
    }
  }

  private static void run(Pipeline p, Subject s, int from, int to) {
    for (int i = from; i < to; i++) {
      GovernanceException refusal = test(p.checks.get(i), s);
      if (refusal != null) {
        throw p.answer.apply(s, refusal);
      }
    }
  }

  /**
   * The steps an explanation reports, the refusal the operation would answer, if any, and the
   * caller's by-id visibility of the image.
   */
  public record Explained(
      List<CheckStep> steps, Optional<GovernanceException> refusal, VisibilityReason visibility) {}

  /**
   * Runs the whole pipeline of {@code action} in order, recording each step it reaches.
   *
   * @param action the action whose pipeline runs
   * @param caller who would perform the action
   * @param id the image the action names
   * @param image the image as the caller's lookup found it
   * @param args the action's arguments
   * @return the steps reached, in order, the refusal the operation would answer, and the
   *     visibility
   */
  public Explained explain(Action action, Caller caller, ImageId id, Image image,
      ActionArgs args) {
    return explain(action, caller, id, image, args, null);
  }

  private Explained explain(Action action, Caller caller, ImageId id, @Nullable Image image,
      ActionArgs args, @Nullable Tombstone tombstone) {
    Pipeline p = PIPELINES.get(action);
    List<CheckStep> steps = new ArrayList<>(p.checks.size());
    Subject s = new Subject(this, caller, id, image, args, action, true);
    s.tombstone = tombstone;
    for (Check c : p.checks) {
      GovernanceException refusal = test(c, s);
      steps.add(s.endStep(c, refusal));
      if (refusal != null) {
        return new Explained(steps, Optional.of(p.answer.apply(s, refusal)), visibility(s));
      }
    }
    return new Explained(steps, Optional.empty(), visibility(s));
  }

  /** The visibility the pipeline's check found, or (a check before it refused) computed now. */
  private VisibilityReason visibility(Subject s) {
    VisibilityReason found = s.visibility();
    return found != null ? found : engine.visibleBecause(s.caller, s.image());
  }

  /**
   * {@return the image the RESTORE pipeline looks at: the live image, else the one {@code
   * tombstone} kept, else (a finished deletion, or one whose image was not kept) an image standing
   * for the tombstone (its id, owner and status); null if the id is unknown}
   *
   * @param live the live image with the id, or null
   * @param tombstone the tombstone of the id, or null
   */
  public static @Nullable Image restoreSubject(
      @Nullable Image live, @Nullable Tombstone tombstone) {
    if (live != null || tombstone == null) {
      return live;
    }
    return tombstone.retained().orElseGet(() -> Image.builder().id(tombstone.id())
        .owner(tombstone.owner()).status(tombstone.status()).createdAt(tombstone.deletedAt())
        .updatedAt(tombstone.deletedAt()).build());
  }

  /**
   * Runs the RESTORE pipeline on what the catalog holds for {@code id}: its live image or its
   * tombstone (at most one of them; both null for an unknown id).
   *
   * @param caller who asks to restore the image
   * @param id the image's id
   * @param live the live image with this id, or null
   * @param tombstone the tombstone of this id, or null
   * @return the tombstone to restore, once every check passed
   * @throws GovernanceException the first refusal, exactly as the operation answers it
   */
  public Tombstone checkRestore(Caller caller, ImageId id, @Nullable Image live,
      @Nullable Tombstone tombstone) {
    Pipeline p = PIPELINES.get(Action.RESTORE);
    Subject s = new Subject(this, caller, id, restoreSubject(live, tombstone),
        ActionArgs.defaults(), Action.RESTORE, false);
    s.tombstone = tombstone;
    run(p, s, 0, p.checks.size());
    if (tombstone == null) {
      throw new AssertionError("the restore checks passed without a tombstone");
    }
    return tombstone;
  }

  /**
   * {@link #explain} of {@link Action#RESTORE}: the same pipeline as {@link #checkRestore}.
   *
   * @param caller who would restore the image
   * @param id the image's id
   * @param live the live image with this id, or null
   * @param tombstone the tombstone of this id, or null
   * @return the steps reached, in order, and the refusal the operation would answer
   */
  public Explained explainRestore(Caller caller, ImageId id, @Nullable Image live,
      @Nullable Tombstone tombstone) {
    return explain(Action.RESTORE, caller, id, restoreSubject(live, tombstone),
        ActionArgs.defaults(), tombstone);
  }

  // ------------------------------------------------------------------ the checks' subject

  /**
   * What one run of a pipeline looks at; records policy decisions and notes when explaining. An
   * operation's run allocates nothing beyond this object and the policy target; an explanation
   * reuses one subject for every step ({@link #endStep}), creating a step's decision list and note
   * only when the step has one.
   */
  static final class Subject {
    /** The pipelines: their kernel and configuration. */
    final ActionChecks checks;
    final Caller caller;
    final ImageId id;
    final @Nullable Image image;
    final ActionArgs args;
    final Action action;
    /** What an explanation records; {@code null} when the operation runs. */
    private final @Nullable Record record;
    /** For {@link Action#RESTORE}: the deleted image's tombstone (null if the image is live). */
    @Nullable Tombstone tombstone;
    private @Nullable ImageTarget target;

    /** What an explanation records of the step being run, and the visibility found. */
    private static final class Record {
      @Nullable List<Decision> trace;
      @Nullable String firstNote;
      @Nullable StringBuilder note;
      /** The group the step found a membership holds through. */
      @Nullable ProjectId via;
      @Nullable VisibilityReason visibility;
    }

    Subject(ActionChecks checks, Caller caller, ImageId id,
        @Nullable Image image, ActionArgs args, Action action, boolean explaining) {
      this.checks = checks;
      this.caller = caller;
      this.id = id;
      this.image = image;
      this.args = args;
      this.action = action;
      this.record = explaining ? new Record() : null;
    }

    /** Whether this run explains: records decisions and notes. */
    boolean explaining() {
      return record != null;
    }

    /** Records the by-id visibility the visibility check found (explanations report it). */
    void visibility(VisibilityReason reason) {
      if (record != null) {
        record.visibility = reason;
      }
    }

    /** Records the group through which the caller's membership holds, for the step's report. */
    void via(ProjectId group) {
      if (record != null) {
        record.via = group;
      }
    }

    /** The visibility the visibility check recorded, if it ran in an explanation. */
    @Nullable VisibilityReason visibility() {
      return record == null ? null : record.visibility;
    }

    /** The image; the lookup check has passed before any check that calls this. */
    Image image() {
      if (image == null) {
        throw new AssertionError("a check after the lookup ran without an image");
      }
      return image;
    }

    boolean allows(String rule) {
      if (target == null) {
        target = ImageTarget.of(image(), caller);
      }
      if (record == null) {
        return checks.engine.allows(rule, caller, target);
      }
      Decision d = checks.engine.decide(rule, caller, target);
      if (record.trace == null) {
        record.trace = new ArrayList<>(2);
      }
      record.trace.add(d);
      return d.allowed();
    }

    boolean admin() {
      return checks.engine.isAdmin(caller);
    }

    boolean owner() {
      return caller.project().map(image()::isOwnedBy).orElse(false);
    }

    /** Adds a note to the step being explained; nothing when the operation runs. */
    void note(String text) {
      Record r = record;
      if (r == null) {
        return;
      }
      if (r.firstNote == null && r.note == null) {
        r.firstNote = text; // most steps have one note: kept as it is, without a builder
        return;
      }
      if (r.note == null) {
        r.note = new StringBuilder(r.firstNote);
        r.firstNote = null;
      }
      r.note.append(text);
    }

    /** The step just run as explain reports it; clears the decisions and the note for the next. */
    CheckStep endStep(Check check, @Nullable GovernanceException refusal) {
      Record r = Objects.requireNonNull(record, "an explanation's subject");
      CheckStep step = new CheckStep(check.kind, check.what, refusal == null,
          r.trace == null ? List.of() : r.trace,
          refusal != null ? refusal.getMessage()
              : r.note != null ? r.note.toString()
              : r.firstNote != null ? r.firstNote : "",
          Optional.ofNullable(r.via));
      r.via = null;
      r.trace = null;
      r.note = null;
      r.firstNote = null;
      return step;
    }

    /**
     * The member project the request is about: as sent, or by default the caller's own project
     * (empty for a project-less caller).
     */
    Optional<ProjectId> member() {
      Optional<String> sent = args.memberProject();
      if (sent.isPresent()) {
        return Optional.of(ProjectId.of(sent.get()));
      }
      note("no member named: the caller's own membership; ");
      return caller.project();
    }
  }

  /** One check: refuses with the operation's exception, or passes ({@code null}). */
  @FunctionalInterface
  interface Rule {
    @Nullable GovernanceException test(Subject s);
  }

  record Check(CheckKind kind, String what, Rule rule) {}

  /** An action's ordered checks and how the operation words a refusal (identity for most). */
  static final class Pipeline {
    final ImmutableList<Check> checks;
    final int lookupIndex;
    final BiFunction<Subject, GovernanceException, GovernanceException> answer;

    Pipeline(List<Check> checks,
        BiFunction<Subject, GovernanceException, GovernanceException> answer) {
      this.checks = ImmutableList.copyOf(checks);
      int lookup = -1;
      for (int i = 0; i < checks.size(); i++) {
        if (checks.get(i).kind == CheckKind.LOOKUP) {
          lookup = i;
          break;
        }
      }
      if (lookup < 0) {
        throw new AssertionError("a pipeline without a lookup");
      }
      this.lookupIndex = lookup;
      this.answer = answer;
    }
  }

  // ------------------------------------------------------------------------- the checks

  private static final Check LOOKUP =
      new Check(CheckKind.LOOKUP, "the image exists", ActionChecks::lookup);

  private static @Nullable GovernanceException lookup(Subject s) {
    return s.image == null ? missing(s.action, s.id) : null;
  }

  /** The answer to {@code action} on an image that is not there, or that the caller may not see. */
  private static GovernanceException missing(Action action, ImageId id) {
    return Engine.notFound(notFoundMessage(action, id));
  }

  /** The answer when {@code get_image} refuses: the image is not found
   * (Forbidden-becomes-NotFound). */
  private static GovernanceException hidden(Image image) {
    return Engine.notFound(Engine.noImage(image.id()));
  }

  private static final Check VISIBLE =
      new Check(CheckKind.VISIBILITY, "the caller may see the image by id", ActionChecks::visible);

  private static @Nullable GovernanceException visible(Subject s) {
    VisibilityReason why = s.checks.engine.visibleBecause(s.caller, s.image());
    s.visibility(why);
    s.note(why.description());
    if (why == VisibilityReason.MEMBER && s.explaining()) {
      ProjectId via = s.checks.engine.membershipOf(s.image(), s.caller.project().orElseThrow())
          .flatMap(Member::via).orElse(null);
      if (via != null) {
        s.via(via);
        s.note(": through " + via + ", a member of the image above the caller's project");
      }
    }
    return why.visible() ? null : missing(s.action, s.id);
  }

  /** {@code rule} with Glance's Forbidden-becomes-NotFound; {@code forbidden} words the 403. */
  private static Check policy(String rule, Function<Subject, String> forbidden) {
    return new Check(CheckKind.POLICY, "policy rule " + rule, s -> policy(s, rule, forbidden));
  }

  private static @Nullable GovernanceException policy(
      Subject s, String rule, Function<Subject, String> forbidden) {
    if (s.allows(rule)) {
      return null;
    }
    if (rule.equals(Rules.GET_IMAGE) || !s.allows(Rules.GET_IMAGE)) {
      return hidden(s.image());
    }
    return GovernanceException.of(RuleCode.POLICY_DENIED, forbidden.apply(s));
  }

  private static final Function<Subject, String> NO_IMAGE = s -> Engine.noImage(s.id);

  private static final Check GET_IMAGE = policy(Rules.GET_IMAGE, NO_IMAGE);

  /**
   * Runs {@code check} on {@code s}. The checks every by-id read starts with (lookup, visibility,
   * {@code get_image}) are called directly rather than through their rule, so the compiler can
   * inline a read's whole pipeline; the answer is the rule's in every case.
   */
  private static @Nullable GovernanceException test(Check check, Subject s) {
    if (check == LOOKUP) {
      return lookup(s);
    }
    if (check == VISIBLE) {
      return visible(s);
    }
    if (check == GET_IMAGE) {
      return policy(s, Rules.GET_IMAGE, NO_IMAGE);
    }
    return check.rule.test(s);
  }

  private static Check shared(Function<Subject, String> message) {
    return new Check(CheckKind.STATE, "the image is shared (only shared images have members)",
        s -> s.image().visibility().canHaveMembers()
            ? null
            : GovernanceException.of(RuleCode.NOT_SHARED, message.apply(s)));
  }

  /** Glance's hard mutate check: only an admin or the owner may change an image. */
  private static final Check MUTABLE =
      new Check(CheckKind.STATE, "the caller is an admin or the owner (the image is mutable)",
          s -> refusalOf(() -> s.checks.engine.checkMutable(s.caller, s.image())));

  /** The refusal a rule written as a throwing check answers, or {@code null} if it passes. */
  private static @Nullable GovernanceException refusalOf(Runnable check) {
    try {
      check.run();
      return null;
    } catch (GovernanceException e) {
      return e;
    }
  }

  /** {@code check} only with {@code enforce_new_defaults = False} (legacy ownership checks). */
  private static Check legacy(Check check) {
    return new Check(check.kind, "legacy mode only: " + check.what, s -> {
      if (!s.checks.config.legacyOwnershipChecks()) {
        s.note("not checked: legacy ownership checks are off");
        return null;
      }
      return check.rule.test(s);
    });
  }

  /** Legacy: only the owner (or an admin) may manage members. */
  private static Check legacyOwnerOnly(String message) {
    return legacy(new Check(CheckKind.STATE, "the caller is an admin or the owner",
        s -> s.admin() || s.owner()
            ? null
            : GovernanceException.of(RuleCode.POLICY_DENIED, message)));
  }

  /** The exposure guardrail on the visibility {@code target} ({@code dev.imagegov.exposure}). */
  private static Check guardrail(Visibility target) {
    return new Check(CheckKind.GUARDRAIL, "the exposure guardrail allows " + target.wireName(),
        s -> {
          if (s.explaining()) {
            s.note("exposure is " + s.checks.engine.exposure().mode().wireName());
          }
          return exposureRefusal(s.checks.engine, s.caller, target);
        });
  }

  /**
   * The exposure guardrail's refusal of giving an image {@code target}, or {@code null}: the one
   * check every path that can make an image public or community runs (the PUBLICIZE and
   * COMMUNITIZE pipelines, a patch's visibility operation, create).
   *
   * @param engine the kernel holding the guardrail in force, which says whether the caller is an
   *     admin
   * @param caller who would set the visibility
   * @param target the visibility the image would get
   * @return the 403 {@code EXPOSURE_GUARDRAIL} refusal, or {@code null} if the guardrail allows
   */
  public static @Nullable GovernanceException exposureRefusal(
      Engine engine, Caller caller, Visibility target) {
    return engine.exposure()
        .refusal(engine.isAdmin(caller), caller.project(), target)
        .map(m -> GovernanceException.of(RuleCode.EXPOSURE_GUARDRAIL, m))
        .orElse(null);
  }

  private static Check visibilityRule(Visibility target) {
    String rule = visibilityRuleFor(target);
    return policy(rule, notAuthorized(rule));
  }

  /**
   * {@return the rule a visibility change to {@code target} needs besides {@code modify_image}, if
   * any}
   *
   * @param target the visibility requested
   */
  public static @Nullable String visibilityRuleName(Visibility target) {
    switch (target) {
      case PUBLIC:
        return Rules.PUBLICIZE_IMAGE;
      case COMMUNITY:
        return Rules.COMMUNITIZE_IMAGE;
      default:
        return null;
    }
  }

  private static String visibilityRuleFor(Visibility target) {
    String rule = visibilityRuleName(target);
    if (rule == null) {
      throw new AssertionError(target + " needs no rule of its own");
    }
    return rule;
  }

  /**
   * {@return the action a visibility change to {@code target} is: PUBLICIZE, COMMUNITIZE or MODIFY}
   *
   * @param target the visibility requested
   */
  public static Action visibilityAction(Visibility target) {
    switch (target) {
      case PUBLIC:
        return Action.PUBLICIZE;
      case COMMUNITY:
        return Action.COMMUNITIZE;
      default:
        return Action.MODIFY;
    }
  }

  /** {@code modify_image}, its 403 worded by {@code forbidden} (the operation's own words). */
  private static Check modifyImage(Function<Subject, String> forbidden) {
    return policy(Rules.MODIFY_IMAGE, forbidden);
  }

  /**
   * Glance's words when policy denies {@code rule} ({@code PolicyNotAuthorized}): they name the
   * rule, so an owner refused by policy is not told that it does not own the image.
   */
  private static Function<Subject, String> notAuthorized(String rule) {
    return s -> "You are not authorized to complete " + rule + " action.";
  }

  private static final Check MODIFY_IMAGE = modifyImage(notAuthorized(Rules.MODIFY_IMAGE));

  /** Glance's {@code _do_replace} of {@code owner}: only an admin may change it. */
  private static final Check OWNER_CHANGE =
      new Check(CheckKind.POLICY, "only an admin changes the owner", s -> s.admin()
          ? null
          : GovernanceException.of(
              RuleCode.POLICY_DENIED, "Owner can't be updated by non admin."));

  /**
   * The membership exists and the caller may see it: admins and owners all, members theirs. A
   * membership through a group (hierarchical sharing) counts, as {@link Engine#membershipOf}
   * computes it from the directory now; only its removal is refused, since the owner shared with
   * the group, not with the project (it removes the group).
   */
  private static final Check MEMBER_ROW =
      new Check(CheckKind.LOOKUP, "the membership exists and the caller may see it", s -> {
        Optional<ProjectId> member = s.member();
        Image image = s.image();
        Member row = member.flatMap(m -> s.checks.engine.membershipOf(image, m)).orElse(null);
        boolean seesAll = s.admin() || s.owner();
        if (row == null || !(seesAll || s.caller.isIn(row.project()))) {
          return memberNotFound(member.map(ProjectId::value).orElse(""), image.id());
        }
        if (s.action == Action.REMOVE_MEMBER && !row.isDirect()) {
          return GovernanceException.of(RuleCode.GROUP_MEMBERSHIP,
              "Member " + row.project() + " is a member of image " + image.id() + " through "
                  + row.via().orElseThrow() + "; remove " + row.via().orElseThrow() + " instead.");
        }
        if (!row.isDirect()) {
          s.note("a member through " + row.via().orElseThrow());
        }
        return null;
      });

  private static String statusChangeVerb(Action action) {
    return action == Action.DEACTIVATE ? Rules.DEACTIVATE : Rules.REACTIVATE;
  }

  private static Check statusChange(ImageStatus from, ImageStatus to) {
    return new Check(CheckKind.STATE,
        "the image is " + from.wireName() + " (or already " + to.wireName() + ")", s -> {
          ImageStatus status = s.image().status();
          if (status == from || status == to) {
            return null;
          }
          return GovernanceException.of(RuleCode.STATUS_FORBIDS,
              "Not allowed to " + statusChangeVerb(s.action) + " image in status '"
                  + status.wireName() + "'");
        });
  }

  /** Glance's member id rules: not empty, at most 255 characters, no 4-byte characters. */
  private static final Check MEMBER_ID =
      new Check(CheckKind.VALUE, "the member id is well formed", s -> {
        Optional<String> raw = s.args.memberProject();
        if (raw.isEmpty()) {
          s.note("no member named: a well-formed project that is not a member");
          return null;
        }
        return memberIdRefusal(raw.get());
      });

  /** The refusal of a malformed member id, or {@code null}. */
  private static @Nullable GovernanceException memberIdRefusal(String raw) {
    if (raw.isEmpty()) {
      return GovernanceException.of(StoreErrorCode.INVALID_VALUE, "Member can't be empty");
    }
    return refusalOf(() -> Attributes.text("member", raw, Attributes.MAX_TEXT));
  }

  private static final Check MEMBER_QUOTA =
      new Check(CheckKind.QUOTA,
          "image_member_quota has room for one more member (a group counts once)",
          s -> refusalOf(() -> Attributes.checkQuota(
              RuleCode.MEMBER_QUOTA_EXCEEDED,
              "members for this image",
              s.image().directMemberCount() + 1,
              s.checks.config.imageMemberQuota())));

  private static final Check NOT_A_MEMBER =
      new Check(CheckKind.STATE, "the project is not already a member", s -> {
        Optional<String> raw = s.args.memberProject();
        if (raw.isEmpty()) {
          s.note("no member named: a project that is not a member");
          return null;
        }
        ProjectId member = ProjectId.of(raw.get());
        Member row = s.image().members().get(member);
        return row != null && row.isDirect()
            ? GovernanceException.of(RuleCode.DUPLICATE_MEMBER,
                "Member " + member + " is duplicated for image " + s.image().id())
            : null;
      });

  /** The message of a member status Glance does not know. */
  private static final String BAD_MEMBER_STATUS =
      "Incorrect request: Status must be \"pending\", \"accepted\" or \"rejected\".";

  private static final Check MEMBER_STATUS_VALUE =
      new Check(CheckKind.VALUE, "the status is pending, accepted or rejected", s -> {
        String status = memberStatus(s.args);
        return MemberStatus.fromWireName(status).isPresent()
            ? null
            : GovernanceException.of(StoreErrorCode.INVALID_VALUE, BAD_MEMBER_STATUS);
      });

  /** The status a member request sets: as sent, or {@code accepted}. */
  private static String memberStatus(ActionArgs args) {
    return args.memberStatus().orElse(MemberStatus.ACCEPTED.wireName());
  }

  /**
   * Strict consent ({@link GovernanceConfig#strictConsent()}): a caller that uses a shared image
   * only as its member must have accepted it. Owners, admins and images visible to the caller for
   * another reason (public, community, unowned) are not concerned.
   */
  private static final Check CONSENT =
      new Check(CheckKind.STATE, "strict consent: a member has accepted the image", s -> {
        if (!s.checks.config.strictConsent()) {
          s.note("strict consent is off (Glance: any member may download)");
          return null;
        }
        return consentRefusal(s.checks.engine, s.caller, s.image());
      });

  /**
   * Strict consent's refusal of {@code caller} using {@code image}, or {@code null}: the one home
   * of the rule (the DOWNLOAD pipeline runs it when strict consent is on; {@code whoCanUse}
   * reports it).
   *
   * @param engine the kernel that says why the caller sees the image
   * @param caller who would use the image's data
   * @param image the image as the rules see it
   * @return the 403 {@code CONSENT_REQUIRED} refusal, or {@code null} if consent is not needed or
   *     was given
   */
  public static @Nullable GovernanceException consentRefusal(
      Engine engine, Caller caller, Image image) {
    if (engine.visibleBecause(caller, image) != VisibilityReason.MEMBER) {
      return null;
    }
    // Directly or through a group above the caller's project (hierarchical sharing).
    Member row = engine.membershipOf(image, caller.project().orElseThrow()).orElse(null);
    if (row == null || row.status() == MemberStatus.ACCEPTED) {
      return null;
    }
    return GovernanceException.of(RuleCode.CONSENT_REQUIRED, "Image " + image.id()
        + " is shared with project " + row.project() + ", whose membership is "
        + row.status().wireName() + ": strict consent lets only a member that accepted the image"
        + " use it.");
  }

  private static final Check NOT_DEACTIVATED =
      new Check(CheckKind.STATE, "the image is not deactivated, or the caller is an admin",
          s -> s.image().status() == ImageStatus.DEACTIVATED && !s.admin()
              ? GovernanceException.of(RuleCode.STATUS_FORBIDS,
                  "The requested image has been deactivated. Image data download is forbidden.")
              : null);

  /** The lifecycle's rule for the use a download is for (obsolete: no new launch). */
  private static final Check LIFECYCLE_USE =
      new Check(CheckKind.STATE, "the lifecycle state allows this use", s -> {
        if (s.explaining()) {
          s.note(LifecycleRules.describe(s.image()) + "; use " + s.args.use());
        }
        return LifecycleRules.useRefusal(
            s.image(), s.caller, s.admin(), s.args.use(), s.checks.engine.imageUsage());
      });

  private static final Check NOT_PROTECTED =
      new Check(CheckKind.STATE, "the image is not protected",
          s -> s.image().isProtected()
              ? GovernanceException.of(RuleCode.IMAGE_PROTECTED,
                  "Image " + s.id + " is protected and cannot be deleted.")
              : null);

  /** The application's usage port reports no use, or the caller is an admin (who may force). */
  private static final Check NOT_IN_USE =
      new Check(CheckKind.STATE, "the image is not in use, or the caller is an admin",
          s -> LifecycleRules.inUseRefusal(s.image(), s.admin(), s.checks.engine.imageUsage()));

  /** Every refusal of GET_MEMBER is answered as the membership not found (nothing leaks). */
  private static GovernanceException asMemberNotFound(Subject s, GovernanceException e) {
    if (e.code() == RuleCode.MEMBER_NOT_FOUND) {
      return e;
    }
    String member =
        s.args.memberProject().orElse(s.caller.project().map(ProjectId::value).orElse(""));
    return memberNotFound(member, s.id);
  }

  /**
   * {@return the 404 of a membership the caller may not see, or of an image it may not see when
   * it asks for a membership (Glance answers both alike)}
   *
   * @param member the member's project id as asked
   * @param id the image's id (or its text, as asked)
   */
  public static GovernanceException memberNotFound(Object member, Object id) {
    return GovernanceException.of(RuleCode.MEMBER_NOT_FOUND,
        "Member " + member + " not found for image " + id + ".");
  }

  /**
   * A live image is visible by id (then the next check says it is live); a deleted one is of the
   * caller's project, or the caller is an admin: no one learns of another project's deleted image.
   */
  private static final Check RESTORER = new Check(CheckKind.VISIBILITY,
      "the caller may see the live image, or the deleted image is its project's (or it is an"
          + " admin)", s -> {
        Tombstone t = s.tombstone;
        boolean may = t == null
            ? s.checks.engine.isVisible(s.caller, s.image())
            : s.admin() || t.owner().map(s.caller::isIn).orElse(false);
        return may ? null : Engine.notFound(Engine.noImage(s.id));
      });

  /** The catalog holds the image pending delete and kept it ({@link CatalogRefusals}). */
  private static final Check PENDING_DELETE = new Check(CheckKind.STATE,
      "the image is pending delete and its catalog kept it", s -> {
        Tombstone t = s.tombstone;
        return CatalogRefusals.notRestorable(s.id, t == null ? s.image() : null, t, true);
      });

  /** What the restored image brings back fits its owner's limits ({@link Engine#restore}). */
  private static final Check RESTORE_QUOTA = new Check(CheckKind.QUOTA,
      "the restored image's count and stored bytes fit its owner's limits",
      s -> s.checks.engine.restoreQuotaRefusal(java.util.Objects.requireNonNull(s.tombstone)));

  /** GET's checks: {@link #checkRead} runs them straight, {@link #explain} as the pipeline. */
  private static final List<Check> READ = List.of(LOOKUP, VISIBLE, GET_IMAGE);

  private static final Map<Action, Pipeline> PIPELINES = pipelines();

  private static Map<Action, Pipeline> pipelines() {
    Map<Action, Pipeline> p = new EnumMap<>(Action.class);
    BiFunction<Subject, GovernanceException, GovernanceException> same = (s, e) -> e;
    p.put(Action.GET, new Pipeline(READ, same));
    p.put(Action.DOWNLOAD, new Pipeline(List.of(LOOKUP, VISIBLE, GET_IMAGE,
        policy(Rules.DOWNLOAD_IMAGE,
            s -> "You are not authorized to download image " + s.id + "."),
        CONSENT, NOT_DEACTIVATED, LIFECYCLE_USE), same));
    p.put(Action.MODIFY, new Pipeline(List.of(LOOKUP, VISIBLE, MODIFY_IMAGE, MUTABLE), same));
    p.put(Action.PUBLICIZE, new Pipeline(
        List.of(LOOKUP, VISIBLE, visibilityRule(Visibility.PUBLIC), MODIFY_IMAGE, MUTABLE,
            guardrail(Visibility.PUBLIC)), same));
    p.put(Action.COMMUNITIZE, new Pipeline(
        List.of(LOOKUP, VISIBLE, visibilityRule(Visibility.COMMUNITY), MODIFY_IMAGE, MUTABLE,
            guardrail(Visibility.COMMUNITY)), same));
    p.put(Action.DELETE, new Pipeline(List.of(LOOKUP, VISIBLE,
        policy(Rules.DELETE_IMAGE, s -> "You cannot delete image " + s.id + "."),
        MUTABLE, NOT_PROTECTED, NOT_IN_USE), same));
    for (Action a : List.of(Action.DEACTIVATE, Action.REACTIVATE)) {
      boolean deactivate = a == Action.DEACTIVATE;
      p.put(a, new Pipeline(List.of(LOOKUP, VISIBLE,
          policy(a.rule(), notAuthorized(a.rule())),
          legacy(MUTABLE),
          deactivate
              ? statusChange(ImageStatus.ACTIVE, ImageStatus.DEACTIVATED)
              : statusChange(ImageStatus.DEACTIVATED, ImageStatus.ACTIVE)), same));
    }
    p.put(Action.ADD_MEMBER, new Pipeline(List.of(MEMBER_ID, LOOKUP, VISIBLE,
        shared(s -> "Not allowed to create members for image " + s.id + "."),
        legacyOwnerOnly("You are not permitted to add members."),
        GET_IMAGE,
        policy(Rules.ADD_MEMBER, s -> "You are not authorized to add members to image " + s.id
            + "."),
        MEMBER_QUOTA, NOT_A_MEMBER), same));
    p.put(Action.REMOVE_MEMBER, new Pipeline(List.of(LOOKUP, VISIBLE,
        shared(s -> "Only shared images have members."),
        legacyOwnerOnly("You cannot delete image member."),
        MEMBER_ROW, GET_IMAGE,
        policy(Rules.DELETE_MEMBER, s -> "You cannot delete image member.")), same));
    String notStatus = "You are not permitted to modify 'status' on this image member.";
    p.put(Action.UPDATE_MEMBER_STATUS, new Pipeline(List.of(LOOKUP, VISIBLE,
        shared(s -> "Only shared images have members."),
        legacy(new Check(CheckKind.STATE, "the caller is not the owner (or is an admin)",
            s -> s.admin() || !s.owner()
                ? null
                : GovernanceException.of(RuleCode.POLICY_DENIED, notStatus))),
        MEMBER_ROW, GET_IMAGE,
        policy(Rules.MODIFY_MEMBER, s -> notStatus),
        MEMBER_STATUS_VALUE), same));
    p.put(Action.LIST_MEMBERS, new Pipeline(List.of(LOOKUP, VISIBLE,
        shared(s -> "Only shared images have members."),
        GET_IMAGE,
        policy(Rules.GET_MEMBERS, s -> "You are not authorized to list members of " + s.id
            + ".")), same));
    p.put(Action.GET_MEMBER, new Pipeline(List.of(LOOKUP, VISIBLE,
        shared(s -> "Only shared images have members."),
        GET_IMAGE,
        policy(Rules.GET_MEMBER, s -> "not allowed"),
        MEMBER_ROW), ActionChecks::asMemberNotFound));
    p.put(Action.RESTORE, new Pipeline(List.of(LOOKUP, RESTORER, PENDING_DELETE,
        policy(Rules.DELETE_IMAGE, s -> "You cannot restore image " + s.id + "."),
        RESTORE_QUOTA), same));
    for (Action a : Action.values()) {
      if (!p.containsKey(a)) {
        throw new AssertionError("no pipeline for " + a);
      }
    }
    return p;
  }
}
