package dev.imagegov.events;

import dev.imagegov.error.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link GovernanceMetrics} kept in memory, for tests and small deployments: per operation a
 * counter of each outcome ({@code completed}, {@code refused:<CODE>}, {@code failed}) and a timer
 * (count, total and maximum time) over every outcome. Thread-safe; counters never reset.
 */
public final class MemoryMetrics implements GovernanceMetrics {
  /** The outcome key of a completed operation. */
  public static final String COMPLETED = "completed";
  /** The outcome key of a failed operation (an exception that is not a refusal). */
  public static final String FAILED = "failed";

  private final ConcurrentMap<String, ConcurrentMap<String, AtomicLong>> counts =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  /** An empty set of metrics. */
  public MemoryMetrics() {}

  /**
   * A timer's reading.
   *
   * @param count how many operations it timed
   * @param total their time together
   * @param max the longest one
   */
  public record Timing(long count, Duration total, Duration max) {}

  /** One operation's timer. */
  private static final class Timer {
    private long count;
    private long totalNanos;
    private long maxNanos;

    synchronized void record(Duration elapsed) {
      long nanos = elapsed.toNanos();
      count++;
      totalNanos += nanos;
      maxNanos = Math.max(maxNanos, nanos);
    }

    synchronized Timing read() {
      return new Timing(count, Duration.ofNanos(totalNanos), Duration.ofNanos(maxNanos));
    }
  }

  @Override
  public void completed(String operation, Duration elapsed) {
    record(operation, COMPLETED, elapsed);
  }

  @Override
  public void refused(String operation, ErrorCode code, Duration elapsed) {
    record(operation, refusal(code), elapsed);
  }

  @Override
  public void failed(String operation, RuntimeException failure, Duration elapsed) {
    record(operation, FAILED, elapsed);
  }

  private void record(String operation, String outcome, Duration elapsed) {
    counts.computeIfAbsent(operation, o -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, o -> new AtomicLong())
        .incrementAndGet();
    timers.computeIfAbsent(operation, o -> new Timer()).record(elapsed);
  }

  /**
   * {@return the outcome key of a refusal with {@code code}: {@code refused:<CODE>}}
   *
   * @param code the refusal's code
   */
  public static String refusal(ErrorCode code) {
    return "refused:" + code.name();
  }

  /**
   * {@return how many times {@code operation} ended with {@code outcome}}
   *
   * @param operation {@code <group>.<method>}
   * @param outcome {@link #COMPLETED}, {@link #FAILED} or {@link #refusal}
   */
  public long count(String operation, String outcome) {
    Map<String, AtomicLong> byOutcome = counts.get(operation);
    AtomicLong n = byOutcome == null ? null : byOutcome.get(outcome);
    return n == null ? 0 : n.get();
  }

  /**
   * {@return how many times {@code operation} was refused with {@code code}}
   *
   * @param operation {@code <group>.<method>}
   * @param code the refusal's code
   */
  public long refusals(String operation, ErrorCode code) {
    return count(operation, refusal(code));
  }

  /**
   * {@return the timer of {@code operation}, over every outcome (zero if it never ran)}
   *
   * @param operation {@code <group>.<method>}
   */
  public Timing timing(String operation) {
    Timer t = timers.get(operation);
    return t == null ? new Timing(0, Duration.ZERO, Duration.ZERO) : t.read();
  }

  /** {@return every counter, sorted: operation → outcome → count} */
  public Map<String, Map<String, Long>> counters() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    counts.forEach((op, byOutcome) -> {
      Map<String, Long> m = new TreeMap<>();
      byOutcome.forEach((outcome, n) -> m.put(outcome, n.get()));
      out.put(op, m);
    });
    return out;
  }
}
