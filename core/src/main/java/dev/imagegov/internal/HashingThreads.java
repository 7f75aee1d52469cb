package dev.imagegov.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hashing threads of one governance: the multihash stage of each upload, staging, import or
 * copy runs on one of them (one task for the whole write) while the writer's thread runs MD5 and
 * the store's work. A thread is started for each write in flight and ends after a minute idle;
 * they are daemon threads named {@code imagegov-hash-<governance>-<n>}, and all of them end when
 * the governance is closed (a write still running finishes; later writes hash on their writer's
 * thread, since the shut-down pool refuses their task).
 */
public final class HashingThreads {
  private static final AtomicInteger GOVERNANCES = new AtomicInteger();

  private HashingThreads() {}

  /** {@return a new pool of hashing threads, for one governance} */
  public static ExecutorService create() {
    String prefix = "imagegov-hash-" + GOVERNANCES.incrementAndGet() + "-";
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        60,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        task -> {
          Thread t = new Thread(task, prefix + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }
}
