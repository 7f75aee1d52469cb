package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.spi.blob.BlobTooLargeException;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every guarantee of the {@link BlobStore} port's contract, on the file blob store, written
 * against the port only ({@link #newStore}): these tests are the store-independent part and give
 * way to the testkit's blob-store contract suite once it exists. File-specific behaviour
 * (layout, recovery, verification, locking) is in {@link FileBlobStoreTest}.
 */
class FileBlobStorePortTest {
  private static final BlobKey KEY = BlobKey.of("blob-1");
  private static final int MIB = 1 << 20;

  @TempDir Path dir;

  private final List<FileBlobStore> opened = new ArrayList<>();
  private final AtomicInteger stores = new AtomicInteger();

  /** A fresh, empty store holding at most {@code capacity} bytes. */
  private BlobStore newStore(long capacity) {
    FileBlobStore store =
        FileBlobStore.open(
            StoreId.of("file"),
            dir.resolve("store-" + stores.incrementAndGet()),
            FileBlobStoreOptions.builder().fsync(false).capacity(capacity).chunkSize(64 * 1024)
                .build());
    opened.add(store);
    return store;
  }

  private BlobStore newStore() {
    return newStore(Long.MAX_VALUE);
  }

  @AfterEach
  void close() {
    opened.forEach(FileBlobStore::close);
  }

  private static BlobWriteResult write(BlobStore s, BlobKey key, long size, long seed)
      throws IOException {
    return s.write(key, BlobStreams.random(size, seed), Long.MAX_VALUE, HashSpec.defaults());
  }

  @Test
  void anyStreamRoundTripsWithTheJdksDigests() {
    BlobStore store = newStore();
    AtomicInteger n = new AtomicInteger();
    qt().withExamples(40)
        .forAll(integers().between(0, 3 * MIB), longs().all(),
            integers().between(0, 2))
        .checkAssert(
            (size, seed, algo) -> {
              String[] glance = {"sha512", "sha256", "sha3_384"};
              String[] jdk = {"SHA-512", "SHA-256", "SHA3-384"};
              BlobKey key = BlobKey.of("k" + n.incrementAndGet());
              try {
                BlobWriteResult r = store.write(key, BlobStreams.random(size, seed),
                    size, HashSpec.of(HashAlgorithm.of(glance[algo])));
                assertThat(r.size()).isEqualTo((long) size);
                assertThat(r.checksum())
                    .isEqualTo(BlobStreams.digest("MD5", BlobStreams.random(size, seed)));
                assertThat(r.multihash())
                    .isEqualTo(BlobStreams.digest(jdk[algo], BlobStreams.random(size, seed)));
                assertThat(r.multihashAlgorithm().glanceName()).isEqualTo(glance[algo]);
                assertThat(store.size(key)).hasValue(size);
                try (InputStream in = store.read(key)) {
                  assertThat(BlobStreams.sameBytes(in, BlobStreams.random(size, seed))).isTrue();
                }
                assertThat(store.delete(key)).isTrue();
                assertThat(store.capacity().used()).isZero();
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void anyRangeReadsBackTheSliceByReadAndByTransferTo() throws IOException {
    BlobStore store = newStore();
    byte[] data = BlobStreams.bytes(300_000, 5);
    store.write(KEY, new ByteArrayInputStream(data), data.length, HashSpec.defaults());
    qt().withExamples(200)
        .forAll(integers().between(0, data.length), integers().between(0, data.length))
        .checkAssert(
            (a, b) -> {
              int from = Math.min(a, b);
              int to = Math.max(a, b);
              byte[] slice = Arrays.copyOfRange(data, from, to);
              try (InputStream in = store.read(KEY, from, to - from)) {
                assertThat(in.readAllBytes()).isEqualTo(slice);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
              try (InputStream in = store.read(KEY, from, to - from)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                assertThat(in.transferTo(out)).isEqualTo(to - from);
                assertThat(out.toByteArray()).isEqualTo(slice);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void aRangeOutsideTheBlobIsRefused() throws IOException {
    BlobStore store = newStore();
    write(store, KEY, 1000, 1);
    assertThatThrownBy(() -> store.read(KEY, 10, 991))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.read(KEY, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.read(KEY, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    try (InputStream empty = store.read(KEY, 1000, 0)) {
      assertThat(empty.read()).isEqualTo(-1);
    }
    try (InputStream in = store.read(KEY, 990, 10)) {
      assertThat(in.skip(4)).isEqualTo(4);
      assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(BlobStreams.bytes(1000, 1),
          994, 1000));
    }
  }

  @Test
  void aWriteFailingAtAnyOffsetLeavesNothing() {
    BlobStore store = newStore();
    qt().withExamples(30)
        .forAll(integers().between(0, 400_000), longs().all())
        .checkAssert(
            (failAt, seed) -> {
              InputStream in =
                  BlobStreams.failingAfter(BlobStreams.random(500_000, seed), failAt);
              assertThatThrownBy(() -> store.write(KEY, in, Long.MAX_VALUE, HashSpec.defaults()))
                  .isInstanceOf(IOException.class)
                  .hasMessageContaining("client went away");
              assertThat(store.exists(KEY)).isFalse();
              assertThat(store.keys()).isEmpty();
              assertThat(store.capacity().used()).isZero();
            });
  }

  @Test
  void exceedingMaxBytesLeavesNothing() throws IOException {
    BlobStore store = newStore();
    assertThatThrownBy(
            () -> store.write(KEY, BlobStreams.random(1001, 1), 1000, HashSpec.defaults()))
        .isInstanceOf(BlobTooLargeException.class);
    assertThat(store.exists(KEY)).isFalse();
    assertThat(store.capacity().used()).isZero();
    assertThat(store.write(KEY, BlobStreams.random(1000, 1), 1000, HashSpec.defaults()).size())
        .isEqualTo(1000);
  }

  @Test
  void aFullStoreRefusesTheWriteAndKeepsWhatItHad() throws IOException {
    BlobStore small = newStore(100_000);
    write(small, BlobKey.of("a"), 60_000, 1);
    assertThatThrownBy(() -> write(small, BlobKey.of("b"), 50_000, 2))
        .isInstanceOf(StoreFullException.class);
    assertThat(small.keys()).containsExactly(BlobKey.of("a"));
    assertThat(small.capacity().used()).isEqualTo(60_000);
    assertThat(small.capacity().free()).isEqualTo(40_000);
    write(small, BlobKey.of("b"), 40_000, 2);
    assertThat(small.capacity().free()).isZero();
  }

  @Test
  void aKeyIsWrittenOnce() throws IOException {
    BlobStore store = newStore();
    write(store, KEY, 10, 1);
    assertThatThrownBy(() -> write(store, KEY, 20, 2)).isInstanceOf(BlobExistsException.class);
    assertThat(store.size(KEY)).hasValue(10);
    assertThat(store.delete(KEY)).isTrue();
    write(store, KEY, 20, 2);
    assertThat(store.size(KEY)).hasValue(20);
  }

  @Test
  void deleteIsIdempotentAndReleasesCapacity() throws IOException {
    BlobStore store = newStore();
    write(store, KEY, 5000, 1);
    assertThat(store.delete(KEY)).isTrue();
    assertThat(store.delete(KEY)).isFalse();
    assertThat(store.delete(BlobKey.of("never-written"))).isFalse();
    assertThat(store.capacity().used()).isZero();
    assertThat(store.size(KEY)).isEmpty();
    assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(BlobNotFoundException.class);
    assertThatThrownBy(() -> store.read(KEY, 0, 0)).isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void aReaderKeepsTheBlobItOpenedWhenItIsDeletedAndRewritten() throws Exception {
    BlobStore store = newStore();
    write(store, KEY, 200_000, 3);
    try (InputStream open = store.read(KEY)) {
      byte[] first = open.readNBytes(1000);
      store.delete(KEY);
      write(store, KEY, 200_000, 4);
      byte[] rest = open.readAllBytes();
      InputStream expected = BlobStreams.random(200_000, 3);
      assertThat(first).isEqualTo(expected.readNBytes(1000));
      assertThat(rest).isEqualTo(expected.readAllBytes());
    }
    try (InputStream now = store.read(KEY)) {
      assertThat(BlobStreams.sameBytes(now, BlobStreams.random(200_000, 4))).isTrue();
    }
  }

  @Test
  void aBlobIsInvisibleUntilItsWriteCompletes() throws Exception {
    BlobStore store = newStore();
    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    InputStream slow =
        new SequenceInputStream(
            BlobStreams.random(100_000, 1),
            new InputStream() {
              private boolean waited;

              @Override
              public int read() throws IOException {
                if (!waited) {
                  waited = true;
                  halfway.countDown();
                  try {
                    proceed.await();
                  } catch (InterruptedException e) {
                    throw new IOException(e);
                  }
                }
                return -1;
              }
            });
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<BlobWriteResult> w =
          pool.submit(() -> store.write(KEY, slow, Long.MAX_VALUE, HashSpec.defaults()));
      halfway.await();
      assertThat(store.exists(KEY)).isFalse();
      assertThat(store.keys()).isEmpty();
      assertThat(store.delete(KEY)).isFalse();
      assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(BlobNotFoundException.class);
      assertThatThrownBy(() -> write(store, KEY, 1, 1)).isInstanceOf(BlobExistsException.class);
      assertThat(store.capacity().used()).isBetween(1L, 100_000L);
      proceed.countDown();
      assertThat(w.get().size()).isEqualTo(100_000);
      assertThat(store.exists(KEY)).isTrue();
      assertThat(store.capacity().used()).isEqualTo(100_000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentWritersOfOneKeyProduceExactlyOneBlob() throws Exception {
    BlobStore store = newStore();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        long seed = i;
        results.add(
            pool.submit(
                () -> {
                  try {
                    write(store, KEY, 100_000, seed);
                    return seed;
                  } catch (BlobExistsException e) {
                    return -1L;
                  }
                }));
      }
      List<Long> winners = new ArrayList<>();
      for (Future<Long> f : results) {
        if (f.get() >= 0) {
          winners.add(f.get());
        }
      }
      assertThat(winners).hasSize(1);
      assertThat(store.keys()).containsExactly(KEY);
      assertThat(store.capacity().used()).isEqualTo(100_000);
      try (InputStream in = store.read(KEY)) {
        assertThat(BlobStreams.sameBytes(in, BlobStreams.random(100_000, winners.get(0))))
            .isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentWritesOfDifferentKeysAndReadsAllSucceed() throws Exception {
    BlobStore store = newStore();
    int writers = 8;
    int each = 12;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        int thread = t;
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            long seed = thread * 1000L + i;
            BlobKey key = BlobKey.of("w" + thread + "-" + i);
            write(store, key, 20_000 + seed % 7_000, seed);
            try (InputStream in = store.read(key)) {
              assertThat(BlobStreams.sameBytes(in,
                  BlobStreams.random(20_000 + seed % 7_000, seed))).isTrue();
            }
          }
          return null;
        }));
      }
      for (int r = 0; r < 2; r++) {
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 200; i++) {
            for (BlobKey key : store.keys()) {
              String[] parts = key.value().substring(1).split("-");
              long seed = Long.parseLong(parts[0]) * 1000L + Long.parseLong(parts[1]);
              try (InputStream in = store.read(key)) {
                assertThat(BlobStreams.sameBytes(in,
                    BlobStreams.random(20_000 + seed % 7_000, seed))).isTrue();
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> task : tasks) {
        task.get();
      }
      assertThat(store.keys()).hasSize(writers * each);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyBlobHasAUrlNamingItsStore() throws IOException {
    BlobStore store = newStore();
    BlobWriteResult r = write(store, KEY, 10, 1);
    assertThat(r.url()).isEqualTo(store.url(KEY));
    assertThat(r.url()).startsWith("file:").endsWith("/" + KEY.value());
  }
}
