package dev.imagegov.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GlanceTextTest {

  private static Instant utc(String iso) {
    return Instant.parse(iso);
  }

  @Test
  void timestampsInManyIsoForms() {
    assertThat(GlanceText.parseTimestamp("2020")).contains(utc("2020-01-01T00:00:00Z"));
    assertThat(GlanceText.parseTimestamp("2020-03")).contains(utc("2020-03-01T00:00:00Z"));
    assertThat(GlanceText.parseTimestamp("2020-3-7")).contains(utc("2020-03-07T00:00:00Z"));
    assertThat(GlanceText.parseTimestamp("20200307")).contains(utc("2020-03-07T00:00:00Z"));
    assertThat(GlanceText.parseTimestamp("2020-03-07T10")).contains(utc("2020-03-07T10:00:00Z"));
    assertThat(GlanceText.parseTimestamp("2020-03-07 10:11")).contains(utc("2020-03-07T10:11:00Z"));
    assertThat(GlanceText.parseTimestamp("2020-03-07T101112"))
        .contains(utc("2020-03-07T10:11:12Z"));
    assertThat(GlanceText.parseTimestamp("2020-03-07T10:11:12.1234567Z"))
        .contains(utc("2020-03-07T10:11:12.123456Z"));
    assertThat(GlanceText.parseTimestamp("2020-03-07T10:11:12,5-0130"))
        .contains(utc("2020-03-07T11:41:12.5Z"));
    assertThat(GlanceText.parseTimestamp("2020-03-07T10:11:12+02"))
        .contains(utc("2020-03-07T08:11:12Z"));
  }

  @Test
  void timestampWithoutZoneIsUtc() {
    assertThat(GlanceText.parseTimestamp("2020-03-07T10:11:12")).contains(utc("2020-03-07T10:11:12Z"));
  }

  @Test
  void invalidTimestampsAreRefused() {
    for (String bad :
        new String[] {
          "", "202", "202003", "2020-13-01", "2020-02-30", "0000-01-01", "2020-01-01T24:00",
          "2020-01-01T10:60", "2020-01-01T10:00:60", "2020-01-01T10:00+24:00", "2020-01-01t10:00",
          "2020-01-01T10:00z", "yesterday", "2020-01-01T10:00:00Zjunk", "２０２０-01-01"
        }) {
      assertThat(GlanceText.parseTimestamp(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void trailingNewlineIsAcceptedAsPythonDoes() {
    assertThat(GlanceText.parseTimestamp("2020-01-01\n")).contains(utc("2020-01-01T00:00:00Z"));
    assertThat(GlanceText.parseTimestamp("2020-01-01\n\n")).isEmpty();
  }

  @Test
  void integersAsPythonReadsThem() {
    assertThat(GlanceText.parseInt(" -12 ")).contains(BigInteger.valueOf(-12));
    assertThat(GlanceText.parseInt("1_000")).contains(BigInteger.valueOf(1000));
    assertThat(GlanceText.parseInt("٣")).contains(BigInteger.valueOf(3));
    assertThat(GlanceText.parseInt("007")).contains(BigInteger.valueOf(7));
    for (String bad : new String[] {"", "-", "_1", "1_", "1__0", "1.0", "0x10", "1e3", "+-1"}) {
      assertThat(GlanceText.parseInt(bad)).as(bad).isEmpty();
    }
    assertThat(GlanceText.parseInt("1".repeat(4301))).isEmpty();
  }

  @Test
  void stripRemovesPythonWhitespace() {
    assertThat(GlanceText.strip("\u00a0\t x \u0085\u3000")).isEqualTo("x");
  }

  @Test
  void longTextIsConvertedWithoutRecursion() {
    // Glance's parameters have no length limit; the conversions are loops and patterns whose
    // repetitions are over character classes (iterative in java.util.regex), never recursion.
    assertThat(GlanceText.parseTimestamp("2020-01-02T03:04:05." + "1".repeat(1_000_000) + "Z"))
        .hasValue(java.time.Instant.parse("2020-01-02T03:04:05.111111Z"));
    assertThat(GlanceText.parseTimestamp("2020-01-02T03:04:05" + " ".repeat(1_000_000))).isEmpty();
    assertThat(GlanceText.parseInt(" ".repeat(1_000_000) + "7" + "_0".repeat(1000))).isPresent();
    assertThat(GlanceText.strip(" ".repeat(1_000_000))).isEmpty();
  }
}
