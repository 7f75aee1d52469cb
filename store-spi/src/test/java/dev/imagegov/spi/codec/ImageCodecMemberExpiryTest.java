package dev.imagegov.spi.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A membership's expiry is written only when it has one, and reads back to the nanosecond. */
class ImageCodecMemberExpiryTest {
  private static final ImageId IMAGE = ImageId.of("00000000-0000-4000-8000-000000000001");
  private static final Instant T = Instant.parse("2026-05-01T10:00:00.123456789Z");

  @Test
  void anExpiringMembershipRoundTripsWithItsExpiry() {
    Member member = Member.pending(IMAGE, ProjectId.of("p"), T)
        .withStatus(MemberStatus.ACCEPTED, T)
        .toBuilder().expiresAt(T.plusSeconds(3600)).build();
    byte[] json = ImageCodec.encodeMember(member);
    assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"expires_at\"");
    assertThat(ImageCodec.decodeMember(IMAGE, json)).isEqualTo(member);
  }

  @Test
  void aMembershipWithoutExpiryIsWrittenAsBeforeAndReadsBackWithout() {
    Member member = Member.pending(IMAGE, ProjectId.of("p"), T);
    byte[] json = ImageCodec.encodeMember(member);
    assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("expires_at");
    assertThat(ImageCodec.decodeMember(IMAGE, json).expiresAt()).isEmpty();
  }

  @Test
  void isExpiredAtHoldsFromTheExpiryOn() {
    Member member = Member.pending(IMAGE, ProjectId.of("p"), T).toBuilder().expiresAt(T).build();
    assertThat(member.isExpiredAt(T.minusNanos(1))).isFalse();
    assertThat(member.isExpiredAt(T)).isTrue();
    assertThat(Member.pending(IMAGE, ProjectId.of("p"), T).isExpiredAt(Instant.MAX)).isFalse();
  }
}
