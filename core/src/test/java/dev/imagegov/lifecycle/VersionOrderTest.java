package dev.imagegov.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Explicit versions compare segment by segment, numbers as numbers and before text. */
final class VersionOrderTest {
  private static int sign(String a, String b) {
    return Integer.signum(VersionOrder.compareVersions(a, b));
  }

  @Test
  void numericSegmentsCompareAsNumbers() {
    assertThat(sign("1.10", "1.9")).isEqualTo(1);
    assertThat(sign("2", "10")).isEqualTo(-1);
    assertThat(sign("1.0", "1.0")).isZero();
  }

  @Test
  void aLongerVersionWithTheSamePrefixIsNewer() {
    assertThat(sign("1.2.1", "1.2")).isEqualTo(1);
    assertThat(sign("1.2", "1.2-1")).isEqualTo(-1);
  }

  @Test
  void numbersComeBeforeTextAndTextComparesAsText() {
    assertThat(sign("1.0", "1.rc1")).isEqualTo(-1);
    assertThat(sign("1.beta", "1.alpha")).isEqualTo(1);
  }

  @Test
  void hugeNumericSegmentsDoNotOverflow() {
    assertThat(sign("1." + "9".repeat(30), "1." + "9".repeat(29))).isEqualTo(1);
  }
}
