package dev.imagegov.store.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands still until a test moves it, or (made by {@link #ticking}) that moves one
 * second every time it is read, so that every change has its own time.
 */
final class MutableClock extends Clock {
  private volatile Instant now;
  private final boolean ticks;

  MutableClock(Instant start) {
    this(start, false);
  }

  private MutableClock(Instant start, boolean ticks) {
    this.now = start;
    this.ticks = ticks;
  }

  /** A clock at {@code start} that advances a second at every read. */
  static MutableClock ticking(Instant start) {
    return new MutableClock(start, true);
  }

  synchronized void advance(Duration by) {
    now = now.plus(by);
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
  public synchronized Instant instant() {
    Instant read = now;
    if (ticks) {
      now = now.plusSeconds(1);
    }
    return read;
  }
}
