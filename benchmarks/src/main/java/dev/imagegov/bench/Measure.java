package dev.imagegov.bench;

/**
 * A measured figure with its error: JMH's score and the half-width of its 99.9% confidence
 * interval ({@code scoreError}), in the same unit. An unknown error (JMH gives none for fewer
 * than three samples) is {@link Double#NaN}; a figure that is counted rather than sampled (the
 * heap in use after a full GC) has an error of zero.
 *
 * <p>A quotient or product propagates the error to first order, the relative errors added in
 * quadrature (the two figures are measured in different forks, so independently).
 */
record Measure(double value, double error) {
  /** A figure known exactly. */
  static Measure exact(double value) {
    return new Measure(value, 0);
  }

  /** Whether the error is known. */
  boolean hasError() {
    return !Double.isNaN(error);
  }

  /** This figure over {@code other}, with the propagated error. */
  Measure over(Measure other) {
    double r = value / other.value;
    return new Measure(r, Math.abs(r) * Math.hypot(relative(), other.relative()));
  }

  /** This figure times a constant (a unit change, a batch size): the error scales with it. */
  Measure times(double factor) {
    return new Measure(value * factor, Math.abs(error * factor));
  }

  /**
   * {@code numerator} over this figure (a rate from a time per operation): the relative error
   * is kept.
   */
  Measure inverse(double numerator) {
    double r = numerator / value;
    return new Measure(r, Math.abs(r) * relative());
  }

  private double relative() {
    return value == 0 ? Double.NaN : Math.abs(error / value);
  }

  /** The outcome of a target: met, missed, or not decided by this measurement. */
  enum Verdict {
    /** The bound holds over the whole error interval. */
    MET,
    /** The bound fails over the whole error interval. */
    MISSED,
    /** The bound lies within the error interval, or the error is unknown. */
    UNDECIDED
  }

  /**
   * Whether this figure meets {@code bound}: {@code atLeast} for a floor (a throughput, a speed-up
   * ratio: met when {@code value - error >= bound}), otherwise a ceiling (a time, a growth ratio:
   * met when {@code value + error <= bound}). Missed when even the favourable end of the interval
   * fails the bound. With an unknown error nothing is decided.
   */
  Verdict against(double bound, boolean atLeast) {
    if (!hasError() || Double.isNaN(value)) {
      return Verdict.UNDECIDED;
    }
    double low = value - error;
    double high = value + error;
    if (atLeast) {
      return low >= bound ? Verdict.MET : high < bound ? Verdict.MISSED : Verdict.UNDECIDED;
    }
    return high <= bound ? Verdict.MET : low > bound ? Verdict.MISSED : Verdict.UNDECIDED;
  }
}
