package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.time.Instant;
import java.util.UUID;

/** Small images for the tests of this module. */
final class TestImages {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final ProjectId ALICE = ProjectId.of("alice");
  static final ProjectId BOB = ProjectId.of("bob");
  static final ProjectId CAROL = ProjectId.of("carol");

  private TestImages() {}

  /** The id numbered {@code n}. */
  static ImageId id(long n) {
    return ImageId.of(new UUID(0, n));
  }

  /** An active image owned by {@code owner}, created {@code second} seconds after T0. */
  static Image image(long n, ProjectId owner, Visibility visibility, long second) {
    return Image.builder()
        .id(id(n))
        .owner(owner)
        .visibility(visibility)
        .status(ImageStatus.ACTIVE)
        .createdAt(T0.plusSeconds(second))
        .updatedAt(T0.plusSeconds(second))
        .build();
  }

  /** A private active image of {@code owner}. */
  static Image image(long n, ProjectId owner) {
    return image(n, owner, Visibility.PRIVATE, n);
  }

  /** {@code image} with {@code project} as a member of status {@code status}. */
  static Image withMember(Image image, ProjectId project, MemberStatus status) {
    return image.toBuilder()
        .putMembers(
            project,
            Member.builder()
                .imageId(image.id())
                .project(project)
                .status(status)
                .createdAt(image.createdAt())
                .updatedAt(image.createdAt())
                .build())
        .build();
  }
}
