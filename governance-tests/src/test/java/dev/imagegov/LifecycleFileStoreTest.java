package dev.imagegov;

import static dev.imagegov.LifecycleWorld.CONSUMER;
import static dev.imagegov.LifecycleWorld.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.errors.RuleCode;
import dev.imagegov.lifecycle.Family;
import dev.imagegov.lifecycle.ImageUsage;
import dev.imagegov.lifecycle.LifecycleInfo;
import dev.imagegov.lifecycle.LifecycleState;
import dev.imagegov.lifecycle.Schedule;
import dev.imagegov.model.Image;
import dev.imagegov.model.Visibility;
import dev.imagegov.store.file.FileCatalog;
import dev.imagegov.store.file.FileCatalogOptions;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store keeps the whole lifecycle across a restart: family, version, state, since,
 * replacement, schedule and exclusion, and so {@code latest}, the obsolete image's refusal and a
 * pending schedule; the recorded last use ({@code unusedSince}); a pending-delete image to restore.
 */
class LifecycleFileStoreTest {
  private static final FileCatalogOptions OPTIONS =
      FileCatalogOptions.builder().fsync(false).snapshotInterval(3).build();
  private static final Family GOLDEN = Family.of("producer", "golden");

  @TempDir Path dir;

  @Test
  void theFileStoreKeepsTheLifecycleAcrossRestarts() {
    Instant later = Instant.parse("2027-01-01T00:00:00Z");
    Image v1;
    Image v2;
    Image v3;
    LifecycleInfo[] infos = new LifecycleInfo[3];
    try (FileCatalog catalog = FileCatalog.open(dir, OPTIONS)) {
      LifecycleWorld w = new LifecycleWorld(catalog, ImageUsage.none(),
          GovernanceConfig.defaults());
      v1 = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
      v2 = w.version(PRODUCER, "golden", "v2", Visibility.PUBLIC);
      v3 = w.active(PRODUCER, "v3", Visibility.PUBLIC);
      w.lifecycle().join(PRODUCER, v3.id(), "golden", "3.0");
      w.lifecycle().deprecate(PRODUCER, v1.id(), v2.id());
      w.lifecycle().obsolete(PRODUCER, v1.id());
      w.lifecycle().excludeFromLatest(PRODUCER, v3.id(), true);
      w.lifecycle().schedule(PRODUCER, v2.id(), Schedule.none().deprecateAt(later));
      infos[0] = w.lifecycle().info(PRODUCER, v1.id());
      infos[1] = w.lifecycle().info(PRODUCER, v2.id());
      infos[2] = w.lifecycle().info(PRODUCER, v3.id());
    }
    try (FileCatalog reopened = FileCatalog.open(dir, OPTIONS)) {
      LifecycleWorld w = new LifecycleWorld(reopened, ImageUsage.none(),
          GovernanceConfig.defaults());
      assertThat(w.lifecycle().info(PRODUCER, v1.id())).isEqualTo(infos[0]);
      assertThat(w.lifecycle().info(PRODUCER, v2.id())).isEqualTo(infos[1]);
      assertThat(w.lifecycle().info(PRODUCER, v3.id())).isEqualTo(infos[2]);
      assertThat(infos[0].state()).isEqualTo(LifecycleState.OBSOLETE);
      assertThat(infos[0].replacement()).contains(v2.id());
      assertThat(infos[2].version()).contains("3.0");
      assertThat(w.lifecycle().latest(CONSUMER, GOLDEN).id()).isEqualTo(v2.id());
      Expect.fails(RuleCode.LIFECYCLE_FORBIDS,
          () -> w.governance.access().authorizeDownload(CONSUMER, v1.id()));
      assertThat(w.lifecycle().advance(later)).hasSize(1);
    }
  }

  @Test
  void theRecordedLastUseSurvivesARestart() {
    Image used;
    Image idle;
    Instant lastUsed;
    try (FileCatalog catalog = FileCatalog.open(dir, OPTIONS)) {
      LifecycleWorld w = new LifecycleWorld(catalog, ImageUsage.none(),
          GovernanceConfig.defaults());
      used = w.active(PRODUCER, "used", Visibility.PUBLIC);
      idle = w.active(PRODUCER, "idle", Visibility.PUBLIC);
      w.governance.access().authorizeDownload(CONSUMER, used.id());
      lastUsed = w.lifecycle().info(PRODUCER, used.id()).lastUsed().orElseThrow();
    }
    try (FileCatalog reopened = FileCatalog.open(dir, OPTIONS)) {
      LifecycleWorld w = new LifecycleWorld(reopened, ImageUsage.none(),
          GovernanceConfig.defaults());
      assertThat(w.lifecycle().info(PRODUCER, used.id()).lastUsed())
          .as("imagegov_lifecycle_last_used is read back after the reopen")
          .contains(lastUsed);
      assertThat(w.lifecycle().info(PRODUCER, idle.id()).lastUsed()).isEmpty();
      assertThat(w.lifecycle().unusedSince(PRODUCER, lastUsed))
          .extracting(Image::id)
          .as("unusedSince reads the reopened last use: only the idle image is older")
          .containsExactly(idle.id());
    }
  }

  @Test
  void aPendingDeleteImageCanBeRestoredAfterARestart() {
    GovernanceConfig delayed = GovernanceConfig.builder().delayedDelete(true)
        .scrubTime(java.time.Duration.ofDays(1)).build();
    Image image;
    try (FileCatalog catalog = FileCatalog.open(dir, OPTIONS)) {
      LifecycleWorld w = new LifecycleWorld(catalog, ImageUsage.none(), delayed);
      image = w.version(PRODUCER, "golden", "v1", Visibility.PUBLIC);
      w.governance.images().delete(PRODUCER, image.id());
    }
    try (FileCatalog reopened = FileCatalog.open(dir, OPTIONS)) {
      LifecycleWorld w = new LifecycleWorld(reopened, ImageUsage.none(), delayed);
      w.lifecycle().restore(PRODUCER, image.id());
      assertThat(w.lifecycle().info(PRODUCER, image.id()).family()).contains(GOLDEN);
    }
  }
}
