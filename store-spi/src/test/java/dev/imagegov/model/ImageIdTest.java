package dev.imagegov.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.spi.blob.BlobKey;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** An image id is a UUID in its 8-4-4-4-12 form, hex digits of either case, nothing else. */
class ImageIdTest {
  private static final Pattern FORM =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  @Test
  void onlyTheEightFourFourFourTwelveHexFormIsAnId() {
    assertThat(ImageId.isValid("0f6e2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b")).isTrue();
    assertThat(ImageId.isValid("0F6E2A3B-1C2D-4E5F-8A9B-0C1D2E3F4A5B")).isTrue();
    assertThat(ImageId.isValid(null)).isFalse();
    assertThat(ImageId.isValid("")).isFalse();
    assertThat(ImageId.isValid("0f6e2a3b1c2d-4e5f-8a9b-0c1d2e3f4a5b-")).isFalse();
    assertThat(ImageId.isValid("0f6e2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5g")).isFalse();
    assertThat(ImageId.isValid("0f6e2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5b\n")).isFalse();
    assertThat(ImageId.isValid("0f6e2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5")).isFalse();
    // Digits of other scripts are not hex digits.
    assertThat(ImageId.isValid("0f6e2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5\u0663")).isFalse();
    assertThat(ImageId.isValid("0f6e2a3b-1c2d-4e5f-8a9b-0c1d2e3f4a5\uff11")).isFalse();
    assertThatThrownBy(() -> ImageId.of("not-an-id")).isInstanceOf(GovernanceException.class);
  }

  /** The check agrees with the form's regular expression on random near-ids (seed 20261207). */
  @Test
  void theCheckAgreesWithTheFormOnRandomNearIds() {
    Random random = new Random(20261207L);
    String alphabet = "0123456789abcdefABCDEFgG-x\u0663 ";
    int valid = 0;
    for (int k = 0; k < 20_000; k++) {
      StringBuilder s = new StringBuilder(new UUID(random.nextLong(), random.nextLong()).toString());
      int edits = random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        int at = random.nextInt(s.length());
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        switch (random.nextInt(3)) {
          case 0 -> s.setCharAt(at, c);
          case 1 -> s.insert(at, c);
          default -> s.deleteCharAt(at);
        }
      }
      String text = s.toString();
      boolean expected = FORM.matcher(text).matches();
      assertThat(ImageId.isValid(text)).as("seed 20261207, %s", text).isEqualTo(expected);
      valid += expected ? 1 : 0;
    }
    assertThat(valid).as("valid near-ids from seed 20261207").isBetween(2_000, 18_000);
  }

  @Test
  void theBlobKeyOfAnImageIsItsId() {
    ImageId id = ImageId.of("0F6E2A3B-1C2D-4E5F-8A9B-0C1D2E3F4A5B");
    assertThat(BlobKey.of(id)).isEqualTo(BlobKey.of(id.value()));
    assertThat(BlobKey.of(id).value()).isEqualTo(id.value());
  }

  /**
   * Ids compare by their bits where that is faster, but always answer as their texts do: equal,
   * hashed and ordered exactly as {@link String} would, whatever the case of their digits (seed
   * 20261208; pairs share their digits half of the time, so case alone often tells them apart).
   */
  @Test
  void idsAreEqualHashedAndOrderedExactlyAsTheirTexts() {
    Random random = new Random(20261208L);
    for (int k = 0; k < 20_000; k++) {
      UUID uuid = new UUID(random.nextLong(), random.nextLong());
      UUID other = random.nextBoolean() ? uuid : new UUID(
          random.nextBoolean() ? uuid.getMostSignificantBits() : random.nextLong(),
          random.nextLong());
      String a = recase(uuid.toString(), random);
      String b = recase(other.toString(), random);
      ImageId x = ImageId.of(a);
      ImageId y = ImageId.of(b);
      assertThat(x.equals(y)).as("seed 20261208: %s vs %s", a, b).isEqualTo(a.equals(b));
      assertThat(x.hashCode()).isEqualTo(a.hashCode());
      assertThat(Integer.signum(x.compareTo(y)))
          .as("seed 20261208: %s vs %s", a, b)
          .isEqualTo(Integer.signum(a.compareTo(b)));
      assertThat(x.value()).isEqualTo(a);
    }
    ImageId fromUuid = ImageId.of(new UUID(-1L, 1L));
    assertThat(fromUuid).isEqualTo(ImageId.of("ffffffff-ffff-ffff-0000-000000000001"));
    assertThat(fromUuid).isNotEqualTo(ImageId.of("FFFFFFFF-ffff-ffff-0000-000000000001"));
  }

  /** {@code text} as is (half of the time), in upper case, or with random digits upper-cased. */
  private static String recase(String text, Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return text.toUpperCase(java.util.Locale.ROOT);
      case 1:
        StringBuilder s = new StringBuilder(text);
        for (int i = 0; i < s.length(); i++) {
          if (random.nextInt(4) == 0) {
            s.setCharAt(i, Character.toUpperCase(s.charAt(i)));
          }
        }
        return s.toString();
      default:
        return text;
    }
  }
}
