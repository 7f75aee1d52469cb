package dev.imagegov.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobTooLargeException;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import dev.imagegov.testkit.gen.ByteStream;
import dev.imagegov.testkit.gen.Streams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The contract of the {@link BlobStore} port, as its Javadoc states it, for any implementation.
 * Extend this class in your store's tests, return a fresh, empty store from {@link #newStore()}
 * (and, to run the capacity tests, one of a given total from {@link #newStoreWithCapacity}):
 *
 * <pre>{@code
 * class MyBlobStoreContractTest extends BlobStoreContract {
 *   @Override
 *   protected BlobStore newStore() {
 *     return new MyBlobStore(...);
 *   }
 * }
 * }</pre>
 *
 * <p>The tests are grouped by guarantee ({@link Streaming}: bytes and digests; {@link Ranges};
 * {@link ByteLimit}; {@link NothingLeftBehind}; {@link AtomicVisibility}; {@link NoTornReads};
 * {@link WriteOnce}; {@link IdempotentDelete}; {@link CapacityAccounting}; {@link Concurrency}),
 * each named for the rule it checks; every failure message starts with the guarantee that broke.
 * Expected digests are the JDK's {@link java.security.MessageDigest}s over generated streams
 * ({@link Streams}), whose sizes straddle the store's chunk boundaries ({@link #chunkSize()}).
 * Tests that wait for another thread do so through latches, never through timing; a wait that lasts
 * more than a minute fails as a hang, naming the call that did not return.
 */
@org.junit.jupiter.api.extension.ExtendWith(StoreFailures.class)
public abstract class BlobStoreContract {
  /**
   * {@return a fresh, empty store of unbounded (or at least 64 MiB) capacity; called once or more}
   */
  protected abstract BlobStore newStore();

  /**
   * A fresh, empty store holding at most {@code totalBytes}, or empty if the store has no
   * configurable capacity (the capacity-limit tests are then skipped).
   *
   * @param totalBytes the store's capacity in bytes
   * @return a fresh, empty store holding at most {@code totalBytes}, or empty if the store has no
   *     configurable capacity (the capacity-limit tests are then skipped)
   */
  protected Optional<BlobStore> newStoreWithCapacity(long totalBytes) {
    return Optional.empty();
  }

  /**
   * The store's chunk size, if it copies in chunks, so that generated sizes lie on both sides of
   * its chunk boundaries; 64 KiB (the first chunk of {@link dev.imagegov.spi.blob.BlobTransfer}) by
   * default.
   *
   * @return the store's chunk size, if it copies in chunks, so that generated sizes lie on both
   *     sides of its chunk boundaries; 64 KiB (the first chunk of {@link
   *     dev.imagegov.spi.blob.BlobTransfer}) by default
   */
  protected int chunkSize() {
    return 64 * 1024;
  }

  /**
   * The seed the properties draw their cases from. Empty (the default): a new seed each run,
   * which a failure names ({@code Seed was ...}; QuickTheories' {@code -DQT_SEED} replays it).
   * Override it to run the same cases every time, where the suite's outcome must be certain (a
   * test that the suite catches a seeded defect, say).
   *
   * @return the seed the properties draw their cases from
   */
  protected OptionalLong seed() {
    return OptionalLong.empty();
  }

  /** The properties' runner: drawing from {@link #seed()} when it is set. */
  final QuickTheory theory() {
    OptionalLong seed = seed();
    return seed.isPresent() ? qt().withFixedSeed(seed.getAsLong()) : qt();
  }

  /** {@return how many generated cases each property tries; override to run more (or fewer)} */
  protected int examples() {
    return 40;
  }

  /** {@return how many threads the concurrency tests use; at least 2} */
  protected int threads() {
    return 4;
  }

  static final String DIGESTS = "One pass (size and digests)";
  static final String RANGES = "Ranges";
  static final String LIMIT = "Byte limit";
  static final String NOTHING_LEFT = "Nothing left behind";
  static final String ATOMIC = "Atomic visibility";
  static final String TORN = "No torn reads";
  static final String ONCE = "Keys are written once";
  static final String DELETE = "Idempotent delete";
  static final String CAPACITY = "Capacity";
  static final String CONCURRENCY = "Concurrency";
  static final String NOT_FOUND = "Not found";

  static final BlobKey KEY = BlobKey.of("blob-1");
  static final long UNLIMITED = Long.MAX_VALUE;
  private static final long HANG_SECONDS = 60;

  /** The multihash algorithms the digest property draws from. */
  static final List<HashAlgorithm> ALGORITHMS =
      List.of(
          HashAlgorithm.SHA512,
          HashAlgorithm.of("sha256"),
          HashAlgorithm.of("sha3_256"),
          HashAlgorithm.of("sha1"));

  /** A call that may throw anything. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} inside a property, rethrowing checked exceptions unchecked. */
  static void check(Body body) {
    try {
      body.run();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("unexpected " + e, e);
    }
  }

  /** The exception {@code call} throws, or fails naming the guarantee if it returns. */
  static Throwable thrownBy(String guarantee, String what, Body call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError(guarantee + ": expected " + what + " to fail, but it succeeded");
  }

  /** Fails unless {@code call} throws an instance of {@code type}. */
  static void fails(String guarantee, String what, Class<?> type, Body call) {
    Throwable t = thrownBy(guarantee, what, call);
    if (!type.isInstance(t)) {
      throw new AssertionError(
          guarantee
              + ": expected "
              + what
              + " to fail with "
              + type.getSimpleName()
              + " but got "
              + t,
          t);
    }
  }

  static BlobWriteResult write(BlobStore store, BlobKey key, ByteStream s) throws IOException {
    return store.write(key, s.open(), UNLIMITED, HashSpec.defaults());
  }

  static byte[] readAll(BlobStore store, BlobKey key) throws IOException {
    try (InputStream in = store.read(key)) {
      return in.readAllBytes();
    }
  }

  /** Checks that {@code key} holds no blob, by every reading method. */
  static void absent(String guarantee, BlobStore store, BlobKey key, String when) {
    assertThat(store.exists(key)).as("%s: %s, exists(%s)", guarantee, when, key).isFalse();
    assertThat(store.size(key)).as("%s: %s, size(%s)", guarantee, when, key).isEmpty();
    assertThat(store.keys()).as("%s: %s, keys()", guarantee, when).doesNotContain(key);
    fails(
        guarantee + " (" + when + ")",
        "read(" + key + ")",
        BlobNotFoundException.class,
        () -> store.read(key).close());
    fails(
        guarantee + " (" + when + ")",
        "read(" + key + ", 0, 0)",
        BlobNotFoundException.class,
        () -> store.read(key, 0, 0).close());
  }

  /** Checks that {@code key} holds exactly {@code s}. */
  static void holds(String guarantee, BlobStore store, BlobKey key, ByteStream s, String when)
      throws IOException {
    assertThat(store.exists(key)).as("%s: %s, exists(%s)", guarantee, when, key).isTrue();
    assertThat(store.size(key)).as("%s: %s, size(%s)", guarantee, when, key).hasValue(s.size());
    assertThat(store.keys()).as("%s: %s, keys()", guarantee, when).contains(key);
    try (InputStream in = store.read(key)) {
      assertThat(s.sameBytesAs(in))
          .as("%s: %s, read(%s) yields the %s written", guarantee, when, key, s)
          .isTrue();
    }
  }

  static void used(String guarantee, BlobStore store, long expected, String when) {
    assertThat(store.capacity().used())
        .as("%s: %s, capacity().used() is the sum of the stored blobs' sizes", guarantee, when)
        .isEqualTo(expected);
  }

  static Gen<HashAlgorithm> algorithms() {
    return Generate.pick(ALGORITHMS).describedAs(HashAlgorithm::glanceName);
  }

  /** Waits for {@code f}, failing as a hang after a minute. */
  static <T> T await(String guarantee, String what, Future<T> f) throws Exception {
    try {
      return f.get(HANG_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new AssertionError(
          guarantee
              + ": "
              + what
              + " did not return within "
              + HANG_SECONDS
              + " s (a hang:"
              + " does the store hold a lock while it reads a stream?)");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      throw (Error) cause;
    }
  }

  static void awaitLatch(String guarantee, String what, CountDownLatch latch)
      throws InterruptedException {
    if (!latch.await(HANG_SECONDS, TimeUnit.SECONDS)) {
      throw new AssertionError(guarantee + ": " + what + " never happened");
    }
  }

  /**
   * A stream of {@code s} that, after {@code pauseAt} bytes, signals {@link #paused} and blocks
   * until {@link #resume()}; a slow client. It remembers whether it was closed.
   */
  static final class PausingStream extends InputStream {
    final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch resume = new CountDownLatch(1);
    private final InputStream in;
    private final long pauseAt;
    private long read;
    volatile boolean closed;

    PausingStream(ByteStream s, long pauseAt) {
      this.in = s.open();
      this.pauseAt = pauseAt;
    }

    void resume() {
      resume.countDown();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (read == pauseAt && paused.getCount() > 0) {
        paused.countDown();
        try {
          if (!resume.await(HANG_SECONDS, TimeUnit.SECONDS)) {
            throw new IOException("the test never resumed the stream");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while paused", e);
        }
      }
      long limit = read < pauseAt ? pauseAt - read : len;
      int n = in.read(b, off, (int) Math.min(len, limit));
      if (n > 0) {
        read += n;
      }
      return n;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** A stream that counts the bytes read from it and whether it was closed. */
  static final class CountingStream extends InputStream {
    private final InputStream in;
    final AtomicLong count = new AtomicLong();
    volatile boolean closed;

    CountingStream(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  /** Writing a stream and reading it back: bytes, size and digests. */
  /**
   * Every group relies on {@link #newStore()} giving a fresh, empty store that shares nothing with
   * the others (a store reused across tests makes their results depend on their order).
   */
  @Test
  void newStoreGivesAnEmptyStoreThatSharesNothingWithTheNext() throws IOException {
    BlobStore first = newStore();
    assertThat(first.keys()).as("newStore(): a fresh store holds no blob").isEmpty();
    first.write(KEY, new ByteArrayInputStream(new byte[] {1, 2, 3}), UNLIMITED, HashSpec.defaults());
    BlobStore second = newStore();
    assertThat(second.keys())
        .as("newStore(): a second store holds no blob after a write into the first")
        .isEmpty();
    assertThat(second.size(KEY))
        .as("newStore(): a second store does not hold the first one's blob")
        .isEmpty();
  }

  @Nested
  @DisplayName("Streaming: a blob reads back as written, with the JDK's size and digests")
  class Streaming {
    @Test
    void anyStreamReadsBackIdenticallyWithTheJdksDigests() {
      theory().withExamples(examples())
          .forAll(Streams.streams().acrossBoundariesOf(chunkSize()), algorithms())
          .checkAssert(
              (s, algorithm) ->
                  check(
                      () -> {
                        BlobStore store = newStore();
                        BlobWriteResult r =
                            store.write(KEY, s.open(), UNLIMITED, HashSpec.of(algorithm));
                        assertThat(r.size())
                            .as("%s: the result's size", DIGESTS)
                            .isEqualTo(s.size());
                        assertThat(r.checksum())
                            .as("%s: the result's checksum is the MD5 of the bytes", DIGESTS)
                            .isEqualTo(s.digest(HashAlgorithm.MD5));
                        assertThat(r.multihashAlgorithm())
                            .as("%s: the result names the multihash algorithm asked", DIGESTS)
                            .isEqualTo(algorithm);
                        assertThat(r.multihash())
                            .as(
                                "%s: the result's multihash is the %s of the bytes",
                                DIGESTS, algorithm)
                            .isEqualTo(s.digest(algorithm));
                        assertThat(r.key()).as("%s: the result's key", DIGESTS).isEqualTo(KEY);
                        assertThat(r.url())
                            .as("%s: the result's URL is the store's url(key)", DIGESTS)
                            .isEqualTo(store.url(KEY));
                        holds(DIGESTS, store, KEY, s, "after the write of " + s);
                        used(DIGESTS, store, s.size(), "after the write of " + s);
                      }));
    }

    @Test
    void theWriteReadsTheStreamToItsEndAndDoesNotCloseIt() throws IOException {
      BlobStore store = newStore();
      ByteStream s = Streams.of(2L * chunkSize() + 1, 4);
      CountingStream in = new CountingStream(s.open());
      store.write(KEY, in, UNLIMITED, HashSpec.defaults());
      assertThat(in.count.get())
          .as("%s: the write reads every byte of the stream", DIGESTS)
          .isEqualTo(s.size());
      assertThat(in.read()).as("%s: the stream is read to its end", DIGESTS).isEqualTo(-1);
      assertThat(in.closed)
          .as("%s: the write does not close the caller's stream", DIGESTS)
          .isFalse();
    }

    @Test
    void blobsOfDifferentKeysAreIndependent() throws IOException {
      BlobStore store = newStore();
      ByteStream a = Streams.of(chunkSize() + 1, 1);
      ByteStream b = Streams.of(7, 2);
      write(store, BlobKey.of("a"), a);
      write(store, BlobKey.of("b"), b);
      holds(DIGESTS, store, BlobKey.of("a"), a, "with two blobs stored");
      holds(DIGESTS, store, BlobKey.of("b"), b, "with two blobs stored");
      assertThat(store.keys())
          .as("%s: keys() lists exactly the completely written blobs", DIGESTS)
          .containsExactlyInAnyOrder(BlobKey.of("a"), BlobKey.of("b"));
      assertThat(store.url(BlobKey.of("a")))
          .as("%s: different keys have different URLs", DIGESTS)
          .isNotEqualTo(store.url(BlobKey.of("b")));
    }

    @Test
    void aFreshStoreIsEmptyAndReadsOfMissingKeysFailWithNotFound() {
      BlobStore store = newStore();
      assertThat(store.keys()).as("%s: a fresh store has no keys", NOT_FOUND).isEmpty();
      used(NOT_FOUND, store, 0, "in a fresh store");
      absent(NOT_FOUND, store, KEY, "in a fresh store");
    }
  }

  /** Range reads. */
  @Nested
  @DisplayName("Ranges: read(key, offset, length) yields exactly that slice, or refuses it")
  class Ranges {
    @Test
    void everyRangeOfASmallBlobReadsTheSlice() throws IOException {
      BlobStore store = newStore();
      for (int size = 0; size <= 17; size++) {
        ByteStream s = Streams.of(size, size);
        BlobKey key = BlobKey.of("small-" + size);
        write(store, key, s);
        byte[] data = s.bytes();
        for (int offset = 0; offset <= size; offset++) {
          for (int length = 0; offset + length <= size; length++) {
            try (InputStream in = store.read(key, offset, length)) {
              assertThat(in.readAllBytes())
                  .as("%s: read(offset %s, length %s) of %s", RANGES, offset, length, s)
                  .isEqualTo(Arrays.copyOfRange(data, offset, offset + length));
            }
          }
        }
      }
    }

    @Test
    void rangesAcrossChunkBoundariesReadTheSlice() throws IOException {
      BlobStore store = newStore();
      ByteStream s = Streams.of(3L * chunkSize() + 1, 9);
      write(store, KEY, s);
      byte[] data = s.bytes();
      Gen<Integer> points = integers().between(0, data.length);
      Gen<Integer> boundaries =
          Generate.pick(Streams.boundarySizes(chunkSize())).map(Long::intValue);
      Gen<Integer> ends = boundaries.mix(points, 50);
      Gen<int[]> ranges =
          ends.zip(ends, (a, b) -> new int[] {Math.min(a, b), Math.max(a, b)})
              .describedAs(r -> "[" + r[0] + ", " + r[1] + ")");
      theory().withExamples(examples() * 5)
          .forAll(ranges)
          .checkAssert(
              r ->
                  check(
                      () -> {
                        try (InputStream in = store.read(KEY, r[0], r[1] - r[0])) {
                          assertThat(in.readAllBytes())
                              .as(
                                  "%s: read(offset %s, length %s) of %s",
                                  RANGES, r[0], r[1] - r[0], s)
                              .isEqualTo(Arrays.copyOfRange(data, r[0], r[1]));
                        }
                      }));
    }

    @Test
    void aRangePastTheEndIsRefused() throws IOException {
      BlobStore store = newStore();
      ByteStream s = Streams.of(chunkSize() + 5, 3);
      write(store, KEY, s);
      long size = s.size();
      long[][] outside = {
        {0, size + 1},
        {1, size},
        {size, 1},
        {size + 1, 0},
        {size - 1, 2},
        {Long.MAX_VALUE, 1},
        {1, Long.MAX_VALUE}
      };
      for (long[] r : outside) {
        fails(
            RANGES + " (a range must lie within the blob of " + size + " bytes)",
            "read(offset " + r[0] + ", length " + r[1] + ")",
            IndexOutOfBoundsException.class,
            () -> store.read(KEY, r[0], r[1]).close());
      }
      long[][] negative = {{-1, 1}, {0, -1}, {-1, 0}};
      for (long[] r : negative) {
        Throwable t =
            thrownBy(
                RANGES,
                "read(offset " + r[0] + ", length " + r[1] + ")",
                () -> store.read(KEY, r[0], r[1]).close());
        assertThat(t)
            .as("%s: a negative offset or length is a programming error", RANGES)
            .isInstanceOfAny(IndexOutOfBoundsException.class, IllegalArgumentException.class);
      }
      try (InputStream in = store.read(KEY, size, 0)) {
        assertThat(in.readAllBytes())
            .as("%s: the empty range at the end is within the blob", RANGES)
            .isEmpty();
      }
      holds(RANGES, store, KEY, s, "after refused ranges");
    }
  }

  /** The {@code maxBytes} limit of a write. */
  @Nested
  @DisplayName("ByteLimit: exactly maxBytes succeeds; one byte more fails and leaves nothing")
  class ByteLimit {
    @Test
    void aStreamOfExactlyTheLimitIsStored() {
      theory().withExamples(examples())
          .forAll(Streams.streams().acrossBoundariesOf(chunkSize()))
          .checkAssert(
              s ->
                  check(
                      () -> {
                        BlobStore store = newStore();
                        BlobWriteResult r =
                            store.write(KEY, s.open(), s.size(), HashSpec.defaults());
                        assertThat(r.size())
                            .as("%s: a write of exactly maxBytes = %s succeeds", LIMIT, s.size())
                            .isEqualTo(s.size());
                        holds(LIMIT, store, KEY, s, "after a write of exactly the limit");
                      }));
    }

    @Test
    void aStreamOneByteOverTheLimitFailsAndLeavesNothing() {
      theory().withExamples(examples())
          .forAll(
              Streams.streams()
                  .ofSizeBetween(1, Streams.DEFAULT_MAX)
                  .acrossBoundariesOf(chunkSize()))
          .checkAssert(
              s ->
                  check(
                      () -> {
                        BlobStore store = newStore();
                        CountingStream in = new CountingStream(s.open());
                        Throwable t =
                            thrownBy(
                                LIMIT,
                                "a write of " + s + " limited to one byte less",
                                () -> store.write(KEY, in, s.size() - 1, HashSpec.defaults()));
                        assertThat(t)
                            .as(
                                "%s: one byte over the limit fails with BlobTooLargeException",
                                LIMIT)
                            .isInstanceOf(BlobTooLargeException.class);
                        assertThat(((BlobTooLargeException) t).limit())
                            .as("%s: the exception names the limit", LIMIT)
                            .isEqualTo(s.size() - 1);
                        assertThat(in.count.get())
                            .as("%s: the write reads at most maxBytes + 1 bytes", LIMIT)
                            .isLessThanOrEqualTo(s.size());
                        absent(LIMIT, store, KEY, "after a write over the limit");
                        used(LIMIT, store, 0, "after a write over the limit");
                      }));
    }

    @Test
    void aLargeStreamIsReadOnlyUpToOneByteOverTheLimit() {
      BlobStore store = newStore();
      ByteStream big = Streams.of(64L << 20, 1);
      CountingStream in = new CountingStream(big.open());
      fails(
          LIMIT,
          "a 64 MiB write limited to 1000 bytes",
          BlobTooLargeException.class,
          () -> store.write(KEY, in, 1000, HashSpec.defaults()));
      assertThat(in.count.get())
          .as("%s: the write reads at most maxBytes + 1 bytes", LIMIT)
          .isLessThanOrEqualTo(1001);
      absent(LIMIT, store, KEY, "after a write over the limit");
    }

    @Test
    void aNegativeLimitIsAProgrammingError() {
      BlobStore store = newStore();
      fails(
          LIMIT,
          "a write with maxBytes -1",
          IllegalArgumentException.class,
          () -> store.write(KEY, Streams.of(0, 0).open(), -1, HashSpec.defaults()));
      absent(LIMIT, store, KEY, "after a write with a negative limit");
    }
  }

  /** Failed writes. */
  @Nested
  @DisplayName("NothingLeftBehind: a failed write leaves no blob, no data and no capacity used")
  class NothingLeftBehind {
    @Test
    void aStreamFailingAfterAnyNumberOfBytesLeavesNothing() {
      int max = 3 * chunkSize() + 1;
      Gen<Long> failAt =
          Generate.pick(Streams.boundarySizes(chunkSize())).mix(longs().between(0, max), 40);
      theory().withExamples(examples())
          .forAll(failAt, longs().between(0, 1000))
          .checkAssert(
              (at, seed) ->
                  check(
                      () -> {
                        BlobStore store = newStore();
                        ByteStream s = Streams.of(max + 1, seed);
                        String when = "after a stream failed after " + at + " bytes";
                        Throwable t =
                            thrownBy(
                                NOTHING_LEFT,
                                "a write whose stream fails after " + at + " bytes",
                                () ->
                                    store.write(
                                        KEY, s.failingAfter(at), UNLIMITED, HashSpec.defaults()));
                        assertThat(t)
                            .as("%s: the stream's failure fails the write", NOTHING_LEFT)
                            .isInstanceOf(IOException.class);
                        absent(NOTHING_LEFT, store, KEY, when);
                        assertThat(store.keys()).as("%s: %s, keys()", NOTHING_LEFT, when).isEmpty();
                        used(NOTHING_LEFT, store, 0, when);
                        ByteStream again = Streams.of(at, seed + 1);
                        write(store, KEY, again);
                        holds(
                            NOTHING_LEFT,
                            store,
                            KEY,
                            again,
                            "after a failed write and a new one of the same key");
                        used(NOTHING_LEFT, store, at, "after a failed write and a new one");
                      }));
    }

    @Test
    void aStreamFailingWithARuntimeExceptionLeavesNothing() {
      BlobStore store = newStore();
      InputStream broken =
          new InputStream() {
            private final InputStream in = Streams.of(chunkSize() * 2L, 5).open();
            private long read;

            @Override
            public int read() throws IOException {
              byte[] one = new byte[1];
              return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              if (read > chunkSize()) {
                throw new UncheckedIOException(new IOException("decoder failed"));
              }
              int n = in.read(b, off, len);
              read += Math.max(n, 0);
              return n;
            }
          };
      thrownBy(
          NOTHING_LEFT,
          "a write whose stream throws an unchecked exception",
          () -> store.write(KEY, broken, UNLIMITED, HashSpec.defaults()));
      absent(NOTHING_LEFT, store, KEY, "after a stream threw an unchecked exception");
      used(NOTHING_LEFT, store, 0, "after a stream threw an unchecked exception");
    }

    @Test
    void failedWritesNextToStoredBlobsLeaveThemAsTheyWere() throws IOException {
      BlobStore store = newStore();
      ByteStream kept = Streams.of(chunkSize() + 3, 1);
      write(store, BlobKey.of("kept"), kept);
      for (long at : Streams.boundarySizes(chunkSize())) {
        thrownBy(
            NOTHING_LEFT,
            "a write whose stream fails after " + at + " bytes",
            () ->
                store.write(
                    KEY,
                    Streams.of(4L * chunkSize(), at).failingAfter(at),
                    UNLIMITED,
                    HashSpec.defaults()));
        fails(
            NOTHING_LEFT,
            "a write over the limit",
            BlobTooLargeException.class,
            () -> store.write(KEY, Streams.of(at + 1, at).open(), at, HashSpec.defaults()));
      }
      absent(NOTHING_LEFT, store, KEY, "after failed writes");
      holds(NOTHING_LEFT, store, BlobKey.of("kept"), kept, "after failed writes of another key");
      assertThat(store.keys())
          .as("%s: keys() after failed writes", NOTHING_LEFT)
          .containsExactly(BlobKey.of("kept"));
      used(NOTHING_LEFT, store, kept.size(), "after failed writes of another key");
    }
  }

  /** What others see of a write in progress. */
  @Nested
  @DisplayName("AtomicVisibility: a blob is visible only when its write returns, wholly")
  class AtomicVisibility {
    @Test
    void aBlobIsInvisibleWhileItsWriteIsInProgress() throws Exception {
      for (long pauseAt : List.of(1L, chunkSize() + 1L, 2L * chunkSize())) {
        BlobStore store = newStore();
        ByteStream s = Streams.of(3L * chunkSize() + 1, pauseAt);
        PausingStream slow = new PausingStream(s, pauseAt);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
          Future<BlobWriteResult> w =
              pool.submit(() -> store.write(KEY, slow, UNLIMITED, HashSpec.defaults()));
          awaitLatch(ATOMIC, "the write reading " + pauseAt + " bytes", slow.paused);
          String when = "while the write has read " + pauseAt + " of " + s.size() + " bytes";
          await(
              ATOMIC,
              "reads of the key " + when,
              pool.submit(
                  () -> {
                    absent(ATOMIC, store, KEY, when);
                    assertThat(store.delete(KEY))
                        .as("%s: %s, delete(key) finds no blob", ATOMIC, when)
                        .isFalse();
                    fails(
                        ONCE + " (" + when + ")",
                        "a second write of the key",
                        BlobExistsException.class,
                        () -> write(store, KEY, Streams.of(1, 1)));
                    assertThat(store.capacity().used())
                        .as(
                            "%s: %s, capacity().used() counts at most the bytes read",
                            CAPACITY, when)
                        .isBetween(0L, pauseAt);
                    return null;
                  }));
          slow.resume();
          assertThat(await(ATOMIC, "the paused write", w).size())
              .as("%s: the resumed write completes", ATOMIC)
              .isEqualTo(s.size());
          holds(ATOMIC, store, KEY, s, "once the write returned");
          used(ATOMIC, store, s.size(), "once the write returned");
        } finally {
          slow.resume();
          pool.shutdownNow();
        }
      }
    }

    @Test
    void aConcurrentReaderSeesNothingOrTheWholeBlob() throws Exception {
      BlobStore store = newStore();
      ExecutorService pool = Executors.newSingleThreadExecutor();
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
      try {
        List<ByteStream> blobs = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          blobs.add(Streams.of(i * (long) chunkSize() / 2 + 1, i));
          contents.add(blobs.get(i).bytes());
        }
        Future<?> reader =
            pool.submit(
                () -> {
                  while (!done.get() && violations.size() < 5) {
                    for (int i = 0; i < blobs.size(); i++) {
                      observe(store, BlobKey.of("k" + i), contents.get(i), violations);
                    }
                  }
                  return null;
                });
        for (int i = 0; i < blobs.size(); i++) {
          // A stream that hands its bytes over in small pieces, yielding between them.
          InputStream trickle = trickle(blobs.get(i).open());
          store.write(BlobKey.of("k" + i), trickle, UNLIMITED, HashSpec.defaults());
        }
        done.set(true);
        await(ATOMIC, "the reader", reader);
        assertThat(violations)
            .as("%s: what a concurrent reader saw of blobs being written", ATOMIC)
            .isEmpty();
      } finally {
        done.set(true);
        pool.shutdownNow();
      }
    }

    private InputStream trickle(InputStream in) {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          Thread.yield();
          return in.read(b, off, Math.min(len, 4096));
        }
      };
    }

    private void observe(
        BlobStore store, BlobKey key, byte[] blob, ConcurrentLinkedQueue<String> violations) {
      OptionalLong size = store.size(key);
      if (size.isPresent() && size.getAsLong() != blob.length) {
        violations.add("size(" + key + ") = " + size.getAsLong() + " of " + blob.length);
      }
      try (InputStream in = store.read(key)) {
        byte[] got = in.readAllBytes();
        if (!Arrays.equals(got, blob)) {
          violations.add(
              "read("
                  + key
                  + ") yielded "
                  + got.length
                  + " bytes, not the "
                  + blob.length
                  + " written");
        }
      } catch (BlobNotFoundException e) {
        // not yet visible: fine
      } catch (IOException e) {
        violations.add("read(" + key + ") failed: " + e);
      }
    }
  }

  /** Readers of a blob that is deleted (and rewritten) meanwhile. */
  @Nested
  @DisplayName("NoTornReads: a read yields the blob as it was when the read began, or fails")
  class NoTornReads {
    @Test
    void anOpenReadKeepsTheBlobItOpenedWhenTheKeyIsDeletedAndRewritten() throws Exception {
      BlobStore store = newStore();
      ByteStream first = Streams.of(3L * chunkSize() + 1, 1);
      ByteStream second = Streams.of(3L * chunkSize() + 1, 2);
      write(store, KEY, first);
      InputStream whole = store.read(KEY);
      InputStream range = store.read(KEY, chunkSize() - 1L, chunkSize() + 2L);
      byte[] head = whole.readNBytes(chunkSize() + 1);
      assertThat(store.delete(KEY)).as("%s: delete of a stored blob", DELETE).isTrue();
      write(store, KEY, second);
      byte[] expected = first.bytes();
      checkRest(whole, head, expected, "read(key) opened before the delete");
      checkRest(
          range,
          new byte[0],
          Arrays.copyOfRange(expected, chunkSize() - 1, 2 * chunkSize() + 1),
          "read(key, range) opened before the delete");
      holds(TORN, store, KEY, second, "after the rewrite");
    }

    private void checkRest(InputStream in, byte[] head, byte[] expected, String what) {
      byte[] rest;
      try (in) {
        rest = in.readAllBytes();
      } catch (IOException e) {
        return; // failing the stream is allowed; yielding other bytes is not
      }
      byte[] all = new byte[head.length + rest.length];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(rest, 0, all, head.length, rest.length);
      assertThat(all)
          .as("%s: %s yields exactly the bytes of the blob it opened", TORN, what)
          .isEqualTo(expected);
    }

    @Test
    void concurrentReadersSeeOneWholeVersionWhileTheKeyIsRewritten() throws Exception {
      BlobStore store = newStore();
      List<ByteStream> versions = new ArrayList<>();
      for (int v = 0; v < 6; v++) {
        versions.add(Streams.of(2L * chunkSize() + 1, 100 + v));
      }
      Map<Integer, byte[]> bytes = new HashMap<>();
      for (int v = 0; v < versions.size(); v++) {
        bytes.put(v, versions.get(v).bytes());
      }
      write(store, KEY, versions.get(0));
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads());
      try {
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < threads(); t++) {
          readers.add(
              pool.submit(
                  () -> {
                    while (!done.get() && violations.size() < 5) {
                      try (InputStream in = store.read(KEY)) {
                        ByteArrayCollector out = new ByteArrayCollector();
                        byte[] buf = new byte[1000];
                        for (int n; (n = in.read(buf)) >= 0; ) {
                          out.add(buf, n);
                          Thread.yield();
                        }
                        byte[] seen = out.toArray();
                        if (bytes.values().stream().noneMatch(b -> Arrays.equals(b, seen))) {
                          violations.add(
                              "a read yielded "
                                  + seen.length
                                  + " bytes that are no version of the blob");
                        }
                      } catch (IOException e) {
                        // absent between delete and rewrite, or failed after a delete: allowed
                      }
                    }
                    return null;
                  }));
        }
        for (int round = 1; round < 30; round++) {
          store.delete(KEY);
          write(store, KEY, versions.get(round % versions.size()));
        }
        done.set(true);
        for (Future<?> r : readers) {
          await(TORN, "a reader", r);
        }
        assertThat(violations).as("%s: what concurrent readers saw", TORN).isEmpty();
      } finally {
        done.set(true);
        pool.shutdownNow();
      }
    }
  }

  /** A growable byte array for readers. */
  static final class ByteArrayCollector {
    private byte[] data = new byte[1024];
    private int size;

    void add(byte[] b, int n) {
      if (size + n > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
      }
      System.arraycopy(b, 0, data, size, n);
      size += n;
    }

    byte[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }

  /** Keys are written once. */
  @Nested
  @DisplayName("WriteOnce: a key holding a blob refuses a write until it is deleted")
  class WriteOnce {
    @Test
    void aSecondWriteOfAKeyFailsWithBlobExistsAndChangesNothing() throws IOException {
      BlobStore store = newStore();
      ByteStream first = Streams.of(chunkSize() + 1, 1);
      write(store, KEY, first);
      CountingStream second = new CountingStream(Streams.of(10, 2).open());
      fails(
          ONCE,
          "a second write of the key",
          BlobExistsException.class,
          () -> store.write(KEY, second, UNLIMITED, HashSpec.defaults()));
      holds(ONCE, store, KEY, first, "after a refused second write");
      used(ONCE, store, first.size(), "after a refused second write");
    }

    @Test
    void afterADeleteTheKeyCanBeWrittenAgain() throws IOException {
      BlobStore store = newStore();
      write(store, KEY, Streams.of(100, 1));
      assertThat(store.delete(KEY)).as("%s: delete of a stored blob", DELETE).isTrue();
      ByteStream again = Streams.of(chunkSize() + 7, 2);
      write(store, KEY, again);
      holds(ONCE, store, KEY, again, "after delete and a new write");
      used(ONCE, store, again.size(), "after delete and a new write");
    }

    @Test
    void ofConcurrentWritersOfOneKeyExactlyOneWins() throws Exception {
      for (int round = 0; round < 10; round++) {
        BlobStore store = newStore();
        int n = threads();
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
          List<Future<Optional<ByteStream>>> outcomes = new ArrayList<>();
          for (int t = 0; t < n; t++) {
            ByteStream s = Streams.of(chunkSize() + 1L + t, t);
            outcomes.add(
                pool.submit(
                    () -> {
                      start.await(HANG_SECONDS, TimeUnit.SECONDS);
                      try {
                        write(store, KEY, s);
                        return Optional.of(s);
                      } catch (BlobExistsException e) {
                        return Optional.empty();
                      }
                    }));
          }
          List<ByteStream> winners = new ArrayList<>();
          for (Future<Optional<ByteStream>> f : outcomes) {
            await(ONCE, "a concurrent write", f).ifPresent(winners::add);
          }
          assertThat(winners)
              .as("%s: of %s concurrent writes of one key, the ones that succeeded", ONCE, n)
              .hasSize(1);
          holds(ONCE, store, KEY, winners.get(0), "after concurrent writes of one key");
          used(ONCE, store, winners.get(0).size(), "after concurrent writes of one key");
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }

  /** Delete. */
  @Nested
  @DisplayName("IdempotentDelete: delete of an absent key returns false and changes nothing")
  class IdempotentDelete {
    @Test
    void deleteOfAMissingKeyReturnsFalseAndChangesNothing() throws IOException {
      BlobStore store = newStore();
      ByteStream kept = Streams.of(50, 1);
      write(store, BlobKey.of("kept"), kept);
      assertThat(store.delete(KEY)).as("%s: delete of a key never written", DELETE).isFalse();
      holds(DELETE, store, BlobKey.of("kept"), kept, "after a delete of another, absent key");
      used(DELETE, store, kept.size(), "after a delete of an absent key");
    }

    @Test
    void deleteRemovesTheBlobReleasesItsCapacityAndASecondDeleteReturnsFalse() throws IOException {
      BlobStore store = newStore();
      ByteStream s = Streams.of(2L * chunkSize() + 1, 1);
      write(store, KEY, s);
      assertThat(store.delete(KEY)).as("%s: delete of a stored blob", DELETE).isTrue();
      absent(DELETE, store, KEY, "after the delete");
      used(DELETE, store, 0, "after the delete");
      assertThat(store.delete(KEY)).as("%s: a second delete of the key", DELETE).isFalse();
      used(DELETE, store, 0, "after a second delete");
    }
  }

  /** Capacity. */
  @Nested
  @DisplayName("CapacityAccounting: used is the sum of the sizes; a write over the total fails")
  class CapacityAccounting {
    @Test
    void usedIsTheSumOfTheStoredBlobsSizesAfterAnyWritesAndDeletes() {
      Gen<int[]> ops =
          integers()
              .between(0, 5)
              .zip(integers().between(0, 3 * chunkSize() + 1), (k, size) -> new int[] {k, size});
      theory().withExamples(examples())
          .forAll(lists().of(ops.describedAs(o -> "k" + o[0] + ":" + o[1])).ofSizeBetween(1, 12))
          .checkAssert(
              steps ->
                  check(
                      () -> {
                        BlobStore store = newStore();
                        Map<BlobKey, Long> model = new HashMap<>();
                        int step = 0;
                        for (int[] op : steps) {
                          int n = ++step;
                          BlobKey key = BlobKey.of("k" + op[0]);
                          String when = "after step " + n + " (k" + op[0] + ":" + op[1] + ")";
                          if (model.containsKey(key)) {
                            assertThat(store.delete(key)).as("%s: %s", DELETE, when).isTrue();
                            model.remove(key);
                          } else if (op[1] % 3 == 0) {
                            thrownBy(
                                NOTHING_LEFT,
                                "a failing write",
                                () ->
                                    store.write(
                                        key,
                                        Streams.of(op[1] + 1L, n).failingAfter(op[1]),
                                        UNLIMITED,
                                        HashSpec.defaults()));
                          } else {
                            write(store, key, Streams.of(op[1], n));
                            model.put(key, (long) op[1]);
                          }
                          used(
                              CAPACITY,
                              store,
                              model.values().stream().mapToLong(Long::longValue).sum(),
                              when);
                          assertThat(new HashSet<>(store.keys()))
                              .as("%s: %s, keys()", CAPACITY, when)
                              .isEqualTo(model.keySet());
                        }
                      }));
    }

    @Test
    void aWriteThatWouldExceedTheCapacityFailsWithStoreFullAndLeavesNothing() throws IOException {
      long total = 3L * chunkSize() + 10;
      BlobStore store = capacityStore(total);
      assertThat(store.capacity().total())
          .as("%s: capacity().total() is the configured total", CAPACITY)
          .isEqualTo(total);
      ByteStream first = Streams.of(2L * chunkSize(), 1);
      write(store, BlobKey.of("first"), first);
      long free = total - first.size();
      assertThat(store.capacity().free()).as("%s: free after one blob", CAPACITY).isEqualTo(free);
      for (long over : List.of(free + 1, free + chunkSize(), 4L * chunkSize())) {
        fails(
            CAPACITY,
            "a write of " + over + " bytes with " + free + " free",
            StoreFullException.class,
            () -> write(store, KEY, Streams.of(over, over)));
        absent(CAPACITY, store, KEY, "after a write refused for capacity");
        used(CAPACITY, store, first.size(), "after a write refused for capacity");
      }
      ByteStream exact = Streams.of(free, 2);
      write(store, KEY, exact);
      holds(CAPACITY, store, KEY, exact, "after a write of exactly the free capacity");
      assertThat(store.capacity().free()).as("%s: free when full", CAPACITY).isZero();
      fails(
          CAPACITY,
          "a one-byte write into a full store",
          StoreFullException.class,
          () -> write(store, BlobKey.of("one"), Streams.of(1, 1)));
      write(store, BlobKey.of("empty"), Streams.of(0, 1));
      assertThat(store.delete(BlobKey.of("first"))).as("%s: delete", DELETE).isTrue();
      assertThat(store.capacity().free())
          .as("%s: a delete releases the blob's capacity", CAPACITY)
          .isEqualTo(first.size());
    }

    @Test
    void twoWritesThatTogetherExceedTheCapacityCannotBothSucceed() throws Exception {
      long total = 4L * chunkSize();
      BlobStore store = capacityStore(total);
      ByteStream big = Streams.of(3L * chunkSize(), 1);
      PausingStream slow = new PausingStream(big, 3L * chunkSize());
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<BlobWriteResult> w =
            pool.submit(() -> store.write(KEY, slow, UNLIMITED, HashSpec.defaults()));
        awaitLatch(CAPACITY, "the write reading all its bytes", slow.paused);
        // The paused write has read its 3 chunks (and counts them, as a write in progress).
        Throwable other =
            await(
                CAPACITY,
                "a second write during the first",
                pool.submit(
                    () -> {
                      try {
                        write(store, BlobKey.of("other"), Streams.of(2L * chunkSize(), 2));
                        return null;
                      } catch (IOException e) {
                        return (Throwable) e;
                      }
                    }));
        slow.resume();
        Throwable first = null;
        try {
          await(CAPACITY, "the paused write", w);
        } catch (IOException e) {
          first = e;
        }
        assertThat(first == null && other == null)
            .as(
                "%s: of two writes of 3 and 2 chunks into a store of 4, at most one succeeds",
                CAPACITY)
            .isFalse();
        assertThat(first == null ? other : first)
            .as("%s: the write that did not fit fails with StoreFullException", CAPACITY)
            .isInstanceOf(StoreFullException.class);
        used(
            CAPACITY,
            store,
            first == null ? big.size() : 2L * chunkSize(),
            "after two writes of which one fitted");
      } finally {
        slow.resume();
        pool.shutdownNow();
      }
    }

    private BlobStore capacityStore(long total) {
      Optional<BlobStore> store = newStoreWithCapacity(total);
      Assumptions.assumeThat(store)
          .as("the store has a configurable capacity (newStoreWithCapacity)")
          .isPresent();
      return store.orElseThrow();
    }
  }

  /** Concurrent use. */
  @Nested
  @DisplayName("Concurrency: writes of different keys run in parallel; reads never interfere")
  class Concurrency {
    @Test
    void parallelWritesOfDifferentKeysAllSucceed() throws Exception {
      BlobStore store = newStore();
      int n = threads();
      int perThread = 6;
      CyclicBarrier start = new CyclicBarrier(n);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      Map<BlobKey, ByteStream> written = new HashMap<>();
      try {
        List<Future<Map<BlobKey, ByteStream>>> futures = new ArrayList<>();
        for (int t = 0; t < n; t++) {
          int me = t;
          futures.add(
              pool.submit(
                  () -> {
                    start.await(HANG_SECONDS, TimeUnit.SECONDS);
                    Map<BlobKey, ByteStream> mine = new HashMap<>();
                    for (int i = 0; i < perThread; i++) {
                      BlobKey key = BlobKey.of("t" + me + "-" + i);
                      ByteStream s = Streams.of((long) (i * chunkSize() / 2 + me), me * 100 + i);
                      BlobWriteResult r = write(store, key, s);
                      if (!r.checksum().equals(s.md5())) {
                        throw new AssertionError(
                            CONCURRENCY + ": checksum of " + s + " written" + " in parallel");
                      }
                      mine.put(key, s);
                    }
                    return mine;
                  }));
        }
        for (Future<Map<BlobKey, ByteStream>> f : futures) {
          written.putAll(await(CONCURRENCY, "a parallel writer", f));
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(new HashSet<>(store.keys()))
          .as("%s: keys() after parallel writes of different keys", CONCURRENCY)
          .isEqualTo(written.keySet());
      for (Map.Entry<BlobKey, ByteStream> e : written.entrySet()) {
        holds(CONCURRENCY, store, e.getKey(), e.getValue(), "after parallel writes");
      }
      used(
          CONCURRENCY,
          store,
          written.values().stream().mapToLong(ByteStream::size).sum(),
          "after parallel writes");
    }

    @Test
    void aPausedWriteDoesNotHoldUpWritesReadsAndDeletesOfOtherKeys() throws Exception {
      BlobStore store = newStore();
      ByteStream other = Streams.of(chunkSize() + 1L, 2);
      write(store, BlobKey.of("other"), other);
      ByteStream s = Streams.of(2L * chunkSize() + 1, 1);
      PausingStream slow = new PausingStream(s, chunkSize() + 1L);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<BlobWriteResult> w =
            pool.submit(() -> store.write(KEY, slow, UNLIMITED, HashSpec.defaults()));
        awaitLatch(CONCURRENCY, "the write reading its first bytes", slow.paused);
        ByteStream third = Streams.of(chunkSize() + 2L, 3);
        await(
            CONCURRENCY,
            "a write, read and delete of other keys during a paused write",
            pool.submit(
                () -> {
                  write(store, BlobKey.of("third"), third);
                  holds(CONCURRENCY, store, BlobKey.of("other"), other, "during a paused write");
                  store.delete(BlobKey.of("other"));
                  return null;
                }));
        slow.resume();
        await(CONCURRENCY, "the paused write", w);
        holds(CONCURRENCY, store, KEY, s, "after the paused write completed");
        holds(CONCURRENCY, store, BlobKey.of("third"), third, "after the paused write");
        used(CONCURRENCY, store, s.size() + third.size(), "after the paused write completed");
      } finally {
        slow.resume();
        pool.shutdownNow();
      }
    }

    @Test
    void parallelReadsOfOneBlobAllYieldItsBytes() throws Exception {
      BlobStore store = newStore();
      ByteStream s = Streams.of(3L * chunkSize() + 1, 7);
      write(store, KEY, s);
      byte[] data = s.bytes();
      int n = threads();
      CyclicBarrier start = new CyclicBarrier(n);
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<Boolean>> reads = new ArrayList<>();
        for (int t = 0; t < n; t++) {
          int me = t;
          reads.add(
              pool.submit(
                  () -> {
                    start.await(HANG_SECONDS, TimeUnit.SECONDS);
                    for (int i = 0; i < 10; i++) {
                      long off = (me * 7919L + i * (long) chunkSize() / 3) % data.length;
                      long len = (data.length - off) / 2;
                      try (InputStream whole = store.read(KEY);
                          InputStream range = store.read(KEY, off, len)) {
                        if (!Arrays.equals(whole.readAllBytes(), data)
                            || !Arrays.equals(
                                range.readAllBytes(),
                                Arrays.copyOfRange(data, (int) off, (int) (off + len)))) {
                          return false;
                        }
                      }
                    }
                    return true;
                  }));
        }
        for (Future<Boolean> r : reads) {
          assertThat(await(CONCURRENCY, "a parallel reader", r))
              .as("%s: parallel reads of one blob yield its bytes", CONCURRENCY)
              .isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
