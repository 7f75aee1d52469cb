package dev.imagegov.testkit.model;

import dev.imagegov.lifecycle.LifecycleState;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.Visibility;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A deliberately simple model of who may see, list, share and change an image under Glance's
 * secure-RBAC defaults (imagegov's default configuration), with the per-image member quota. Every
 * rule is a short predicate over plain fields; {@link #predict} says what an operation answers (200
 * or the HTTP status of its refusal) and what it changes.
 *
 * <p>The rules, in words:
 *
 * <ul>
 *   <li>By id, a caller sees an image if it is an admin, or the image is public or community, or
 *       its project owns it, or the image is shared and its project is a member of any status.
 *       Everyone else is told 404.
 *   <li>{@code get_image} further needs the reader role (or admin), and a private image also needs
 *       ownership.
 *   <li>Changing an image or its members needs the member role in the owning project (or admin);
 *       making an image public needs admin. A caller who may see the image but fails a rule is told
 *       403, unless it also fails {@code get_image}, then 404.
 *   <li>Members exist only on shared images (403 otherwise). Changing or removing a membership
 *       first looks the row up (404 unless it exists and the caller sees it: admins and owners
 *       every row, a member its own), then applies the rule. Only the member itself (with the
 *       member role, not the owner) or an admin may change a membership's status. Adding a member
 *       beyond the quota is 413 (checked before duplicates, 409).
 *   <li>Uploading data needs the member role in the owning project (or admin; 403, or 404 as
 *       above), an image without data yet (409), and room in the owner's {@code
 *       user_storage_quota}: the owner's stored bytes (the sizes of its live images with data) plus
 *       the upload must not exceed it (413). Deleting an image frees its bytes.
 *   <li>A default list shows what a caller may get, minus community images it does not own and
 *       shared images whose membership is not accepted; {@code visibility=all&member_status=all}
 *       shows everything it may get by id.
 *   <li>Hierarchical sharing, with a lineage function (the groups above each project, nearest
 *       first): a project that is no member itself but has a member above it is a member with its
 *       own answer to that group's offer, or the unanswered status; an answer counts only while
 *       its group is above the project and a member. A group counts once for the quota; a
 *       membership through a group cannot be removed alone (409); removing a group drops the
 *       answers to it.
 *   <li>Lifecycle ({@link #predictLifecycle}, {@link #latest}): an image joins its owner's
 *       family; the owner's members (or an admin) move it {@code active -> deprecated ->
 *       obsolete} ({@code deprecated -> active} again by {@code reinstate}; out of order 409) and
 *       exclude it from {@code latest}; {@code latest} is the newest version created that is
 *       active, not excluded, uploaded and launchable by the caller, with an accepted membership
 *       when the caller sees it only as a member. A download authorization for a new launch
 *       records a last use; an obsolete image is refused for it unless to an admin.
 * </ul>
 */
public final class ReferenceModel {
  /** The status the model answers for success. */
  public static final int OK = 200;

  private final int memberQuota;
  private final long storageQuota;
  private final List<ModelImage> images = new ArrayList<>();
  private Function<String, List<String>> lineage = project -> List.of();
  private MemberStatus unanswered = MemberStatus.PENDING;

  /**
   * Turns on hierarchical sharing: {@code lineage} answers the groups above a project now (read at
   * every prediction, so a moved project is judged from its new place).
   *
   * @param lineage the groups above a project, nearest first, then its domain
   * @param unanswered the status of a project that has not answered a group's offer
   * @return this model
   */
  public ReferenceModel withTenancy(
      Function<String, List<String>> lineage, MemberStatus unanswered) {
    this.lineage = lineage;
    this.unanswered = unanswered;
    return this;
  }

  /** A project's answer to the offer of group {@code via}. */
  private record Answer(String via, MemberStatus status) {}

  /**
   * A model with {@code image_member_quota} {@code memberQuota} (negative: unlimited).
   *
   * @param memberQuota {@code image_member_quota}; negative for unlimited
   */
  public ReferenceModel(int memberQuota) {
    this(memberQuota, -1);
  }

  /**
   * A model with {@code image_member_quota} {@code memberQuota} and {@code user_storage_quota}
   * {@code storageQuota} bytes (negative: unlimited).
   *
   * @param memberQuota {@code image_member_quota}; negative for unlimited
   * @param storageQuota {@code user_storage_quota} in bytes; 0 for unlimited
   */
  public ReferenceModel(int memberQuota, long storageQuota) {
    this.memberQuota = memberQuota;
    this.storageQuota = storageQuota;
  }

  /** An image as the model keeps it. */
  public static final class ModelImage {
    private final ImageId id;
    private final String owner;
    private Visibility visibility;
    private final Map<String, MemberStatus> members = new LinkedHashMap<>();
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private boolean deleted;
    private long size = -1;
    private @Nullable String family;
    private LifecycleState state = LifecycleState.ACTIVE;
    private boolean excluded;
    private boolean used;

    ModelImage(ImageId id, String owner, Visibility visibility) {
      this.id = id;
      this.owner = owner;
      this.visibility = visibility;
    }

    /** {@return the image id} */
    public ImageId id() {
      return id;
    }

    /** {@return the owning project} */
    public String owner() {
      return owner;
    }

    /** {@return the visibility} */
    public Visibility visibility() {
      return visibility;
    }

    /** {@return member project to status (dormant while the image is not shared)} */
    public Map<String, MemberStatus> members() {
      return Collections.unmodifiableMap(members);
    }

    /** {@return whether the image was deleted} */
    public boolean deleted() {
      return deleted;
    }

    /** {@return the size of the image's data, or -1 before an upload} */
    public long size() {
      return size;
    }

    /** {@return the family of its owner the image is in, if any} */
    public Optional<String> family() {
      return Optional.ofNullable(family);
    }

    /** {@return the lifecycle state: active until a lifecycle operation moves it} */
    public LifecycleState lifecycleState() {
      return state;
    }

    /** {@return whether {@code latest} skips the image (Azure's "exclude from latest")} */
    public boolean excludedFromLatest() {
      return excluded;
    }

    /**
     * {@return whether a download authorization for a new launch ({@link LifecycleOp#USE})
     * succeeded: the governance has then recorded a last use}
     */
    public boolean used() {
      return used;
    }

    @Override
    public String toString() {
      return id
          + "{"
          + visibility.wireName()
          + " owner="
          + owner
          + " members="
          + members
          + (size >= 0 ? " size=" + size : "")
          + (family != null ? " family=" + family : "")
          + (state != LifecycleState.ACTIVE ? " " + state.wireName() : "")
          + (excluded ? " excluded" : "")
          + (used ? " used" : "")
          + (deleted ? " deleted" : "")
          + "}";
    }
  }

  /** {@return every image ever created, deleted ones included, in creation order} */
  public List<ModelImage> images() {
    return Collections.unmodifiableList(images);
  }

  /**
   * {@return the image a step names, if any image was created yet}
   *
   * @param step the step
   */
  public Optional<ModelImage> target(Step step) {
    return images.isEmpty()
        ? Optional.empty()
        : Optional.of(images.get(Math.floorMod(step.image(), images.size())));
  }

  /**
   * {@return the bytes {@code project} stores: the sizes of its live images with data}
   *
   * @param project the project's id
   */
  public long storedBytes(String project) {
    long total = 0;
    for (ModelImage i : images) {
      if (!i.deleted && i.size >= 0 && i.owner.equals(project)) {
        total += i.size;
      }
    }
    return total;
  }

  // ---- the rules ------------------------------------------------------------------------------

  /**
   * {@return Glance's by-id visibility predicate}
   *
   * @param p the persona asking
   * @param i the image
   */
  public boolean visibleById(Persona p, ModelImage i) {
    return !i.deleted
        && (p.admin()
            || i.visibility == Visibility.PUBLIC
            || i.visibility == Visibility.COMMUNITY
            || owns(p, i)
            || (i.visibility == Visibility.SHARED && status(i, p.project()).isPresent()));
  }

  /**
   * The status of {@code project}'s membership of {@code i}: its own row; else, when a group
   * above it is a member, its answer to a group that is still above it and a member, or the
   * unanswered status; else none.
   *
   * @param i the image
   * @param project the project asked about
   * @return the membership status, if the project is a member
   */
  public Optional<MemberStatus> status(ModelImage i, String project) {
    if (i.members.containsKey(project)) {
      return Optional.of(i.members.get(project));
    }
    List<String> above = lineage.apply(project);
    Answer answer = i.answers.get(project);
    if (answer != null && counts(i, project, answer)) {
      return Optional.of(answer.status());
    }
    for (String group : above) {
      if (i.members.containsKey(group)) {
        return Optional.of(unanswered);
      }
    }
    return Optional.empty();
  }

  /**
   * The group through which {@code project} holds its membership of {@code i}: empty for a direct
   * member or no member; else the group of its answer when that answer counts, or the nearest
   * group above it that is a member.
   *
   * @param i the image
   * @param project the project asked about
   * @return the parent project or domain through which the project is a member, if any
   */
  public Optional<String> via(ModelImage i, String project) {
    if (i.members.containsKey(project)) {
      return Optional.empty();
    }
    Answer answer = i.answers.get(project);
    if (answer != null && counts(i, project, answer)) {
      return Optional.of(answer.via());
    }
    return group(i, project);
  }

  /** Whether {@code answer} counts: its group is above {@code project} now and a member. */
  private boolean counts(ModelImage i, String project, Answer answer) {
    return lineage.apply(project).contains(answer.via()) && i.members.containsKey(answer.via());
  }

  /** The nearest group above {@code project} that is a member of {@code i}, if any. */
  private Optional<String> group(ModelImage i, String project) {
    return lineage.apply(project).stream().filter(i.members::containsKey).findFirst();
  }

  /**
   * {@return the {@code get_image} rule}
   *
   * @param p the persona asking
   * @param i the image
   */
  public static boolean getImageRule(Persona p, ModelImage i) {
    return p.admin() || (p.reader() && (owns(p, i) || i.visibility != Visibility.PRIVATE));
  }

  /**
   * {@return whether get by id succeeds}
   *
   * @param p the persona asking
   * @param i the image
   */
  public boolean canGet(Persona p, ModelImage i) {
    return visibleById(p, i) && getImageRule(p, i);
  }

  /**
   * {@return whether a default list (no parameters) shows the image}
   *
   * @param p the persona listing
   * @param i the image
   */
  public boolean listedByDefault(Persona p, ModelImage i) {
    if (i.deleted || !getImageRule(p, i)) {
      return false;
    }
    if (i.visibility == Visibility.COMMUNITY) {
      return owns(p, i);
    }
    return p.admin()
        || i.visibility == Visibility.PUBLIC
        || owns(p, i)
        || (i.visibility == Visibility.SHARED
            && status(i, p.project()).orElse(null) == MemberStatus.ACCEPTED);
  }

  /**
   * {@return whether {@code visibility=all&member_status=all} shows the image}
   *
   * @param p the persona listing
   * @param i the image
   */
  public boolean listedWithAll(Persona p, ModelImage i) {
    return canGet(p, i);
  }

  private static boolean owns(Persona p, ModelImage i) {
    return i.owner.equals(p.project());
  }

  /** The member role in the owning project, or admin: who may change an image and its members. */
  private static boolean ownerMember(Persona p, ModelImage i) {
    return p.admin() || (p.member() && owns(p, i));
  }

  /** A rule on a visible image: 403 if it fails, but 404 if {@code get_image} fails too. */
  private static int enforce(boolean allowed, Persona p, ModelImage i) {
    return allowed ? OK : (getImageRule(p, i) ? 403 : 404);
  }

  // ---- predictions ----------------------------------------------------------------------------

  /**
   * What a step answers and, when it succeeds, what it changes.
   *
   * @param status 200 or the HTTP status of the refusal
   * @param effect applies the change to the model; run it only when the step succeeded
   */
  public record Prediction(int status, Runnable effect) {}

  /**
   * Predicts {@code step}; a create step creates {@code newId}.
   *
   * @param step the step to predict
   * @param newId the id a create step's image gets
   * @return the outcome Glance's rules give the step
   */
  public Prediction predict(Step step, ImageId newId) {
    Persona p = step.who();
    if (step.kind() == Step.Kind.CREATE) {
      boolean allowed = p.member() || p.admin();
      boolean visibilityAllowed = step.visibility() != Visibility.PUBLIC || p.admin();
      return new Prediction(
          allowed && visibilityAllowed ? OK : 403,
          () -> images.add(new ModelImage(newId, p.project(), step.visibility())));
    }
    Optional<ModelImage> found = target(step);
    if (found.isEmpty() || !visibleById(p, found.get())) {
      return new Prediction(404, () -> {});
    }
    ModelImage i = found.get();
    switch (step.kind()) {
      case SET_VISIBILITY:
        return new Prediction(
            setVisibility(p, i, step.visibility()), () -> i.visibility = step.visibility());
      case ADD_MEMBER:
        return new Prediction(addMember(p, i, step.project()), () -> {
          i.members.put(step.project(), MemberStatus.PENDING);
          i.answers.remove(step.project());
        });
      case UPDATE_MEMBER:
        return new Prediction(updateMember(p, i, step.project()), () -> {
          if (i.members.containsKey(step.project())) {
            i.members.put(step.project(), step.status());
          } else if (!status(i, step.project()).equals(Optional.of(step.status()))) {
            // An answer that restates the status changes nothing: no answer is recorded, so a
            // nearer group added later is the one the membership holds through.
            Answer before = i.answers.get(step.project());
            String via = before != null && counts(i, step.project(), before)
                ? before.via()
                : group(i, step.project()).orElseThrow();
            i.answers.put(step.project(), new Answer(via, step.status()));
          }
        });
      case REMOVE_MEMBER:
        return new Prediction(removeMember(p, i, step.project()), () -> {
          i.members.remove(step.project());
          i.answers.values().removeIf(a -> a.via().equals(step.project()));
        });
      case UPLOAD:
        return new Prediction(upload(p, i, step.size()), () -> i.size = step.size());
      default:
        return new Prediction(enforce(ownerMember(p, i), p, i), () -> i.deleted = true);
    }
  }

  private static int setVisibility(Persona p, ModelImage i, Visibility target) {
    boolean targetRule =
        target == Visibility.PUBLIC
            ? p.admin()
            : target != Visibility.COMMUNITY || ownerMember(p, i);
    int answer = enforce(targetRule, p, i);
    if (answer == OK) {
      answer = enforce(ownerMember(p, i), p, i);
    }
    if (answer == OK && !(p.admin() || owns(p, i))) {
      answer = 403;
    }
    return answer;
  }

  private int addMember(Persona p, ModelImage i, String project) {
    if (i.visibility != Visibility.SHARED) {
      return 403;
    }
    if (!getImageRule(p, i)) {
      return 404;
    }
    if (!ownerMember(p, i)) {
      return 403;
    }
    if (memberQuota >= 0 && i.members.size() + 1 > memberQuota) {
      return 413;
    }
    return i.members.containsKey(project) ? 409 : OK;
  }

  private int upload(Persona p, ModelImage i, long size) {
    int answer = enforce(ownerMember(p, i), p, i);
    if (answer != OK) {
      return answer;
    }
    if (i.size >= 0) {
      return 409;
    }
    return storageQuota >= 0 && storedBytes(i.owner) + size > storageQuota ? 413 : OK;
  }

  private int updateMember(Persona p, ModelImage i, String project) {
    if (i.visibility != Visibility.SHARED) {
      return 403;
    }
    if (!rowVisible(p, i, project)) {
      return 404;
    }
    if (!getImageRule(p, i)) {
      return 404;
    }
    return p.admin() || (p.member() && !owns(p, i)) ? OK : 403;
  }

  private int removeMember(Persona p, ModelImage i, String project) {
    if (i.visibility != Visibility.SHARED) {
      return 403;
    }
    if (!rowVisible(p, i, project)) {
      return 404;
    }
    if (!i.members.containsKey(project)) {
      return 409;
    }
    if (!getImageRule(p, i)) {
      return 404;
    }
    return ownerMember(p, i) ? OK : 403;
  }

  /** The membership exists and the caller sees it: admins and owners all, members their own. */
  private boolean rowVisible(Persona p, ModelImage i, String project) {
    return status(i, project).isPresent()
        && (p.admin() || owns(p, i) || project.equals(p.project()));
  }

  // ---- the lifecycle --------------------------------------------------------------------------

  /** The lifecycle operations the model predicts ({@code lifecycle()} of the governance). */
  public enum LifecycleOp {
    /** {@code join(caller, id, family, null)}: into the owner's family, no explicit version. */
    JOIN,
    /** {@code deprecate(caller, id)}, without a replacement. */
    DEPRECATE,
    /** {@code reinstate(caller, id)}: a deprecated image is active again. */
    REINSTATE,
    /** {@code obsolete(caller, id)}. */
    OBSOLETE,
    /** {@code excludeFromLatest(caller, id, true)}. */
    EXCLUDE,
    /** {@code excludeFromLatest(caller, id, false)}. */
    INCLUDE,
    /**
     * {@code images().patch} of a property in the lifecycle namespace (the state or the family):
     * only lifecycle operations move them, so a patch that tries is refused (403, before the
     * image is looked up) and changes nothing, for the owner and an admin alike.
     */
    PATCH_NAMESPACE,
    /**
     * {@code access().authorizeDownload(caller, id)}, for a new launch: the image must be visible
     * by id and pass {@code get_image} (404), {@code download_image} (the member role, or admin;
     * 403) and, unless admin, not be obsolete (403). A success records the image's last use.
     */
    USE
  }

  /**
   * Predicts a lifecycle operation on the image a step names. The rules: the image must be
   * visible by id (404); the change needs the member role in the owning project or admin (403, or
   * 404 if {@code get_image} fails too); a move to the state the image is in, and a write that
   * changes nothing, succeed and change nothing; otherwise the state machine {@code active ->
   * deprecated -> obsolete} (with {@code deprecated -> active} by {@code reinstate}) refuses a
   * step out of order with 409.
   *
   * @param p the persona asking
   * @param image the index of the image, as {@link Step#image()}
   * @param op the operation
   * @param familyName the family a {@link LifecycleOp#JOIN} puts the image in
   * @return the answer and, on success, the change
   */
  public Prediction predictLifecycle(Persona p, int image, LifecycleOp op, String familyName) {
    if (op == LifecycleOp.PATCH_NAMESPACE) {
      // The body is refused before any lookup, as Glance's request deserializer refuses a
      // reserved attribute: the same 403 for every id, so it tells nothing of the image.
      return new Prediction(403, () -> {});
    }
    if (images.isEmpty()) {
      return new Prediction(404, () -> {});
    }
    ModelImage i = images.get(Math.floorMod(image, images.size()));
    if (!visibleById(p, i)) {
      return new Prediction(404, () -> {});
    }
    if (op == LifecycleOp.USE) {
      return new Prediction(!getImageRule(p, i) ? 404
          : !(p.admin() || p.member()) || (i.state == LifecycleState.OBSOLETE && !p.admin())
              ? 403 : OK,
          () -> i.used = true);
    }
    int allowed = enforce(ownerMember(p, i), p, i);
    if (allowed != OK) {
      return new Prediction(allowed, () -> {});
    }
    switch (op) {
      case JOIN:
        return new Prediction(OK, () -> i.family = familyName);
      case EXCLUDE:
        return new Prediction(OK, () -> i.excluded = true);
      case INCLUDE:
        return new Prediction(OK, () -> i.excluded = false);
      default:
        LifecycleState to = op == LifecycleOp.DEPRECATE ? LifecycleState.DEPRECATED
            : op == LifecycleOp.OBSOLETE ? LifecycleState.OBSOLETE : LifecycleState.ACTIVE;
        boolean moves = i.state == to || i.state.canMoveTo(to);
        return new Prediction(moves ? OK : 409, () -> i.state = to);
    }
  }

  /**
   * {@return whether the persona may download the image for a new launch now: get by id, the
   * {@code download_image} rule (the member role, or admin), data uploaded, and not obsolete
   * unless admin}
   *
   * @param p the persona asking
   * @param i the image
   */
  public boolean mayLaunch(Persona p, ModelImage i) {
    return canGet(p, i) && (p.admin() || p.member()) && i.size >= 0
        && (i.state != LifecycleState.OBSOLETE || p.admin());
  }

  /**
   * The newest version of {@code owner}'s family {@code familyName} the persona may use now
   * ({@code lifecycle().latest}): live, uploaded, lifecycle state active, not excluded from
   * latest, one the persona {@link #mayLaunch}, and for an image it sees only as a member, one
   * whose membership it accepted (unless {@code anyMemberStatus}, as when asked by a version's
   * id). Versions without an explicit version are ordered by creation, so the newest is the one
   * created last.
   *
   * @param p the persona asking
   * @param owner the family's owner project
   * @param familyName the family's name
   * @param anyMemberStatus whether a membership of any status counts
   * @return the newest usable version, or empty (the governance answers 404)
   */
  public Optional<ModelImage> latest(Persona p, String owner, String familyName,
      boolean anyMemberStatus) {
    ModelImage best = null;
    for (ModelImage i : images) {
      if (i.deleted || !owner.equals(i.owner) || !familyName.equals(i.family)
          || i.state != LifecycleState.ACTIVE || i.excluded || !mayLaunch(p, i)) {
        continue;
      }
      boolean onlyAsMember = !p.admin() && i.visibility == Visibility.SHARED && !owns(p, i);
      if (onlyAsMember && !anyMemberStatus
          && i.members.get(p.project()) != MemberStatus.ACCEPTED) {
        continue;
      }
      best = i;
    }
    return Optional.ofNullable(best);
  }

  /**
   * {@code lifecycle().latest(caller, versionId)}: empty (404) unless the persona may get the
   * named image and it is in a family; then {@link #latest} of that family with any membership
   * status.
   *
   * @param p the persona asking
   * @param named the version named by id
   * @return the newest usable version, or empty (the governance answers 404)
   */
  public Optional<ModelImage> latestById(Persona p, ModelImage named) {
    if (!canGet(p, named) || named.family == null) {
      return Optional.empty();
    }
    return latest(p, named.owner, named.family, true);
  }
}
