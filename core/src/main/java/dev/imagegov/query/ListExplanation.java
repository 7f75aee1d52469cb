package dev.imagegov.query;

import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import java.util.Objects;
import java.util.Optional;

/**
 * Why an image is (or is not) in one page of a caller's list: the answer of {@code
 * images().explainList}. It is computed by the list's own code (the same query, the same
 * predicates of {@link dev.imagegov.spi.QueryEvaluator}, the same post-filters), so it always
 * agrees with {@code images().list} for that caller and request. Immutable.
 *
 * @param image the image asked about
 * @param appears whether the image is on the page the request lists
 * @param clause the clause that decides it (the first that excludes the image, or {@link
 *     Clause#LISTED})
 * @param detail a readable sentence naming the clause's values (the filter, the status, and the
 *     group when {@code via} names one)
 * @param via the group (a parent project or domain above the caller's project, itself a member
 *     of the image) through which the caller holds the membership that puts a shared image in its
 *     list, or leaves it out by member status (hierarchical sharing); empty when the caller is a
 *     direct member, owns the image, sees it as public, community or admin, or is no member (a
 *     project moved out of the group's subtree is no member: {@link Clause#NOT_VISIBLE})
 */
public record ListExplanation(
    ImageId image, boolean appears, Clause clause, String detail, Optional<ProjectId> via) {

  /** The clauses of the list, in the order the list applies them. */
  public enum Clause {
    /** No image with this id is visible to the caller by id (or none exists): never listed. */
    NOT_VISIBLE,
    /** The request filters on a custom property the caller may not read: the page is empty. */
    PROTECTED_PROPERTY_FILTER,
    /** The image is deleted or killed. */
    NOT_LISTABLE,
    /** The caller's project neither owns the image nor is a member of it (and it is not public). */
    NOT_SHARED_WITH_CALLER,
    /** The caller is a member whose status is not the one asked for ({@code accepted} default). */
    MEMBER_STATUS,
    /** A community image the caller does not own, and the request does not ask for community. */
    COMMUNITY_NOT_ASKED,
    /** The {@code visibility} parameter asks for another visibility. */
    VISIBILITY_FILTER,
    /** The image is hidden ({@code os_hidden}) and the request does not ask for hidden images. */
    OS_HIDDEN,
    /** A filter on a base attribute, a custom property or a tag does not hold. */
    FILTER,
    /** An obsolete image (lifecycle) the request does not ask for by state. */
    OBSOLETE,
    /** {@code get_image} denies the caller this image, so the list leaves it out. */
    GET_IMAGE_POLICY,
    /** The image matches, but lies outside this page (before the marker or past the limit). */
    OUTSIDE_PAGE,
    /** The image is on the page. */
    LISTED
  }

  /**
   * Checks the components are present and that {@code appears} is true exactly for {@link
   * Clause#LISTED}.
   *
   * @param image the image asked about
   * @param appears whether the image is on the page
   * @param clause the clause that decides it
   * @param detail a readable sentence
   * @param via the group through which the caller's membership holds, if any
   */
  public ListExplanation {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(clause, "clause");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(via, "via");
    if (appears != (clause == Clause.LISTED)) {
      throw new IllegalArgumentException("an image appears exactly when its clause is LISTED");
    }
  }

  /**
   * An explanation that names no group.
   *
   * @param image the image asked about
   * @param appears whether the image is on the page
   * @param clause the clause that decides it
   * @param detail a readable sentence
   */
  public ListExplanation(ImageId image, boolean appears, Clause clause, String detail) {
    this(image, appears, clause, detail, Optional.empty());
  }
}
