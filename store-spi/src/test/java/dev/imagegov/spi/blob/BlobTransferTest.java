package dev.imagegov.spi.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BlobTransferTest {
  private static final ExecutorService POOL = Executors.newCachedThreadPool();
  private static final ExecutorService SIDE = Executors.newCachedThreadPool();

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
    SIDE.shutdownNow();
  }

  private static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static String hex(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  @Test
  void transferredBytesAndDigestsEqualTheJdksWithAndWithoutASecondThread() {
    qt().withExamples(40)
        .forAll(integers().between(0, 600_000), longs().all(), integers().between(1, 300_000))
        .checkAssert(
            (size, seed, chunk) -> {
              byte[] data = random(size, seed);
              for (boolean parallel : new boolean[] {false, true}) {
                BlobDigester d =
                    parallel
                        ? BlobDigester.parallel(HashSpec.defaults(), POOL)
                        : BlobDigester.inline(HashSpec.defaults());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                  long n =
                      BlobTransfer.transfer(
                          new ByteArrayInputStream(data),
                          size,
                          chunk,
                          d,
                          (c, len) -> {
                            assertThat(len).isLessThanOrEqualTo(chunk);
                            out.write(c, 0, len);
                            return false;
                          });
                  assertThat(n).isEqualTo((long) size);
                  BlobDigester.Digests digests = d.finish();
                  assertThat(out.toByteArray()).isEqualTo(data);
                  assertThat(digests.checksum()).isEqualTo(hex("MD5", data));
                  assertThat(digests.multihash()).isEqualTo(hex("SHA-512", data));
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              }
            });
  }

  /** An executor that counts its tasks and signals when each has returned. */
  private static final class CountingExecutor implements Executor {
    final AtomicInteger tasks = new AtomicInteger();
    final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void execute(Runnable task) {
      tasks.incrementAndGet();
      POOL.execute(
          () -> {
            try {
              task.run();
            } finally {
              ended.countDown();
            }
          });
    }
  }

  /**
   * SHA-512 with hooks: counts the updates in progress and done, can hold its first update until
   * released, and can fail at a given update.
   */
  private static final class HookedDigest extends MessageDigest {
    final MessageDigest sha = newSha512();
    final AtomicInteger updates = new AtomicInteger();
    final AtomicInteger active = new AtomicInteger();
    final CountDownLatch firstEntered = new CountDownLatch(1);
    final CountDownLatch release;
    final int failAt;

    HookedDigest(boolean hold, int failAt) {
      super("SHA-512");
      this.release = new CountDownLatch(hold ? 1 : 0);
      this.failAt = failAt;
    }

    private static MessageDigest newSha512() {
      try {
        return MessageDigest.getInstance("SHA-512");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    protected void engineUpdate(byte input) {
      engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      active.incrementAndGet();
      try {
        int n = updates.incrementAndGet();
        if (n == 1) {
          firstEntered.countDown();
          release.await();
        }
        if (n == failAt) {
          throw new IllegalStateException("the digest broke at update " + n);
        }
        sha.update(input, offset, len);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        active.decrementAndGet();
      }
    }

    @Override
    protected byte[] engineDigest() {
      return sha.digest();
    }

    @Override
    protected void engineReset() {
      sha.reset();
    }
  }

  private static BlobDigester hooked(HookedDigest digest, Executor executor) {
    return new BlobDigester(HashAlgorithm.SHA512, digest, executor);
  }

  @Test
  void theMultihashIsOneTaskPerTransferFedFromARingOfReusedBuffers() throws Exception {
    byte[] data = random(40 * 64 * 1024 + 123, 7);
    CountingExecutor executor = new CountingExecutor();
    BlobDigester d = BlobDigester.parallel(HashSpec.defaults(), executor);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Set<byte[]> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
    long n =
        BlobTransfer.transfer(
            new ByteArrayInputStream(data),
            data.length,
            64 * 1024,
            d,
            (c, len) -> {
              buffers.add(c);
              out.write(c, 0, len);
              return false;
            });
    BlobDigester.Digests digests = d.finish();
    assertThat(n).isEqualTo(data.length);
    assertThat(out.toByteArray()).isEqualTo(data);
    assertThat(digests.checksum()).isEqualTo(hex("MD5", data));
    assertThat(digests.multihash()).isEqualTo(hex("SHA-512", data));
    assertThat(executor.tasks.get()).isEqualTo(1);
    assertThat(buffers).hasSizeLessThanOrEqualTo(BlobTransfer.RING);
  }

  @Test
  void aSinkThatKeepsItsArraysNeverSeesOneReused() throws Exception {
    byte[] data = random(30 * 1000, 11);
    CountingExecutor executor = new CountingExecutor();
    BlobDigester d = BlobDigester.parallel(HashSpec.defaults(), executor);
    java.util.List<byte[]> kept = new java.util.ArrayList<>();
    java.util.List<Integer> lengths = new java.util.ArrayList<>();
    BlobTransfer.transfer(
        new ByteArrayInputStream(data), data.length, 1000, d, (c, len) -> {
          kept.add(c);
          lengths.add(len);
          return true;
        });
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < kept.size(); i++) {
      out.write(kept.get(i), 0, lengths.get(i));
    }
    assertThat(out.toByteArray()).isEqualTo(data);
    assertThat(d.finish().multihash()).isEqualTo(hex("SHA-512", data));
  }

  @Test
  void anExecutorThatNeverRunsTheTaskLeavesTheHashingToTheWriter() throws Exception {
    byte[] data = random(20 * 4096, 12);
    java.util.List<Runnable> parked = new java.util.ArrayList<>();
    BlobDigester d = BlobDigester.parallel(HashSpec.defaults(), parked::add);
    long n = BlobTransfer.transfer(
        new ByteArrayInputStream(data), data.length, 4096, d, (c, len) -> false);
    assertThat(n).isEqualTo(data.length);
    assertThat(parked).hasSize(1);
    parked.get(0).run(); // started late, it finds the hashing done and touches nothing
    assertThat(d.finish().multihash()).isEqualTo(hex("SHA-512", data));
  }

  @Test
  void anExecutorThatRefusesTheTaskLeavesTheHashingToTheWriter() throws Exception {
    byte[] data = random(20 * 4096, 13);
    BlobDigester d = BlobDigester.parallel(HashSpec.defaults(), task -> {
      throw new RejectedExecutionException("shut down");
    });
    BlobTransfer.transfer(new ByteArrayInputStream(data), data.length, 4096, d, (c, len) -> false);
    BlobDigester.Digests digests = d.finish();
    assertThat(digests.checksum()).isEqualTo(hex("MD5", data));
    assertThat(digests.multihash()).isEqualTo(hex("SHA-512", data));
  }

  @Test
  @Timeout(120)
  void aFailingSinkStopsTheHashingStageBeforeTheTransferThrows() throws Exception {
    byte[] data = random(20 * 4096, 8);
    HookedDigest digest = new HookedDigest(true, -1);
    CountingExecutor executor = new CountingExecutor();
    BlobDigester d = hooked(digest, executor);
    CountDownLatch sinkFailing = new CountDownLatch(1);
    int[] chunks = {0};
    int[] atThrow = new int[2];
    CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
      try {
        BlobTransfer.transfer(new ByteArrayInputStream(data), data.length, 4096, d, (c, len) -> {
          if (++chunks[0] == 3) {
            awaitQuietly(digest.firstEntered); // the stage holds chunk 1: it is running
            sinkFailing.countDown();
            throw new IOException("sink broke at chunk 3");
          }
          return false;
        });
        return null;
      } catch (Throwable t) {
        atThrow[0] = digest.active.get();
        atThrow[1] = digest.updates.get();
        return t;
      }
    }, SIDE);
    digest.firstEntered.await();
    sinkFailing.await();
    digest.release.countDown(); // the stage may now finish the chunk it holds
    assertThat(failure.get()).isInstanceOf(IOException.class).hasMessage("sink broke at chunk 3");
    executor.ended.await();
    assertThat(atThrow[0]).as("no update runs once the transfer threw").isZero();
    assertThat(digest.updates.get()).as("nothing was hashed after the throw").isEqualTo(atThrow[1]);
  }

  @Test
  @Timeout(120)
  void aFailingHashingStageFailsTheTransferAndStopsTheWriterWithinTheRing() throws Exception {
    int chunk = 4096;
    byte[] data = random(60 * chunk, 9);
    HookedDigest digest = new HookedDigest(false, 5);
    CountingExecutor executor = new CountingExecutor();
    GatedStream in = new GatedStream(data, chunk, digest.firstEntered);
    assertThatThrownBy(() -> BlobTransfer.transfer(
            in, data.length, chunk, hooked(digest, executor), (c, len) -> false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("the hashing of the data failed")
        .hasRootCauseMessage("the digest broke at update 5");
    executor.ended.await();
    assertThat(in.count).isLessThanOrEqualTo((5L + BlobTransfer.RING) * chunk);
  }

  @Test
  @Timeout(120)
  void anInterruptedWriterStopsTheHashingStageAndThrowsInterruptedIoException() throws Exception {
    int chunk = 4096;
    byte[] data = random(40 * chunk, 10);
    HookedDigest digest = new HookedDigest(true, -1);
    CountingExecutor executor = new CountingExecutor();
    GatedStream in = new GatedStream(data, chunk, digest.firstEntered);
    boolean[] interruptedAfter = {false};
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread writer = new Thread(() -> {
      try {
        BlobTransfer.transfer(in, data.length, chunk, hooked(digest, executor), (c, len) -> false);
        failure.complete(null);
      } catch (Throwable t) {
        interruptedAfter[0] = Thread.currentThread().isInterrupted();
        failure.complete(t);
      }
    });
    writer.start();
    digest.firstEntered.await();
    in.ringFull.await();
    writer.interrupt(); // the writer now waits for a buffer the held stage cannot return
    awaitParkedIn(writer, "abort"); // the writer gave up and waits for the stage to end
    digest.release.countDown();
    assertThat(failure.get()).isInstanceOf(InterruptedIOException.class);
    writer.join();
    executor.ended.await();
    assertThat(interruptedAfter[0]).as("the interrupt is kept").isTrue();
    assertThat(digest.active.get()).isZero();
  }

  @Test
  void oneByteOverTheLimitIsRefusedAndNothingMoreIsRead() throws IOException {
    byte[] data = random(1000, 1);
    CountingStream in = new CountingStream(new ByteArrayInputStream(data));
    assertThatThrownBy(
            () ->
                BlobTransfer.transfer(
                    in, 999, 64, BlobDigester.inline(HashSpec.defaults()), (c, l) -> false))
        .isInstanceOf(BlobTooLargeException.class)
        .extracting(e -> ((BlobTooLargeException) e).limit())
        .isEqualTo(999L);
    assertThat(in.count).isEqualTo(1000);
    assertThat(
            BlobTransfer.transfer(
                new ByteArrayInputStream(data),
                1000,
                64,
                BlobDigester.inline(HashSpec.defaults()),
                (c, l) -> false))
        .isEqualTo(1000);
  }

  @Test
  void aZeroLimitAcceptsOnlyAnEmptyStream() throws IOException {
    BlobDigester d = BlobDigester.inline(HashSpec.defaults());
    assertThat(BlobTransfer.transfer(InputStream.nullInputStream(), 0, 8, d, (c, l) -> false))
        .isZero();
    assertThat(d.finish().checksum()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
    assertThatThrownBy(
            () ->
                BlobTransfer.transfer(
                    new ByteArrayInputStream(new byte[1]),
                    0,
                    8,
                    BlobDigester.inline(HashSpec.defaults()),
                    (c, l) -> false))
        .isInstanceOf(BlobTooLargeException.class);
  }

  @Test
  void aFinishedDigesterCannotBeReused() {
    BlobDigester d = BlobDigester.inline(HashSpec.of(HashAlgorithm.of("sha256")));
    assertThat(d.finish().multihash())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThatThrownBy(d::finish).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void digestingStreamReportsDigestsAtTheEnd() throws Exception {
    byte[] data = random(70_000, 9);
    DigestingInputStream in =
        new DigestingInputStream(new ByteArrayInputStream(data), HashSpec.defaults());
    assertThatThrownBy(in::digests).isInstanceOf(IllegalStateException.class);
    assertThat(in.readAllBytes()).isEqualTo(data);
    assertThat(in.digests().checksum()).isEqualTo(hex("MD5", data));
    assertThat(in.digests().multihash()).isEqualTo(hex("SHA-512", data));
  }

  /** Waits until {@code thread} is parked inside a method named {@code method}. */
  private static void awaitParkedIn(Thread thread, String method) {
    while (!(thread.getState() == Thread.State.WAITING
        && java.util.Arrays.stream(thread.getStackTrace())
            .anyMatch(f -> f.getMethodName().equals(method)))) {
      Thread.onSpinWait();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Counts what is read; gives nothing past the first chunk until {@code started} is open (the
   * hashing stage holds chunk 1, so the writer cannot take the hashing back), and signals {@code
   * ringFull} once the ring's worth of chunks was read.
   */
  private static final class GatedStream extends java.io.FilterInputStream {
    final CountDownLatch started;
    final CountDownLatch ringFull = new CountDownLatch(1);
    final int chunk;
    long count;

    GatedStream(byte[] data, int chunk, CountDownLatch started) {
      super(new ByteArrayInputStream(data));
      this.chunk = chunk;
      this.started = started;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (count >= chunk) {
        awaitQuietly(started);
      }
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      if (count >= (long) BlobTransfer.RING * chunk) {
        ringFull.countDown();
      }
      return n;
    }
  }

  private static final class CountingStream extends java.io.FilterInputStream {
    long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
