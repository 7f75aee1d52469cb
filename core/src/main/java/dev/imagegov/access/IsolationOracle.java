package dev.imagegov.access;

import dev.imagegov.model.Image;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.sharing.TenancyDirectory;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The independent judge of isolation verification ({@link Access#verifyIsolation}): for a caller,
 * an image and an {@link IsolationAction}, the sharing rule that lets the caller take the action,
 * or empty when no rule does. The verifier compares its answers with what the governance actually
 * allows and reports every disagreement, so an oracle must not ask the governance (its policy, its
 * check pipelines, its engine): it states the rules afresh, from the image's own fields, the
 * caller's roles and the {@link Context} of the verification (the tenancy it was asked for, which
 * gives the groups above each project for hierarchical sharing; the instant memberships are judged
 * at; the status of an unanswered group offer).
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
   * @param context the tenancy, the instant and the group-offer setting the pair is judged in
   * @return a short sentence naming the rule that allows it, or empty if no sharing rule does
   */
  Optional<String> justify(Caller caller, Image image, IsolationAction action, Context context);

  /**
   * What a pair is judged in besides the caller and the image. Immutable; the oracle reads the
   * tenancy directory from the verifying thread, so a directory that changes while a verification
   * runs gives answers judged against either state.
   *
   * @param tenancy the directory the verification was asked for: the groups above a project are
   *     its {@link TenancyDirectory#lineage} (an image shared with a parent project or domain
   *     reaches every project below it, and only while it is below it)
   * @param at the instant memberships are judged at: a row whose expiry is not after it counts as
   *     removed
   * @param unanswered the status of a project below a group member that has not answered the
   *     group's offer ({@code pending}, or {@code accepted} with {@code group_members_accepted})
   * @param strictConsent whether {@code strict_consent} is on: a member of a shared image (not its
   *     owner, not an admin) boots it only once its membership is accepted
   */
  record Context(
      TenancyDirectory tenancy, Instant at, MemberStatus unanswered, boolean strictConsent) {
    /**
     * Refuses null components.
     *
     * @param tenancy the directory the verification was asked for
     * @param at the instant memberships are judged at
     * @param unanswered the status of an unanswered group offer
     * @param strictConsent whether {@code strict_consent} is on
     * @throws NullPointerException if {@code tenancy}, {@code at} or {@code unanswered} is null
     */
    public Context {
      Objects.requireNonNull(tenancy, "tenancy");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(unanswered, "unanswered");
    }

    /**
     * A context without strict consent (Glance's rule: any member may boot).
     *
     * @param tenancy the directory the verification was asked for
     * @param at the instant memberships are judged at
     * @param unanswered the status of an unanswered group offer
     * @throws NullPointerException if an argument is null
     */
    public Context(TenancyDirectory tenancy, Instant at, MemberStatus unanswered) {
      this(tenancy, at, unanswered, false);
    }

    /**
     * {@return flat sharing (no groups) judged at {@code at}, unanswered offers pending, strict
     * consent off}
     *
     * @param at the instant memberships are judged at
     * @throws NullPointerException if {@code at} is null
     */
    public static Context flat(Instant at) {
      return new Context(TenancyDirectory.none(), at, MemberStatus.PENDING);
    }
  }

  /** {@return a short name for reports, such as {@code glance-rules}} */
  String name();

  /**
   * Core's oracle: Glance's sharing rules under the secure-RBAC defaults with Keystone's implied
   * roles (admin implies member implies reader), stated as a table over the image's fields, plus
   * imagegov's refusals of deactivated and obsolete images for a new launch and its group rule
   * (hierarchical sharing, from the context's tenancy and the image's member rows, expiry
   * included). It shares no code with the policy engine, the check pipelines or {@link
   * Image#membershipOf}.
   *
   * @return the oracle
   */
  static IsolationOracle glanceRules() {
    return GlanceSharingRules.INSTANCE;
  }
}
