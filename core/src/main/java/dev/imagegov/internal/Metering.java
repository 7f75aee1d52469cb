package dev.imagegov.internal;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.GovernanceMetrics;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Times each operation a caller asks for and reports its outcome to the {@link
 * GovernanceMetrics}: only the outermost operation on a thread is reported, so an overload that
 * delegates, or an operation that runs another, counts once.
 */
final class Metering {
  private static final System.Logger LOG = System.getLogger("dev.imagegov.metrics");

  private final GovernanceMetrics metrics;
  /** How deep the current thread is in metered operations. */
  private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

  Metering(GovernanceMetrics metrics) {
    this.metrics = metrics;
  }

  <T> T run(String operation, Supplier<T> body) {
    if (metrics == GovernanceMetrics.NONE) {
      return body.get();
    }
    int[] d = depth.get();
    if (d[0] > 0) {
      return body.get();
    }
    d[0]++;
    long start = System.nanoTime();
    try {
      T result = body.get();
      report(() -> metrics.completed(operation, since(start)));
      return result;
    } catch (GovernanceException e) {
      report(() -> metrics.refused(operation, e.code(), since(start)));
      throw e;
    } catch (RuntimeException e) {
      report(() -> metrics.failed(operation, e, since(start)));
      throw e;
    } finally {
      d[0]--;
    }
  }

  private static Duration since(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private void report(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "The metrics " + metrics + " failed.", e);
    }
  }
}
