package dev.imagegov.store.memory;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs independent tasks on a few threads: the calling thread and up to {@code threads - 1}
 * short-lived daemon threads take the tasks in turn until none is left, and the call returns once
 * every task has finished (so whatever the tasks wrote is visible to the caller). The first
 * failure is rethrown after every task has run or been skipped. Not a pool: for a bulk load that
 * runs once, where a shared pool (the common fork-join pool has one thread on two cores) would
 * not give the parallelism asked for.
 */
final class Parallel {
  private Parallel() {}

  /**
   * Runs every task of {@code tasks} on at most {@code threads} threads.
   *
   * @param tasks the tasks, independent of each other
   * @param threads the most threads to use, the caller's included (at least 1)
   */
  static void run(List<Runnable> tasks, int threads) {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < tasks.size(); i = next.getAndIncrement()) {
        if (failure.get() != null) {
          continue;
        }
        try {
          tasks.get(i).run();
        } catch (RuntimeException | Error e) {
          failure.compareAndSet(null, e);
        }
      }
    };
    int helpers = Math.max(0, Math.min(threads, tasks.size()) - 1);
    Thread[] started = new Thread[helpers];
    for (int t = 0; t < helpers; t++) {
      started[t] = new Thread(worker, "imagegov-bulk-load-" + t);
      started[t].setDaemon(true);
      started[t].start();
    }
    worker.run();
    boolean interrupted = false;
    for (Thread thread : started) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
  }
}
