package dev.imagegov.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.imagegov.bench.Measure.Verdict;
import org.junit.jupiter.api.Test;

class MeasureTest {
  @Test
  void throughputTargetIsMetOnlyWhenTheLowerBoundHolds() {
    assertThat(new Measure(2_360_000, 200_000).against(2_000_000, true)).isEqualTo(Verdict.MET);
    assertThat(new Measure(2_000_000, 0).against(2_000_000, true)).isEqualTo(Verdict.MET);
  }

  @Test
  void throughputWhoseErrorStraddlesTheTargetIsNotDecided() {
    // Issue 14's case: 2.36M/s ± 25M read "met" against the 2M/s target.
    assertThat(new Measure(2_363_997, 25_339_295).against(2_000_000, true))
        .isEqualTo(Verdict.UNDECIDED);
  }

  @Test
  void throughputWhoseUpperBoundFallsShortIsMissed() {
    assertThat(new Measure(1_500_000, 200_000).against(2_000_000, true))
        .isEqualTo(Verdict.MISSED);
  }

  @Test
  void timeTargetIsMetOnlyWhenTheUpperBoundHolds() {
    assertThat(new Measure(2.5, 0.4).against(3, false)).isEqualTo(Verdict.MET);
    assertThat(new Measure(2.8, 0.4).against(3, false)).isEqualTo(Verdict.UNDECIDED);
    assertThat(new Measure(3.5, 0.4).against(3, false)).isEqualTo(Verdict.MISSED);
  }

  @Test
  void figureWithoutAnErrorDecidesNothing() {
    assertThat(new Measure(1, Double.NaN).against(3, false)).isEqualTo(Verdict.UNDECIDED);
    assertThat(new Measure(10, Double.NaN).against(3, true)).isEqualTo(Verdict.UNDECIDED);
  }

  @Test
  void countedFigureIsExact() {
    assertThat(Measure.exact(1_810).against(2_048, false)).isEqualTo(Verdict.MET);
  }

  @Test
  void quotientAddsTheRelativeErrorsInQuadrature() {
    Measure r = new Measure(10, 1).over(new Measure(5, 0.5));
    assertThat(r.value()).isEqualTo(2);
    assertThat(r.error()).isCloseTo(2 * Math.sqrt(0.02), within(1e-12));
  }

  @Test
  void quotientOfAFigureWithoutErrorHasNoError() {
    assertThat(new Measure(10, Double.NaN).over(new Measure(5, 0.5)).hasError()).isFalse();
  }

  @Test
  void rateFromATimeKeepsTheRelativeError() {
    Measure rate = new Measure(500, 50).inverse(1000);
    assertThat(rate.value()).isEqualTo(2);
    assertThat(rate.error()).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void verdictTextNamesWhyNothingIsDecided() {
    assertThat(Report.verdict(new Measure(2.36e6, 2.5e7), 2e6, true))
        .contains("not decided").contains("within the error");
    assertThat(Report.verdict(new Measure(2.36e6, Double.NaN), 2e6, true))
        .contains("no error");
    assertThat(Report.verdict(null, 2e6, true)).isEqualTo("not measured");
  }
}
