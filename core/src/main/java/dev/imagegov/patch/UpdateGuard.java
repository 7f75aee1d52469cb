package dev.imagegov.patch;

import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.Visibility;
import dev.imagegov.protection.PropertyOperation;

/**
 * What {@link PatchApplier} asks of the governance engine while it applies operations: policy
 * checks with Glance's Forbidden-becomes-NotFound rule, the hard mutate check, whether the caller
 * is an admin, and property protections. The facade implements it; tests may implement it to run
 * the applier alone. Every method either returns or throws a {@code GovernanceException}.
 */
public interface UpdateGuard {
  /** Whether the caller is an admin ({@code context_is_admin}). */
  boolean isAdmin(Caller caller);

  /**
   * Enforces a policy rule on the image: passes, or throws 404 when the caller may not even see
   * the image, else 403 with {@code forbiddenMessage}.
   */
  void enforce(String rule, Caller caller, Image image, String forbiddenMessage);

  /**
   * Enforces the rule that setting {@code target} needs beyond {@code modify_image} ({@code
   * publicize_image} for public, {@code communitize_image} for community), as a visibility change
   * does; passes for the other values.
   */
  void enforceVisibility(Caller caller, Image image, Visibility target);

  /** Glance's hard mutate check: only an admin or the owner may change the image (403). */
  void checkMutable(Caller caller, Image image);

  /** Whether property protections let the caller do {@code operation} on {@code key}. */
  boolean allows(Caller caller, String key, PropertyOperation operation);
}
