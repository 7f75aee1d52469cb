package dev.imagegov.spi.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageCodecInstantTest {
  private static final long FIRST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long LAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  @Test
  void instantsReadBackAsInstantToStringWroteThem() {
    qt().forAll(longs().between(FIRST, LAST), integers().between(0, 999_999_999),
            integers().between(0, 3))
        .checkAssert((seconds, nanos, precision) -> {
          // Whole seconds, milliseconds, microseconds and nanoseconds print differently.
          int divisor = new int[] {1_000_000_000, 1_000_000, 1_000, 1}[precision];
          Instant instant = Instant.ofEpochSecond(seconds, nanos / divisor * divisor);
          assertThat(ImageCodec.parseInstant(instant.toString())).isEqualTo(instant);
        });
  }

  @Test
  void textOutsideTheFastFormReadsAsInstantParseReadsIt() {
    List<String> texts = List.of(
        "2024-02-29T10:11:12Z", "2024-02-29T10:11:12.5Z", "2024-02-29T10:11:12.1234Z",
        "2023-02-29T10:11:12Z", "2024-13-01T10:11:12Z", "2024-04-31T10:11:12Z",
        "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z", "2024-01-01T23:59:60Z",
        "2024-01-01T10:11:12.Z", "2024-01-01T10:11:12.1234567890Z", "2024-01-01 10:11:12Z",
        "+2024-01-01T10:11:12Z", "2024-01-01T10:11:12+01:00", "2024-01-01t10:11:12z",
        "2024-0a-01T10:11:12Z", "2024-01-01T10:11:12", "");
    for (String text : texts) {
      Instant expected;
      try {
        expected = Instant.parse(text);
      } catch (DateTimeParseException e) {
        assertThatThrownBy(() -> ImageCodec.parseInstant(text))
            .as(text)
            .isInstanceOf(DateTimeParseException.class);
        continue;
      }
      assertThat(ImageCodec.parseInstant(text)).as(text).isEqualTo(expected);
    }
  }
}
