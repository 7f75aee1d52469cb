package dev.imagegov;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that advances one second every time it is read, so every change has its own time. */
final class TickingClock extends Clock {
  private final AtomicLong seconds;

  TickingClock(Instant start) {
    this.seconds = new AtomicLong(start.getEpochSecond());
  }

  TickingClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  /** Moves the clock forward by {@code d}. */
  void advance(java.time.Duration d) {
    seconds.addAndGet(d.getSeconds());
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochSecond(seconds.getAndIncrement());
  }
}
