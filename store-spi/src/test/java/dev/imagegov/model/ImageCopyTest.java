package dev.imagegov.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The shallow copies of {@link Image} equal the builder round trip and keep its checks. */
class ImageCopyTest {
  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final ImageId ID = ImageId.of(new UUID(1, 2));
  private static final ProjectId OWNER = ProjectId.of("owner");
  private static final ProjectId CONSUMER = ProjectId.of("consumer");

  private static Image image() {
    return Image.builder()
        .id(ID)
        .owner(OWNER)
        .status(ImageStatus.ACTIVE)
        .visibility(Visibility.SHARED)
        .createdAt(AT)
        .updatedAt(AT)
        .putProperties("os_distro", "ubuntu")
        .addLocations(Location.of(StoreId.of("fast"), "file:///data/1"))
        .putMembers(CONSUMER, Member.pending(ID, CONSUMER, AT))
        .build();
  }

  @Test
  void replacingLocationsEqualsTheBuilderRoundTrip() {
    Image image = image();
    assertThat(image.replacingLocations(List.of()))
        .isEqualTo(image.toBuilder().locations(List.of()).build());
  }

  @Test
  void replacingMembersEqualsTheBuilderRoundTrip() {
    Image image = image();
    assertThat(image.replacingMembers(ImmutableMap.of()))
        .isEqualTo(image.toBuilder().members(ImmutableMap.of()).build());
  }

  @Test
  void replacingPropertiesEqualsTheBuilderRoundTrip() {
    Image image = image();
    assertThat(image.replacingProperties(Map.of("a", "b")))
        .isEqualTo(image.toBuilder().properties(Map.of("a", "b")).build());
  }

  @Test
  void replacingMembersStillRefusesAMemberOfAnotherImage() {
    ImageId other = ImageId.of(new UUID(3, 4));
    assertThatThrownBy(
            () -> image().replacingMembers(Map.of(CONSUMER, Member.pending(other, CONSUMER, AT))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to another image");
  }

  private static Image of(Image i, ImmutableMap<ProjectId, Member> members) {
    return Image.of(i.id(), i.name(), i.status(), i.visibility(), i.owner(), i.isProtected(),
        i.osHidden(), i.diskFormat(), i.containerFormat(), i.size(), i.virtualSize(),
        i.checksum(), i.osHashAlgo(), i.osHashValue(), i.minDisk(), i.minRam(), i.tags(),
        i.properties(), i.locations(), members,
        i.createdAt(), i.updatedAt(), i.version());
  }

  @Test
  void theFactoryEqualsTheBuilder() {
    Image image = image().toBuilder().name("n").size(5).addTags("a", "b").version(3).build();
    assertThat(of(image, image.members())).isEqualTo(image);
  }

  @Test
  void theFactoryRefusesAMemberOfAnotherImageOrKeyedByAnotherProject() {
    ImageId other = ImageId.of(new UUID(3, 4));
    assertThatThrownBy(() -> of(image(), ImmutableMap.of(CONSUMER, Member.pending(other, CONSUMER, AT))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("belongs to another image");
    assertThatThrownBy(() -> of(image(), ImmutableMap.of(OWNER, Member.pending(ID, CONSUMER, AT))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyed by their project");
  }
}
