package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.codec.ImageCodec;
import dev.imagegov.spi.codec.ImageCodec;
import dev.imagegov.testkit.gen.Images;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The store codec's round trip ({@link ImageCodec}, in store-spi) on the testkit's generated
 * images, made richer here with what the generator leaves out: nanosecond instants, locations,
 * checksums, hashes, a virtual size and versions. A fixed seed makes every run check the same
 * images.
 */
class ImageCodecRoundTripTest {
  private static final long SEED = 20261207L;

  /** Generated images with every optional part the codec writes. */
  private static Gen<Image> richImages() {
    return Images.images()
        .zip(longs().between(0, 999_999_999), integers().between(0, 3), longs().between(1, 1 << 20),
            (image, nanos, locations, version) -> {
              Image.Builder b =
                  image.toBuilder()
                      .createdAt(image.createdAt().plusNanos(nanos))
                      .updatedAt(image.updatedAt().plusNanos(nanos / 1000 * 1000))
                      .version(version);
              for (int i = 0; i < locations; i++) {
                b.addLocations(
                    Location.builder()
                        .store(StoreId.of("s" + (locations - i)))
                        .url("file:///d/" + image.id() + "/" + i)
                        .metadata(Map.of("k" + i, "v"))
                        .build());
              }
              if (locations > 0) {
                b.checksum("0123456789abcdef0123456789abcdef")
                    .osHashAlgo("sha512")
                    .osHashValue("ab".repeat(64))
                    .virtualSize(version * 2);
              }
              return b.build();
            });
  }

  @Test
  void decodingAnEncodedImageGivesTheSameImageWithItsOrdersAndInstants() {
    qt().withFixedSeed(SEED)
        .withExamples(500)
        .forAll(richImages())
        .checkAssert(image -> {
          Image decoded = ImageCodec.decodeImage(ImageCodec.encode(image));
          assertThat(decoded).isEqualTo(image);
          // Equality of sets and maps ignores order; the codec keeps it.
          assertThat(new ArrayList<>(decoded.tags())).isEqualTo(new ArrayList<>(image.tags()));
          assertThat(new ArrayList<>(decoded.properties().keySet()))
              .isEqualTo(new ArrayList<>(image.properties().keySet()));
          assertThat(new ArrayList<>(decoded.members().keySet()))
              .isEqualTo(new ArrayList<>(image.members().keySet()));
          assertThat(decoded.locations()).containsExactlyElementsOf(image.locations());
          assertThat(decoded.createdAt()).isEqualTo(image.createdAt());
        });
  }

  @Test
  void decodingAnEncodedMemberGivesTheSameMember() {
    ImageId image = ImageId.of("6a0d3b0e-4a8f-4c3e-9b1a-2f0f8d3c9e11");
    Member member =
        Member.pending(image, ProjectId.of("consumer"), Instant.parse("2026-12-07T06:00:00.123456789Z"))
            .withStatus(MemberStatus.ACCEPTED, Instant.parse("2026-12-07T06:00:01.5Z"));
    assertThat(ImageCodec.decodeMember(image, ImageCodec.encodeMember(member))).isEqualTo(member);
  }

  @Test
  void decodingRefusesAnUnknownFieldNamingIt() {
    byte[] json =
        "{\"member_id\":\"p\",\"status\":\"pending\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\",\"extra\":1}"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ImageCodec.decodeMember(ImageId.of("6a0d3b0e-4a8f-4c3e-9b1a-2f0f8d3c9e11"), json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'extra'");
  }

  @Test
  void decodingRefusesADuplicateKey() {
    byte[] json =
        "{\"member_id\":\"p\",\"member_id\":\"q\",\"status\":\"pending\",\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ImageCodec.decodeMember(ImageId.of("6a0d3b0e-4a8f-4c3e-9b1a-2f0f8d3c9e11"), json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("member_id");
  }
}
