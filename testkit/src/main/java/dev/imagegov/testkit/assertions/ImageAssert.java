package dev.imagegov.testkit.assertions;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.testkit.gen.Images;
import java.util.Arrays;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on an {@link Image}; each failure names the attribute, the expected and the actual
 * value, and describes the whole image. An AssertJ assertion: {@code as}, {@code describedAs} and
 * {@code withFailMessage} apply to its failures.
 */
public final class ImageAssert extends AbstractAssert<ImageAssert, Image> {
  ImageAssert(Image actual) {
    super(actual, ImageAssert.class);
  }

  private AssertionError mismatch(String attribute, Object expected, Object actualValue) {
    String message =
        "Expected image "
            + actual.id()
            + " to have "
            + attribute
            + " "
            + expected
            + ", but it has "
            + actualValue
            + "\n  "
            + Images.describe(actual);
    // AbstractAssert.failure formats its message (and adds the description): keep '%' literal.
    return failure(message.replace("%", "%%"));
  }

  /**
   * The image has this visibility.
   *
   * @param visibility the expected visibility
   * @return this assertion, for chaining
   */
  public ImageAssert hasVisibility(Visibility visibility) {
    isNotNull();
    if (actual.visibility() != visibility) {
      throw mismatch("visibility", visibility.wireName(), actual.visibility().wireName());
    }
    return this;
  }

  /**
   * The image has this status.
   *
   * @param status the expected status
   * @return this assertion, for chaining
   */
  public ImageAssert hasStatus(ImageStatus status) {
    isNotNull();
    if (actual.status() != status) {
      throw mismatch("status", status.wireName(), actual.status().wireName());
    }
    return this;
  }

  /**
   * {@return {@code owner} owns the image}
   *
   * @param owner the owning project
   */
  public ImageAssert isOwnedBy(ProjectId owner) {
    isNotNull();
    if (!actual.isOwnedBy(owner)) {
      throw mismatch("owner", owner, actual.owner().map(ProjectId::value).orElse("no owner"));
    }
    return this;
  }

  /**
   * {@return {@code owner} owns the image}
   *
   * @param owner the owning project's id
   */
  public ImageAssert isOwnedBy(String owner) {
    return isOwnedBy(ProjectId.of(owner));
  }

  /**
   * The image has no owner.
   *
   * @return this assertion, for chaining
   */
  public ImageAssert isUnowned() {
    isNotNull();
    if (actual.owner().isPresent()) {
      throw mismatch("owner", "none", actual.owner().get());
    }
    return this;
  }

  /**
   * The image has this name.
   *
   * @param name the expected name
   * @return this assertion, for chaining
   */
  public ImageAssert hasName(String name) {
    isNotNull();
    if (!actual.name().equals(Optional.of(name))) {
      throw mismatch(
          "name", '"' + name + '"', actual.name().map(n -> '"' + n + '"').orElse("no name"));
    }
    return this;
  }

  /**
   * {@code project} is a member of the image with this status.
   *
   * @param project the member project expected
   * @param status the member's expected status
   * @return this assertion, for chaining
   */
  public ImageAssert hasMember(ProjectId project, MemberStatus status) {
    isNotNull();
    Optional<MemberStatus> actualStatus = actual.member(project).map(Member::status);
    if (!actualStatus.equals(Optional.of(status))) {
      throw mismatch(
          "member " + project,
          status.wireName(),
          actualStatus.map(MemberStatus::wireName).orElse("no membership"));
    }
    return this;
  }

  /**
   * {@return {@code project} is a member of the image with this status}
   *
   * @param project the project's id
   * @param status the member's expected status
   */
  public ImageAssert hasMember(String project, MemberStatus status) {
    return hasMember(ProjectId.of(project), status);
  }

  /**
   * {@code project} is not a member of the image.
   *
   * @param project the project that must not be a member
   * @return this assertion, for chaining
   */
  public ImageAssert hasNoMember(ProjectId project) {
    isNotNull();
    if (actual.member(project).isPresent()) {
      throw mismatch(
          "no member " + project, "", "it as " + actual.member(project).get().status().wireName());
    }
    return this;
  }

  /**
   * The image carries at least these tags.
   *
   * @param tags the tags the image must carry
   * @return this assertion, for chaining
   */
  public ImageAssert hasTags(String... tags) {
    isNotNull();
    if (!actual.tags().containsAll(Arrays.asList(tags))) {
      throw mismatch("tags", Arrays.toString(tags), actual.tags());
    }
    return this;
  }
}
