package dev.imagegov.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobExistsException;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobNotFoundException;
import dev.imagegov.spi.blob.BlobTooLargeException;
import dev.imagegov.spi.blob.BlobWriteResult;
import dev.imagegov.spi.blob.HashAlgorithm;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.StoreFullException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every guarantee of the {@link dev.imagegov.spi.blob.BlobStore} contract, on the memory store. */
class MemoryBlobStoreTest {
  private static final BlobKey KEY = BlobKey.of("blob-1");
  private static final int MIB = 1 << 20;

  private final MemoryBlobStore store =
      MemoryBlobStore.builder(StoreId.of("fast")).chunkSize(64 * 1024).build();

  private static BlobWriteResult write(MemoryBlobStore s, BlobKey key, long size, long seed)
      throws IOException {
    return s.write(key, TestStreams.random(size, seed), Long.MAX_VALUE, HashSpec.defaults());
  }

  @Test
  void anyStreamReadsBackIdenticallyWithTheJdksDigests() {
    qt().withExamples(30)
        .forAll(integers().between(0, 3 * MIB), longs().all())
        .checkAssert(
            (size, seed) -> {
              MemoryBlobStore s = MemoryBlobStore.create("p");
              try {
                BlobWriteResult r = write(s, KEY, size, seed);
                assertThat(r.size()).isEqualTo((long) size);
                assertThat(r.checksum())
                    .isEqualTo(TestStreams.digest("MD5", TestStreams.random(size, seed)));
                assertThat(r.multihash())
                    .isEqualTo(TestStreams.digest("SHA-512", TestStreams.random(size, seed)));
                assertThat(r.multihashAlgorithm()).isEqualTo(HashAlgorithm.SHA512);
                assertThat(TestStreams.sameBytes(s.read(KEY), TestStreams.random(size, seed)))
                    .isTrue();
                assertThat(s.capacity().used()).isEqualTo((long) size);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void anyRangeReadsBackTheSlice() throws IOException {
    byte[] data = TestStreams.random(300_000, 5).readAllBytes();
    store.write(KEY, new ByteArrayInputStream(data), data.length, HashSpec.defaults());
    qt().withExamples(200)
        .forAll(integers().between(0, data.length), integers().between(0, data.length))
        .assuming((a, b) -> a <= b)
        .checkAssert(
            (from, to) -> {
              try (InputStream in = store.read(KEY, from, to - from)) {
                byte[] slice = java.util.Arrays.copyOfRange(data, from, to);
                assertThat(in.readAllBytes()).isEqualTo(slice);
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    assertThatThrownBy(() -> store.read(KEY, 10, data.length))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> store.read(KEY, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void aWriteFailingAtAnyOffsetLeavesNothing() {
    qt().withExamples(40)
        .forAll(integers().between(0, 400_000), longs().all())
        .checkAssert(
            (failAt, seed) -> {
              InputStream in = TestStreams.failingAfter(TestStreams.random(500_000, seed), failAt);
              assertThatThrownBy(() -> store.write(KEY, in, Long.MAX_VALUE, HashSpec.defaults()))
                  .isInstanceOf(IOException.class)
                  .hasMessageContaining("client went away");
              assertThat(store.exists(KEY)).isFalse();
              assertThat(store.keys()).isEmpty();
              assertThat(store.capacity().used()).isZero();
            });
  }

  @Test
  void exceedingMaxBytesLeavesNothing() {
    assertThatThrownBy(
            () -> store.write(KEY, TestStreams.random(1001, 1), 1000, HashSpec.defaults()))
        .isInstanceOf(BlobTooLargeException.class);
    assertThat(store.exists(KEY)).isFalse();
    assertThat(store.capacity().used()).isZero();
  }

  @Test
  void aFullStoreRefusesTheWriteAndKeepsWhatItHad() throws IOException {
    MemoryBlobStore small =
        MemoryBlobStore.builder(StoreId.of("small")).capacity(100_000).chunkSize(4096).build();
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
    write(store, KEY, 10, 1);
    assertThatThrownBy(() -> write(store, KEY, 20, 2)).isInstanceOf(BlobExistsException.class);
    assertThat(store.size(KEY)).hasValue(10);
    assertThat(store.delete(KEY)).isTrue();
    write(store, KEY, 20, 2);
    assertThat(store.size(KEY)).hasValue(20);
  }

  @Test
  void deleteIsIdempotentAndReleasesCapacity() throws IOException {
    write(store, KEY, 5000, 1);
    assertThat(store.delete(KEY)).isTrue();
    assertThat(store.delete(KEY)).isFalse();
    assertThat(store.capacity().used()).isZero();
    assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(BlobNotFoundException.class);
    assertThatThrownBy(() -> store.read(KEY, 0, 0)).isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void aReaderKeepsTheBlobItOpenedWhenItIsDeleted() throws Exception {
    write(store, KEY, 200_000, 3);
    InputStream open = store.read(KEY);
    byte[] first = open.readNBytes(1000);
    store.delete(KEY);
    write(store, KEY, 200_000, 4);
    byte[] rest = open.readAllBytes();
    InputStream expected = TestStreams.random(200_000, 3);
    assertThat(first).isEqualTo(expected.readNBytes(1000));
    assertThat(rest).isEqualTo(expected.readAllBytes());
  }

  @Test
  void aBlobIsInvisibleUntilItsWriteCompletes() throws Exception {
    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    InputStream slow =
        new java.io.SequenceInputStream(
            TestStreams.random(100_000, 1),
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
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentWritersOfOneKeyProduceExactlyOneBlob() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        long seed = i;
        results.add(
            pool.submit(
                () -> {
                  try {
                    write(store, KEY, 100_000, seed);
                    return true;
                  } catch (BlobExistsException e) {
                    return false;
                  }
                }));
      }
      int winners = 0;
      for (Future<Boolean> f : results) {
        winners += f.get() ? 1 : 0;
      }
      assertThat(winners).isGreaterThanOrEqualTo(1);
      assertThat(store.keys()).containsExactly(KEY);
      assertThat(store.capacity().used()).isEqualTo(100_000);
      assertThat(winners).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void inlineAndParallelHashingAgree() throws IOException {
    MemoryBlobStore inline = MemoryBlobStore.builder(StoreId.of("i")).inlineHashing().build();
    HashSpec sha3 = HashSpec.of(HashAlgorithm.of("sha3_256"));
    BlobWriteResult a = inline.write(KEY, TestStreams.random(3 * MIB + 7, 8), Long.MAX_VALUE, sha3);
    BlobWriteResult b = store.write(KEY, TestStreams.random(3 * MIB + 7, 8), Long.MAX_VALUE, sha3);
    assertThat(a.checksum()).isEqualTo(b.checksum());
    assertThat(a.multihash()).isEqualTo(b.multihash()).hasSize(64);
    assertThat(a.url()).isEqualTo("memory://i/blob-1");
  }
}
