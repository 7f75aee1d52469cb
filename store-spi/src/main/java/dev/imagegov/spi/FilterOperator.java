package dev.imagegov.spi;

/**
 * A comparison in a {@link FieldFilter}. Every comparison with an absent value is false, as with
 * SQL NULL; {@link #IN} matches when the value equals any operand.
 */
public enum FilterOperator {
  EQ,
  NEQ,
  IN,
  GT,
  GTE,
  LT,
  LTE;

  /** Whether {@code comparison} (a {@code compareTo} result) satisfies this ordering operator. */
  boolean accepts(int comparison) {
    switch (this) {
      case EQ:
      case IN:
        return comparison == 0;
      case NEQ:
        return comparison != 0;
      case GT:
        return comparison > 0;
      case GTE:
        return comparison >= 0;
      case LT:
        return comparison < 0;
      default:
        return comparison <= 0;
    }
  }
}
