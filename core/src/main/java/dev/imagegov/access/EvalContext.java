package dev.imagegov.access;

import com.google.common.collect.ImmutableSet;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.UserId;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation: the caller's attributes as the rules see them (from the policy's {@link
 * Policy.CallerFacts}, computed once per caller) and the target. Not thread-safe; one per decision.
 */
final class EvalContext {
  private final @Nullable String project;
  private final @Nullable String user;
  /** The caller's effective roles, their bits and {@code is_admin}, under the policy. */
  private final Policy.CallerFacts facts;
  private final PolicyTarget target;
  private final @Nullable ImageTarget imageTarget;
  private final @Nullable MapTarget mapTarget;

  /** A context for {@code caller}, whose facts under the evaluating policy are {@code facts}. */
  EvalContext(Policy.CallerFacts facts, Caller caller, PolicyTarget target) {
    Optional<ProjectId> p = caller.project();
    this.project = p.isPresent() ? p.get().value() : null;
    Optional<UserId> u = caller.user();
    this.user = u.isPresent() ? u.get().value() : null;
    this.facts = facts;
    this.target = target;
    this.imageTarget = target instanceof ImageTarget ? (ImageTarget) target : null;
    this.mapTarget = target instanceof MapTarget ? (MapTarget) target : null;
  }

  /**
   * A context for evaluating {@code context_is_admin}: an empty target, and {@code is_admin}
   * reading false (a rule that refers to {@code is_admin} from inside {@code context_is_admin} sees
   * it as in a freshly built Glance context).
   */
  static EvalContext forAdminCheck(
      Policy policy, Caller caller, ImmutableSet<String> effective, long roleMask) {
    return new EvalContext(
        new Policy.CallerFacts(policy, effective, roleMask, false), caller, MapTarget.EMPTY);
  }

  @Nullable String project() {
    return project;
  }

  @Nullable String user() {
    return user;
  }

  long roleMask() {
    return facts.mask;
  }

  ImmutableSet<String> effectiveRoles() {
    return facts.effective;
  }

  /** {@return the effective roles as an explanation shows them: {@code a, b}, empty for none} */
  String rolesText() {
    return facts.rolesText();
  }

  /** {@return the caller's effective roles as a role check's explanation details them} */
  String rolesDetail() {
    return facts.rolesDetail();
  }

  @Nullable String targetValue(String key) {
    if (imageTarget != null) {
      return imageTarget.raw(key);
    }
    if (mapTarget != null) {
      return mapTarget.raw(key);
    }
    return target.get(key).orElse(null);
  }

  /** Glance's {@code is_admin}: the {@code context_is_admin} rule against an empty target. */
  boolean isAdmin() {
    return facts.admin;
  }
}
