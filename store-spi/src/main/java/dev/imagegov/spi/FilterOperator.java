package dev.imagegov.spi;

/**
 * A comparison in a {@link FieldFilter}. Every comparison with an absent value is false, as with
 * SQL NULL; {@link #IN} matches when the value equals any operand.
 */
public enum FilterOperator {
  /** The value equals the operand. */
  EQ,
  /** The value is present and differs from the operand. */
  NEQ,
  /** The value equals one of the operands. */
  IN,
  /** The value is greater than the operand. */
  GT,
  /** The value is greater than or equal to the operand. */
  GTE,
  /** The value is less than the operand. */
  LT,
  /** The value is less than or equal to the operand. */
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
