package dev.imagegov.access;

import dev.imagegov.model.Image;
import java.util.Optional;

/**
 * The independent judge of isolation verification ({@link Access#verifyIsolation}): for a caller,
 * an image and an {@link IsolationAction}, the sharing rule that lets the caller take the action,
 * or empty when no rule does. The verifier compares its answers with what the governance actually
 * allows and reports every disagreement, so an oracle must not ask the governance (its policy, its
 * check pipelines, its engine): it states the rules afresh, from the image's own fields and the
 * caller's roles.
 *
 * <p>{@link #glanceRules()} is core's own oracle, a small table of Glance's sharing rules under
 * the secure-RBAC defaults; the testkit supplies one built on its reference model. An oracle is
 * called from one thread at a time; it must be deterministic and must not call back into the
 * governance.
 */
public interface IsolationOracle {
  /**
   * The rule that justifies {@code action} by {@code caller} on {@code image}.
   *
   * @param caller the project's caller, with its roles as given (implied roles are the oracle's
   *     to apply)
   * @param image the image as stored (members, visibility, owner, status, properties)
   * @param action the action asked about
   * @return a short sentence naming the rule that allows it, or empty if no sharing rule does
   */
  Optional<String> justify(Caller caller, Image image, IsolationAction action);

  /** {@return a short name for reports, such as {@code glance-rules}} */
  String name();

  /**
   * Core's oracle: Glance's sharing rules under the secure-RBAC defaults with Keystone's implied
   * roles (admin implies member implies reader), stated as a table over the image's fields, plus
   * imagegov's refusals of deactivated and obsolete images for a new launch. It shares no code
   * with the policy engine or the check pipelines.
   *
   * @return the oracle
   */
  static IsolationOracle glanceRules() {
    return GlanceSharingRules.INSTANCE;
  }
}
