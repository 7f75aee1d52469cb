package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static dev.imagegov.ReportWorld.FAST;
import static dev.imagegov.ReportWorld.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.report.CapacityReport;
import dev.imagegov.report.CapacityReport.StoreCapacity;
import dev.imagegov.report.CapacityRule;
import dev.imagegov.spi.blob.BlobKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** One example per capacity rule, and what each store line counts. */
class CapacityRulesTest {
  private static final GovernanceConfig QUOTA_6KB =
      GovernanceConfig.builder().userStorageQuota("6KB").build();

  private static StoreCapacity line(CapacityReport report, dev.imagegov.model.StoreId store) {
    return report.stores().stream().filter(s -> s.store().equals(store)).findFirst()
        .orElseThrow();
  }

  @Test
  void storageLimitsThatSumBeyondAStoresCapacityOvercommitIt() {
    ReportWorld w = new ReportWorld(QUOTA_6KB);

    CapacityReport report = w.governance.reports().capacity(ADMIN, w.tenancy);

    assertThat(report.findings(CapacityRule.OVERCOMMITTED)).singleElement().satisfies(f -> {
      assertThat(f.store()).contains(FAST);
      assertThat(f.evidence()).isEqualTo(
          "the storage limits of 3 projects sum to 18432 bytes, over the store's 10000");
    });
    assertThat(line(report, FAST).limits()).isEqualTo(3 * 6144);
    assertThat(report.findings(CapacityRule.UNLIMITED_PROJECT)).isEmpty();
  }

  @Test
  void aProjectWithoutAStorageLimitCanFillAnyStore() {
    ReportWorld w = new ReportWorld();
    w.active("ghost", "outside the directory", Visibility.PRIVATE, "x");

    CapacityReport report = w.governance.reports().capacity(ADMIN, w.tenancy);

    assertThat(report.findings(CapacityRule.UNLIMITED_PROJECT))
        .extracting(f -> f.project().orElseThrow().value())
        .containsExactly("consumer-a", "consumer-b", "ghost", "producer");
    assertThat(line(report, FAST).limits()).isEqualTo(-1);
  }

  @Test
  void aStoreUsedToNinetyPercentIsNearlyFull() {
    ReportWorld w = new ReportWorld();
    w.active("producer", "big", Visibility.PRIVATE, "x".repeat(9_000));

    CapacityReport report = w.governance.reports().capacity(ADMIN, w.tenancy);

    assertThat(report.findings(CapacityRule.NEARLY_FULL)).singleElement().satisfies(f -> {
      assertThat(f.store()).contains(FAST);
      assertThat(f.evidence()).isEqualTo("9000 of 10000 bytes used");
    });
  }

  @Test
  void locationsCountingMoreThanTheStoreHoldsAreReported() {
    ReportWorld w = new ReportWorld();
    Image broken = w.active("producer", "broken", Visibility.PRIVATE, "twelve bytes");
    w.fast.delete(BlobKey.of(broken.id()));

    CapacityReport report = w.governance.reports().capacity(ADMIN, w.tenancy);

    assertThat(report.findings(CapacityRule.CATALOG_EXCEEDS_STORE)).singleElement()
        .satisfies(f -> assertThat(f.evidence())
            .isEqualTo("locations count 12 bytes; the store's blobs hold 0"));
  }

  @Test
  void aCopyToASecondStoreCountsThere() {
    ReportWorld w = new ReportWorld();
    Image image = w.active("producer", "copied", Visibility.PRIVATE, "0123456789");
    w.governance.data().copyToStores(ADMIN, image.id(), List.of(SLOW));

    CapacityReport report = w.governance.reports().capacity(ADMIN, w.tenancy);

    assertThat(line(report, FAST).referencedBytes()).isEqualTo(10);
    assertThat(line(report, SLOW).referencedBytes()).isEqualTo(10);
    assertThat(line(report, SLOW).used()).isEqualTo(10);
    assertThat(w.governance.quotas().usage(ADMIN, ProjectId.of("producer")).storedBytes())
        .isEqualTo(20);
  }

  @Test
  void bytesOfAWriteInProgressAreInFlight() throws Exception {
    ReportWorld w = new ReportWorld();
    Image queued = w.queued("producer", "slow upload", Visibility.PRIVATE);
    CountDownLatch halfway = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InputStream data = new InputStream() {
      private final InputStream first = new ByteArrayInputStream(new byte[100]);

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = first.read(b, off, len);
        if (n >= 0) {
          return n;
        }
        halfway.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
        return -1;
      }
    };
    CompletableFuture<Image> upload = CompletableFuture.supplyAsync(() ->
        w.governance.data().upload(ADMIN, queued.id(), data, OptionalLong.of(100)));
    halfway.await();

    CapacityReport during = w.governance.reports().capacity(ADMIN, w.tenancy);
    release.countDown();
    upload.get();
    CapacityReport after = w.governance.reports().capacity(ADMIN, w.tenancy);

    assertThat(line(during, FAST).inFlight()).as("the first full chunk of 64").isEqualTo(64);
    assertThat(during.reserved()).as("the declared size, reserved").isEqualTo(100);
    assertThat(after.reserved()).isZero();
    assertThat(line(during, FAST).referencedBytes()).isZero();
    assertThat(line(after, FAST).inFlight()).isZero();
    assertThat(line(after, FAST).referencedBytes()).isEqualTo(100);
  }
}
