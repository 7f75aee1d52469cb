package dev.imagegov.internal;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.GovernanceMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
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

  /** Whether nothing is reported: the operations need not be timed. */
  boolean off() {
    return metrics == GovernanceMetrics.NONE;
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

  /** {@link #run} whose completion is reported when the body's result calls its end. */
  <T> T runUntil(String operation, Function<Engine.End, T> body) {
    if (metrics == GovernanceMetrics.NONE || depth.get()[0] > 0) {
      return body.apply(IGNORED);
    }
    long start = System.nanoTime();
    AtomicBoolean reported = new AtomicBoolean();
    Engine.End end = new Engine.End() {
      @Override
      public void completed() {
        if (reported.compareAndSet(false, true)) {
          report(() -> metrics.completed(operation, since(start)));
        }
      }

      @Override
      public void failed(RuntimeException failure) {
        if (reported.compareAndSet(false, true)) {
          report(() -> metrics.failed(operation, failure, since(start)));
        }
      }
    };
    int[] d = depth.get();
    d[0]++;
    try {
      return body.apply(end);
    } catch (GovernanceException e) {
      if (reported.compareAndSet(false, true)) {
        report(() -> metrics.refused(operation, e.code(), since(start)));
      }
      throw e;
    } catch (RuntimeException e) {
      end.failed(e);
      throw e;
    } finally {
      d[0]--;
    }
  }

  /** The end a nested or unmetered operation gets: it reports nothing. */
  private static final Engine.End IGNORED = new Engine.End() {
    @Override
    public void completed() {}

    @Override
    public void failed(RuntimeException failure) {}
  };

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
