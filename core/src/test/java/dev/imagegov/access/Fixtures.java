package dev.imagegov.access;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Images and callers shared by the access tests. */
final class Fixtures {
  static final String OWNER = "p-owner";
  static final String CONSUMER = "p-consumer";
  static final String OUTSIDER = "p-outsider";

  private Fixtures() {}

  static Image image(Visibility visibility) {
    return image(visibility, OWNER);
  }

  static Image image(Visibility visibility, String owner) {
    return Image.builder()
        .id(ImageId.of(UUID.nameUUIDFromBytes((visibility + owner).getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .name("cirros")
        .visibility(visibility)
        .owner(ProjectId.of(owner))
        .createdAt(Instant.EPOCH)
        .updatedAt(Instant.EPOCH)
        .putProperties("os_distro", "cirros")
        .build();
  }

  static Image unowned(Visibility visibility) {
    return Image.builder()
        .id(ImageId.of(UUID.nameUUIDFromBytes("unowned".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
        .visibility(visibility)
        .createdAt(Instant.EPOCH)
        .updatedAt(Instant.EPOCH)
        .build();
  }

  static PolicyTarget ownProject(Caller caller) {
    return caller
        .project()
        .map(p -> PolicyTarget.of(Map.of("project_id", p.value())))
        .orElse(PolicyTarget.empty());
  }
}
