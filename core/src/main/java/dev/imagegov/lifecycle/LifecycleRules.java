package dev.imagegov.lifecycle;

import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The lifecycle rules other concerns ask: whether a use of an image is allowed in its state (the
 * download pipeline's lifecycle step, {@code dev.imagegov.access.ActionChecks}), whether a
 * deletion is refused because the image is in use (the delete pipeline's step), whether a list
 * shows it ({@code dev.imagegov.image.Images#list}), whether a replacement reaches everyone the
 * replaced image reaches. Public only so that those packages ask this one home; it is not API.
 * Stateless.
 */
public final class LifecycleRules {
  private LifecycleRules() {}

  /**
   * The refusal of {@code use} of {@code image} by {@code caller}, or {@code null} if allowed:
   * an obsolete image is refused for a {@link Use#NEW_LAUNCH} to anyone but an admin, and for an
   * {@link Use#EXISTING_INSTANCE} when {@code usage} knows every use and reports none by the
   * caller's project. Active and deprecated images are allowed.
   *
   * @param image the image to be used
   * @param caller who wants to use it
   * @param admin whether the caller is an admin
   * @param use a new launch or an existing instance
   * @param usage where the image is in use
   * @return the refusal, or {@code null} if the use is allowed
   */
  public static @Nullable GovernanceException useRefusal(
      Image image, Caller caller, boolean admin, Use use, ImageUsage usage) {
    if (admin || LifecycleInfo.stateOf(image) != LifecycleState.OBSOLETE) {
      return null;
    }
    if (use == Use.EXISTING_INSTANCE && (!usage.knowsAll() || usedBy(image, caller, usage))) {
      return null;
    }
    String replaced = LifecycleInfo.of(image).replacement()
        .map(r -> " Use its replacement " + r + ".").orElse("");
    return GovernanceException.of(RuleCode.LIFECYCLE_FORBIDS,
        "Image " + image.id() + " is obsolete: it is refused for a new launch." + replaced);
  }

  private static boolean usedBy(Image image, Caller caller, ImageUsage usage) {
    for (ImageUse u : usage.usesOf(image.id())) {
      if (caller.isIn(u.project())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The refusal of deleting {@code image} while {@code usage} reports it in use, or {@code null}
   * (also for an admin, who may force the deletion). A step of the delete pipeline.
   *
   * @param image the image to delete
   * @param admin whether the caller is an admin, who may delete an image in use
   * @param usage where the image is in use
   * @return the 409 refusal, or {@code null} if the deletion may go on
   */
  public static @Nullable GovernanceException inUseRefusal(
      Image image, boolean admin, ImageUsage usage) {
    if (admin || !usage.inUse(image.id())) {
      return null;
    }
    return GovernanceException.of(RuleCode.IMAGE_IN_USE,
        "Image " + image.id() + " is in use and cannot be deleted.");
  }

  /**
   * A note on the image's lifecycle for an explanation: state, since, replacement.
   *
   * @param image the image to describe
   * @return a one-line note of its lifecycle state, since and replacement
   */
  public static String describe(Image image) {
    LifecycleInfo info = LifecycleInfo.of(image);
    StringBuilder out = new StringBuilder("lifecycle state ").append(info.state().wireName());
    info.since().ifPresent(s -> out.append(" since ").append(s));
    info.replacement().ifPresent(r -> out.append(", replacement ").append(r));
    return out.toString();
  }

  /**
   * Whether a list shows {@code image}: an obsolete image only when the list filters on {@code
   * imagegov_lifecycle_state} (it is asked for).
   *
   * @param image the image a list would show
   * @param propertyFilters the names of the properties the list filters on
   * @return {@code false} only for an obsolete image the list does not ask for by state
   */
  public static boolean listed(Image image, Set<String> propertyFilters) {
    return LifecycleInfo.stateOf(image) != LifecycleState.OBSOLETE
        || propertyFilters.contains(Keys.STATE);
  }

  /**
   * Whether everyone who may see {@code replaced} by id may see {@code replacement} by id (for
   * the members of a shared image: each member of the replaced image is a member of the
   * replacement, or the replacement is public, community or unowned).
   */
  static boolean reachesEveryone(Image replaced, Image replacement) {
    if (replacement.owner().isEmpty()
        || replacement.visibility() == Visibility.PUBLIC
        || replacement.visibility() == Visibility.COMMUNITY) {
      return true;
    }
    if (replaced.owner().isEmpty()
        || replaced.visibility() == Visibility.PUBLIC
        || replaced.visibility() == Visibility.COMMUNITY) {
      return false;
    }
    ProjectId owner = replaced.owner().get();
    if (!replacement.isOwnedBy(owner)) {
      return false;
    }
    if (replaced.visibility() != Visibility.SHARED) {
      return true; // private: the owner alone sees it, and owns the replacement
    }
    return replacement.visibility() == Visibility.SHARED
        && replacement.members().keySet().containsAll(replaced.members().keySet());
  }

  /**
   * The refusal of {@code replacement} as the replacement of {@code replaced}, or {@code null}.
   */
  static @Nullable GovernanceException replacementRefusal(Image replaced, Image replacement) {
    if (replacement.id().equals(replaced.id())) {
      return invalidReplacement("An image cannot replace itself.");
    }
    if (replacement.status() != ImageStatus.ACTIVE
        || LifecycleInfo.of(replacement).state() != LifecycleState.ACTIVE) {
      return invalidReplacement("The replacement " + replacement.id()
          + " must be active (status and lifecycle state).");
    }
    if (!reachesEveryone(replaced, replacement)) {
      return invalidReplacement("The replacement " + replacement.id()
          + " must be visible to everyone image " + replaced.id() + " is visible to.");
    }
    return null;
  }

  private static GovernanceException invalidReplacement(String message) {
    return GovernanceException.of(RuleCode.INVALID_REPLACEMENT, message);
  }
}
