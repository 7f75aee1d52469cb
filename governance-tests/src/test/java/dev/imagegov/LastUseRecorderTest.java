package dev.imagegov;

import static dev.imagegov.LifecycleWorld.ADMIN;
import static dev.imagegov.LifecycleWorld.CONSUMER;
import static dev.imagegov.LifecycleWorld.OUTSIDER;
import static dev.imagegov.LifecycleWorld.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.errors.RuleCode;
import dev.imagegov.lifecycle.ImageUsage;
import dev.imagegov.lifecycle.LifecycleInfo;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.store.memory.MemoryCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The last-use record ({@code dev.imagegov.lifecycle.LastUseRecorder}): every successful download
 * and download authorization records it, coalesced to one catalog write per image per {@code
 * lastUseInterval}; {@code lifecycle().unusedSince} is the query stale-image reports read.
 */
class LastUseRecorderTest {
  private final LifecycleWorld w = new LifecycleWorld();

  @Test
  void aSuccessfulDownloadAuthorizationRecordsTheLastUse() {
    Image image = w.active(PRODUCER, "golden", Visibility.PUBLIC);
    assertThat(LifecycleInfo.of(w.stored(image.id())).lastUsed()).isEmpty();
    w.governance.access().authorizeDownload(CONSUMER, image.id());
    Instant recorded = LifecycleInfo.of(w.stored(image.id())).lastUsed().orElseThrow();
    assertThat(recorded).isAfter(image.updatedAt());
    assertThat(w.lifecycle().info(CONSUMER, image.id()).lastUsed()).contains(recorded);
  }

  @Test
  void aDataDownloadRecordsTheLastUse() throws Exception {
    Image image = w.active(PRODUCER, "golden", Visibility.PUBLIC);
    try (var download = w.governance.data().download(CONSUMER, image.id())) {
      download.stream().readAllBytes();
    }
    assertThat(LifecycleInfo.of(w.stored(image.id())).lastUsed()).isPresent();
  }

  @Test
  void aHotImageIsWrittenAtMostOncePerInterval() {
    Image image = w.active(PRODUCER, "golden", Visibility.PUBLIC);
    for (int i = 0; i < 50; i++) {
      w.governance.access().authorizeDownload(CONSUMER, image.id());
    }
    Image once = w.stored(image.id());
    assertThat(once.version()).isEqualTo(image.version() + 1);
    w.clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 50; i++) {
      w.governance.access().authorizeDownload(CONSUMER, image.id());
    }
    Image twice = w.stored(image.id());
    assertThat(twice.version()).isEqualTo(image.version() + 2);
    assertThat(LifecycleInfo.of(twice).lastUsed().orElseThrow())
        .isAfterOrEqualTo(LifecycleInfo.of(once).lastUsed().orElseThrow().plus(Duration.ofHours(1)));
  }

  @Test
  void theIntervalIsConfigurable() {
    LifecycleWorld everyUse = new LifecycleWorld(new MemoryCatalog(), ImageUsage.none(),
        GovernanceConfig.builder().lastUseInterval(Duration.ZERO).build());
    Image image = everyUse.active(PRODUCER, "golden", Visibility.PUBLIC);
    for (int i = 0; i < 3; i++) {
      everyUse.governance.access().authorizeDownload(CONSUMER, image.id());
    }
    assertThat(everyUse.stored(image.id()).version()).isEqualTo(image.version() + 3);
  }

  @Test
  void aNegativeIntervalIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> GovernanceConfig.builder().lastUseInterval(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last-use interval");
  }

  @Test
  void recordingAUseKeepsUpdatedAtAndPublishesNoEvent() {
    Image image = w.active(PRODUCER, "golden", Visibility.PUBLIC);
    int events = w.events.size();
    w.governance.access().authorizeDownload(CONSUMER, image.id());
    assertThat(w.stored(image.id()).updatedAt()).isEqualTo(image.updatedAt());
    assertThat(w.events).hasSize(events);
  }

  @Test
  void aRefusedDownloadRecordsNothing() {
    Image hidden = w.active(PRODUCER, "golden", Visibility.PRIVATE);
    Expect.notFound(() -> w.governance.access().authorizeDownload(OUTSIDER, hidden.id()));
    w.governance.images().deactivate(PRODUCER, hidden.id());
    Expect.fails(RuleCode.STATUS_FORBIDS,
        () -> w.governance.access().authorizeDownload(PRODUCER, hidden.id()));
    assertThat(LifecycleInfo.of(w.stored(hidden.id())).lastUsed()).isEmpty();
  }

  @Test
  void racingUsesOfOneImageWriteItOnce() throws Exception {
    Image image = w.active(PRODUCER, "golden", Visibility.PUBLIC);
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Image>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          return w.governance.access().authorizeDownload(CONSUMER, image.id());
        }));
      }
      start.countDown();
      for (Future<Image> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(w.stored(image.id()).version()).isEqualTo(image.version() + 1);
  }

  @Test
  void theLastUseCannotBeChangedByPatch() {
    Image image = w.active(PRODUCER, "golden", Visibility.PUBLIC);
    Image before = w.stored(image.id());
    Expect.fails(RuleCode.RESERVED_ATTRIBUTE, () -> w.governance.images().patch(PRODUCER,
        image.id(), JsonPatchParser.V2_1,
        "[{\"op\":\"add\",\"path\":\"/imagegov_lifecycle_last_used\","
            + "\"value\":\"2030-01-01T00:00:00Z\"}]"));
    assertThat(w.stored(image.id())).isEqualTo(before);
  }

  @Test
  void unusedSinceListsTheImagesNotUsedSinceTheCutoffLeastRecentlyUsedFirst() {
    Image used = w.active(PRODUCER, "used", Visibility.PUBLIC);
    Image idle = w.active(PRODUCER, "idle", Visibility.PUBLIC);
    Image usedLongAgo = w.active(PRODUCER, "used-long-ago", Visibility.PUBLIC);
    w.governance.access().authorizeDownload(CONSUMER, usedLongAgo.id());
    w.clock.advance(Duration.ofDays(30));
    Instant cutoff = w.clock.instant();
    w.governance.access().authorizeDownload(CONSUMER, used.id());
    Image recent = w.active(PRODUCER, "recent", Visibility.PUBLIC);

    assertThat(ids(w.lifecycle().unusedSince(PRODUCER, cutoff)))
        .containsExactly(idle.id(), usedLongAgo.id());
    assertThat(ids(w.lifecycle().unusedSince(ADMIN, cutoff)))
        .containsExactly(idle.id(), usedLongAgo.id());
    assertThat(w.lifecycle().unusedSince(CONSUMER, cutoff))
        .as("a project is answered about its own images only").isEmpty();
    assertThat(ids(w.lifecycle().unusedSince(PRODUCER, w.clock.instant().plusSeconds(60))))
        .containsExactlyInAnyOrder(idle.id(), usedLongAgo.id(), used.id(), recent.id());
  }

  private static List<ImageId> ids(List<Image> images) {
    return images.stream().map(Image::id).collect(Collectors.toList());
  }
}
