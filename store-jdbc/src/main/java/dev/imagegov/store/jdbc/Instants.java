package dev.imagegov.store.jdbc;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.time.Instant;

/**
 * Instants as the schema stores them: nanoseconds since the epoch in a {@code bigint}, exact to
 * the nanosecond and ordered like {@link Instant}, for the years 1678 to 2262.
 */
final class Instants {
  private Instants() {}

  static long toNanos(Instant instant) {
    try {
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
          instant.getNano());
    } catch (ArithmeticException e) {
      throw GovernanceException.of(StoreErrorCode.INVALID_VALUE,
          "The PostgreSQL store keeps instants between the years 1678 and 2262, not " + instant);
    }
  }

  /**
   * {@code instant} in nanoseconds, or the nearest end of the range when it is outside: a filter
   * operand beyond the years the schema stores compares with every stored instant as the instant
   * itself would.
   */
  static long toNanosClamped(Instant instant) {
    if (instant.getEpochSecond() >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (instant.getEpochSecond() < Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return toNanos(instant);
  }

  static Instant fromNanos(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
        Math.floorMod(nanos, 1_000_000_000L));
  }
}
