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
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class BlobTransferTest {
  private static final ExecutorService POOL = Executors.newFixedThreadPool(1);

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
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

  /** An executor whose tasks start late, so that many chunks are in flight at once. */
  private static final class LaggingExecutor implements java.util.concurrent.Executor {
    final java.util.concurrent.atomic.AtomicInteger started =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void execute(Runnable task) {
      started.incrementAndGet();
      POOL.execute(
          () -> {
            try {
              Thread.sleep(2);
              task.run();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
  }

  @Test
  void aLaggingHashThreadStillSeesEveryChunkInOrderThoughTheBuffersAreReused() throws Exception {
    byte[] data = random(40 * 64 * 1024, 7);
    LaggingExecutor lagging = new LaggingExecutor();
    BlobDigester d = BlobDigester.parallel(HashSpec.defaults(), lagging);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n =
        BlobTransfer.transfer(
            new ByteArrayInputStream(data),
            data.length,
            64 * 1024,
            d,
            (c, len) -> {
              out.write(c, 0, len);
              return false;
            });
    BlobDigester.Digests digests = d.finish();
    assertThat(n).isEqualTo(data.length);
    assertThat(out.toByteArray()).isEqualTo(data);
    assertThat(digests.checksum()).isEqualTo(hex("MD5", data));
    assertThat(digests.multihash()).isEqualTo(hex("SHA-512", data));
    assertThat(lagging.started.get()).isEqualTo(40);
  }

  @Test
  void aFailingSinkFailsTheTransferAfterHashingWhatWasBegunAndNothingMore() throws Exception {
    byte[] data = random(20 * 64 * 1024, 8);
    LaggingExecutor lagging = new LaggingExecutor();
    BlobDigester d = BlobDigester.parallel(HashSpec.defaults(), lagging);
    int[] chunks = {0};
    assertThatThrownBy(
            () ->
                BlobTransfer.transfer(
                    new ByteArrayInputStream(data),
                    data.length,
                    64 * 1024,
                    d,
                    (c, len) -> {
                      if (++chunks[0] == 7) {
                        throw new IOException("sink broke at chunk 7");
                      }
                      return true;
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("sink broke at chunk 7");
    assertThat(lagging.started.get()).isEqualTo(7);
    assertThat(d.finish().multihash())
        .isEqualTo(hex("SHA-512", java.util.Arrays.copyOf(data, 7 * 64 * 1024)));
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
