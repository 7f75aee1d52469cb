package dev.imagegov;

import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.data.ByteRange;
import dev.imagegov.data.ImageDownload;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.testkit.gen.ByteStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Properties of upload and download, and quotas under concurrency. */
class DataPropertyTest {
  private static final long MIB = 1 << 20;

  @Test
  void anyUploadReadsBackIdenticallyWithTheJdksDigests() {
    DataFixtures f = new DataFixtures();
    qt().withExamples(25)
        .forAll(integers().between(0, 2 * (int) MIB), longs().all(), integers().between(0, 1))
        .checkAssert(
            (size, seed, declare) -> {
              try {
                Image image = f.queued(PRODUCER);
                OptionalLong declared = declare == 1 ? OptionalLong.of(size) : OptionalLong.empty();
                Image active =
                    f.data()
                        .upload(PRODUCER, image.id(), ByteStream.of(size, seed).open(), declared);
                assertThat(active.size()).hasValue(size);
                assertThat(active.checksum())
                    .contains(ByteStream.of(size, seed).md5());
                assertThat(active.osHashValue())
                    .contains(ByteStream.of(size, seed).sha512());
                try (ImageDownload d = f.data().download(PRODUCER, image.id())) {
                  assertThat(ByteStream.of(size, seed).sameBytesAs(d.stream()))
                      .isTrue();
                }
                if (size > 0) {
                  long first = Math.floorMod(seed, size);
                  long last = first + Math.floorMod(seed >>> 7, size - first);
                  try (ImageDownload d =
                          f.data().download(PRODUCER, image.id(), ByteRange.of(first, last));
                      InputStream expected = ByteStream.of(size, seed).open()) {
                    expected.skipNBytes(first);
                    assertThat(d.contentLength()).isEqualTo(last - first + 1);
                    assertThat(d.stream().readAllBytes())
                        .isEqualTo(expected.readNBytes((int) (last - first + 1)));
                  }
                }
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
  }

  @Test
  void anUploadFailingAtAnyOffsetLeavesNoDataNoUsageAndAQueuedImage() {
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().userStorageQuota("100MB").build());
    Image image = f.queued(PRODUCER);
    qt().withExamples(40)
        .forAll(integers().between(0, 600_000), longs().all(), integers().between(0, 1))
        .checkAssert(
            (failAt, seed, declare) -> {
              InputStream in = ByteStream.of(700_000, seed).failingAfter(failAt);
              OptionalLong declared = declare == 1 ? OptionalLong.of(700_000) : OptionalLong.empty();
              try {
                f.data().upload(PRODUCER, image.id(), in, declared);
                throw new AssertionError("the upload should have failed");
              } catch (GovernanceException e) {
                assertThat(e.httpStatus()).isEqualTo(400);
              }
              Image after = f.stored(image.id());
              assertThat(after.status()).isEqualTo(ImageStatus.QUEUED);
              assertThat(after.size()).isEmpty();
              assertThat(after.locations()).isEmpty();
              assertThat(f.blobBytes()).isZero();
              assertThat(f.fast.keys()).isEmpty();
              var report = f.governance.quotas().usage(PRODUCER, ProjectId.of("producer"));
              assertThat(report.storedBytes()).isZero();
              assertThat(report.uploadsInProgress()).isZero();
              assertThat(report.limits().get("user_storage_quota").usage()).isZero();
            });
  }

  @Test
  void sixteenConcurrentUploadsNeverTakeAProjectOverItsLimit() throws Exception {
    StaticLimits limits =
        StaticLimits.builder()
            .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, 10)
            .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, -1)
            .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, -1)
            .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
            .build();
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().unifiedLimits(limits).build());
    long limitBytes = 10 * MIB;
    ProjectId producer = ProjectId.of("producer");
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      images.add(f.queued(PRODUCER));
    }
    ExecutorService pool = Executors.newFixedThreadPool(17);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong maxSeen = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    try {
      Future<?> sampler =
          pool.submit(
              () -> {
                while (running.get()) {
                  var r = f.governance.quotas().usage(Fixtures.ADMIN, producer);
                  long used = r.storedBytes();
                  maxSeen.accumulateAndGet(used, Math::max);
                  maxSeen.accumulateAndGet(f.fast.capacity().used(), Math::max);
                  Thread.onSpinWait();
                }
              });
      List<Future<Boolean>> uploads = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        Image image = images.get(i);
        long size = (i % 4 + 1) * 512 * 1024L + i;
        boolean declare = i % 2 == 0;
        boolean first = i == 0;
        uploads.add(
            pool.submit(
                () -> {
                  // The first upload declares its size, so it holds its whole reservation when
                  // its data is first read: that read starts the others, and it must succeed.
                  InputStream data = ByteStream.of(size, size).open();
                  if (first) {
                    data = new FilterInputStream(data) {
                      @Override
                      public int read() throws IOException {
                        start.countDown();
                        return super.read();
                      }

                      @Override
                      public int read(byte[] b, int off, int len) throws IOException {
                        start.countDown();
                        return super.read(b, off, len);
                      }
                    };
                  } else {
                    start.await();
                  }
                  try {
                    f.data()
                        .upload(
                            PRODUCER,
                            image.id(),
                            data,
                            declare ? OptionalLong.of(size) : OptionalLong.empty());
                    return true;
                  } catch (GovernanceException e) {
                    assertThat(e.httpStatus()).isEqualTo(413);
                    return false;
                  } finally {
                    start.countDown(); // were the first upload to fail before reading
                  }
                }));
      }
      List<Boolean> outcomes = new ArrayList<>();
      for (Future<Boolean> u : uploads) {
        outcomes.add(u.get(120, TimeUnit.SECONDS)); // a hang guard
      }
      running.set(false);
      sampler.get();
      assertThat(outcomes.get(0))
          .as("the upload that held its whole reservation before the others started")
          .isTrue();
      assertThat(outcomes).as("uploads of 20 MiB in all for a 10 MiB limit").contains(false);
      assertThat(maxSeen.get()).isLessThanOrEqualTo(limitBytes);
      long sum = 0;
      for (Image image : images) {
        Image now = f.stored(image.id());
        if (now.status() == ImageStatus.ACTIVE) {
          sum += now.size().getAsLong();
        } else {
          assertThat(now.status()).isEqualTo(ImageStatus.QUEUED);
          assertThat(f.fast.exists(BlobKey.of(image.id()))).isFalse();
        }
      }
      var report = f.governance.quotas().usage(Fixtures.ADMIN, producer);
      assertThat(report.storedBytes()).isEqualTo(sum).isLessThanOrEqualTo(limitBytes);
      assertThat(f.fast.capacity().used()).isEqualTo(sum);
      assertThat(report.uploadsInProgress()).isZero();
      assertThat(report.limits().get("image_size_total").usage()).isEqualTo(sum / MIB);
    } finally {
      running.set(false);
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentUploadAndDeleteLeakNothing() throws Exception {
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().userStorageQuota("1GB").build());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 30; round++) {
        Image image = f.queued(PRODUCER);
        CountDownLatch go = new CountDownLatch(1);
        long size = 100_000 + round * 7919L;
        Future<?> upload =
            pool.submit(
                () -> {
                  go.await();
                  try {
                    f.data().upload(PRODUCER, image.id(), ByteStream.of(size, size).open(), OptionalLong.empty());
                  } catch (GovernanceException e) {
                    // 404 before saving, 410 when deleted during the upload: both leave nothing.
                    assertThat(e.httpStatus()).isIn(404, 409, 410);
                  }
                  return null;
                });
        Future<?> delete =
            pool.submit(
                () -> {
                  go.await();
                  if (size % 3 == 0) {
                    Thread.yield();
                  }
                  f.governance.images().delete(PRODUCER, image.id());
                  return null;
                });
        go.countDown();
        upload.get();
        delete.get();
        assertThat(f.catalog.find(image.id())).isEmpty();
      }
      assertThat(f.fast.keys()).isEmpty();
      assertThat(f.blobBytes()).isZero();
      var report = f.governance.quotas().usage(Fixtures.ADMIN, ProjectId.of("producer"));
      assertThat(report.storedBytes()).isZero();
      assertThat(report.uploadsInProgress()).isZero();
      assertThat(report.limits().get("user_storage_quota").usage()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void readersOfDeletedDataFinishTheirStream() throws IOException {
    DataFixtures f = new DataFixtures();
    Image image = f.queued(PRODUCER);
    f.data().upload(PRODUCER, image.id(), ByteStream.of(300_000, 1).open(), OptionalLong.empty());
    ImageDownload d = f.data().download(PRODUCER, image.id());
    f.governance.images().delete(PRODUCER, image.id());
    assertThat(ByteStream.of(300_000, 1).sameBytesAs(d.stream())).isTrue();
  }
}
