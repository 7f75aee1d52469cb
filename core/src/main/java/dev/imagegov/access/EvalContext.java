package dev.imagegov.access;

import com.google.common.collect.ImmutableSet;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.UserId;
import org.jspecify.annotations.Nullable;

/**
 * One evaluation: the caller's attributes as the rules see them, the target, and lazily computed
 * facts (effective role set, {@code is_admin}). Not thread-safe; one per decision.
 */
final class EvalContext {
  private final Policy policy;
  private final Caller caller;
  private final @Nullable String project;
  private final @Nullable String user;
  private final long roleMask;
  private final PolicyTarget target;
  private final @Nullable ImageTarget imageTarget;
  private final @Nullable MapTarget mapTarget;
  private @Nullable ImmutableSet<String> effective;
  /** 0 not computed, 1 computing (is_admin reads False meanwhile), 2 true, 3 false. */
  private byte admin;

  EvalContext(Policy policy, Caller caller, PolicyTarget target) {
    this.policy = policy;
    this.caller = caller;
    ProjectId p = caller.project().orElse(null);
    this.project = p == null ? null : p.value();
    UserId u = caller.user().orElse(null);
    this.user = u == null ? null : u.value();
    this.roleMask = policy.roleMask(caller);
    this.target = target;
    this.imageTarget = target instanceof ImageTarget ? (ImageTarget) target : null;
    this.mapTarget = target instanceof MapTarget ? (MapTarget) target : null;
  }

  @Nullable String project() {
    return project;
  }

  @Nullable String user() {
    return user;
  }

  long roleMask() {
    return roleMask;
  }

  ImmutableSet<String> effectiveRoles() {
    ImmutableSet<String> e = effective;
    if (e == null) {
      e = policy.effectiveRoles(caller);
      effective = e;
    }
    return e;
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

  /**
   * Glance's {@code is_admin}: the {@code context_is_admin} rule evaluated against an empty target.
   * While it is being computed (a rule that refers to {@code is_admin} from inside {@code
   * context_is_admin}) it reads as false, as in a freshly built Glance context.
   */
  boolean isAdmin() {
    if (admin == 0) {
      admin = 1;
      boolean result = policy.evalAdmin(this);
      admin = result ? (byte) 2 : (byte) 3;
    }
    return admin == 2;
  }

  /** A context for evaluating {@code context_is_admin}: same caller, empty target. */
  EvalContext forAdminCheck() {
    EvalContext c = new EvalContext(policy, caller, MapTarget.EMPTY);
    c.effective = effective;
    c.admin = 1;
    return c;
  }
}
