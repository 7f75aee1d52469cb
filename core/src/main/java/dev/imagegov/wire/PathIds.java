package dev.imagegov.wire;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import java.util.Objects;

/**
 * Ids taken as text from a request's path, with Glance's answer for a malformed one: Glance routes
 * any text to its controllers and answers an image id that is not a UUID as an image it cannot
 * find, so {@link #image} answers 404 {@code IMAGE_NOT_FOUND} "No image found with ID ...", the
 * same answer as for an image that does not exist or that the caller may not see (nothing tells
 * a malformed id from a hidden image). A member id in a path is any non-empty text (project ids
 * are not validated, as in Glance); the empty one names no membership, 404 {@code
 * MEMBER_NOT_FOUND}.
 *
 * <p>Ids in a request body are read by their operation: {@code POST /v2/images}'s {@code id} by
 * {@link GlanceWire#newImage} (400, as Glance's schema answers), a new member's id by {@code
 * sharing().addMember(caller, id, String)} (400 for an empty or 4-byte id). Stateless.
 */
public final class PathIds {
  private PathIds() {}

  /**
   * The image id of a path such as {@code /v2/images/{image_id}}.
   *
   * @param text the path segment
   * @return the image id it holds
   * @throws GovernanceException 404 {@code IMAGE_NOT_FOUND} if {@code text} is not a UUID
   */
  public static ImageId image(String text) {
    return image(text, Engine.noImage(text));
  }

  /**
   * The image id of a path, for an operation whose not-found answer has its own message (Glance's
   * {@code DELETE /v2/images/{image_id}}: "Failed to find image ... to delete").
   *
   * @param text the path segment
   * @param notFoundMessage the operation's message for an image it cannot find
   * @return the image id it holds
   * @throws GovernanceException 404 {@code IMAGE_NOT_FOUND} with {@code notFoundMessage} if
   *     {@code text} is not a UUID
   */
  public static ImageId image(String text, String notFoundMessage) {
    Objects.requireNonNull(text, "text");
    if (!ImageId.isValid(text)) {
      throw Engine.notFound(notFoundMessage);
    }
    return ImageId.of(text);
  }

  /**
   * The member id of a path such as {@code /v2/images/{image_id}/members/{member_id}}.
   *
   * @param text the path segment
   * @return the member's project id
   * @throws GovernanceException 404 {@code MEMBER_NOT_FOUND} if {@code text} is empty
   */
  public static ProjectId member(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw GovernanceException.of(RuleCode.MEMBER_NOT_FOUND, "Member '' not found.");
    }
    return ProjectId.of(text);
  }
}
