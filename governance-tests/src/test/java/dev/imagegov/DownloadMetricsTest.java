package dev.imagegov;

import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.data.ImageDownload;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.events.GovernanceMetrics;
import dev.imagegov.events.MemoryMetrics;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The {@code data.download} metric's timer covers reading the data: it completes when the stream
 * is read to its end or closed, not when the download call returns.
 */
class DownloadMetricsTest {
  private static final byte[] DATA = new byte[100_000];

  private final MemoryMetrics metrics = new MemoryMetrics();
  /** Each completed download's elapsed time, in order. */
  private final List<Duration> completed = new ArrayList<>();

  private final ImageGovernance g = ImageGovernance.builder()
      .catalog(new MemoryCatalog())
      .blobStore(MemoryBlobStore.builder(StoreId.of("local")).build())
      .clock(new TickingClock())
      .metrics(new GovernanceMetrics() {
        @Override
        public void completed(String operation, Duration elapsed) {
          metrics.completed(operation, elapsed);
          if (operation.equals("data.download")) {
            completed.add(elapsed);
          }
        }

        @Override
        public void refused(String operation, dev.imagegov.error.ErrorCode code,
            Duration elapsed) {
          metrics.refused(operation, code, elapsed);
        }
      })
      .build();

  private ImageId uploaded() {
    Image image = g.images().create(PRODUCER, NewImage.builder()
        .diskFormat("raw").containerFormat("bare").build());
    g.data().upload(PRODUCER, image.id(), new ByteArrayInputStream(DATA),
        OptionalLong.of(DATA.length));
    return image.id();
  }

  @Test
  void aDownloadCompletesWhenItsStreamIsReadToTheEnd() throws IOException {
    ImageId id = uploaded();
    try (ImageDownload d = g.data().download(PRODUCER, id)) {
      long returned = System.nanoTime();
      InputStream in = d.stream();
      byte[] buffer = new byte[1000];
      assertThat(in.read(buffer)).isPositive();
      long midway = System.nanoTime();
      assertThat(metrics.timing("data.download").count())
          .as("not reported while the stream is being read").isZero();
      while (in.read(buffer) >= 0) {
        // read to the end
      }
      assertThat(completed).as("reported once, at the end of the stream").hasSize(1);
      // The timer started before the call returned and stopped after the first read.
      assertThat(completed.get(0)).isGreaterThanOrEqualTo(Duration.ofNanos(midway - returned));
    }
    assertThat(completed).as("closing after the end reports nothing more").hasSize(1);
  }

  @Test
  void aDownloadClosedEarlyCompletesWhenClosed() throws IOException {
    ImageId id = uploaded();
    ImageDownload d = g.data().download(PRODUCER, id.toString());
    d.stream().read(new byte[10]);
    assertThat(completed).isEmpty();
    d.close();
    assertThat(completed).hasSize(1);
    assertThat(metrics.count("data.download", MemoryMetrics.COMPLETED)).isEqualTo(1);
  }

  @Test
  void aRangedDownloadAndADownloadWithoutDataAreTimedToo() throws IOException {
    ImageId id = uploaded();
    try (ImageDownload d = g.data().download(PRODUCER, id, dev.imagegov.data.ByteRange.parse(
        "bytes=0-9"))) {
      assertThat(d.stream().readAllBytes()).hasSize(10);
      assertThat(completed).hasSize(1);
    }
    Image empty = g.images().create(PRODUCER, NewImage.builder().build());
    try (ImageDownload d = g.data().download(PRODUCER, empty.id())) {
      assertThat(d.hasData()).isFalse();
      assertThat(completed).as("no data: completed at once").hasSize(2);
    }
  }

  @Test
  void aRefusedDownloadIsReportedAtOnce() {
    ImageId unknown = ImageId.of(new UUID(7, 7));
    Expect.notFound(() -> g.data().download(PRODUCER, unknown));
    assertThat(metrics.refusals("data.download", StoreErrorCode.IMAGE_NOT_FOUND)).isEqualTo(1);
    assertThat(completed).isEmpty();
  }
}
