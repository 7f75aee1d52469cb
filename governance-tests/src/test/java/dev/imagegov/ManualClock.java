package dev.imagegov;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it: expiry tests decide exactly when now is. */
final class ManualClock extends Clock {
  private final AtomicReference<Instant> now;

  ManualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the clock forward by {@code d}. */
  void advance(Duration d) {
    now.updateAndGet(t -> t.plus(d));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now.get();
  }
}
