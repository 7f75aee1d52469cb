package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.StorageQuota;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.quota.UsageReport;
import dev.imagegov.testkit.gen.ByteStream;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Legacy and unified quotas: §8 of the reference, hard through reservations. */
class QuotaRulesTest {
  private static final long MIB = 1 << 20;

  @Test
  void storageQuotaGrammarIsGlances() {
    assertThat(StorageQuota.parse("0")).isEmpty();
    assertThat(StorageQuota.parse("8")).hasValue(8);
    assertThat(StorageQuota.parse("8B")).hasValue(8);
    assertThat(StorageQuota.parse("1KB")).hasValue(1024);
    assertThat(StorageQuota.parse("2MB")).hasValue(2 * MIB);
    assertThat(StorageQuota.parse("1GB")).hasValue(1L << 30);
    assertThat(StorageQuota.parse("1TB")).hasValue(1L << 40);
    for (String bad : new String[] {"1kb", "1 KB", "1K", "-1", "", "1PB", "99999999999999999999"}) {
      assertThatThrownBy(() -> StorageQuota.parse(bad)).isInstanceOf(ConfigurationException.class);
    }
  }

  @Test
  void userStorageQuotaAnswersWithTheBytesRemaining() {
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().userStorageQuota("8B").build());
    f.active(PRODUCER, "12345");
    Image next = f.queued(PRODUCER);
    try {
      f.upload(PRODUCER, next.id(), "1234");
      throw new AssertionError("expected a refusal");
    } catch (GovernanceException e) {
      assertThat(e.code()).isEqualTo(RuleCode.STORAGE_QUOTA_EXCEEDED);
      assertThat(e.httpStatus()).isEqualTo(413);
      assertThat(e.getMessage()).contains("3 bytes remaining");
    }
    Expect.fails(
        RuleCode.STORAGE_QUOTA_EXCEEDED,
        () ->
            f.data().upload(PRODUCER, next.id(), ByteStream.pattern(4).open(), OptionalLong.empty()));
    assertThat(f.stored(next.id()).status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(f.upload(PRODUCER, next.id(), "123").status()).isEqualTo(ImageStatus.ACTIVE);
    Image third = f.queued(PRODUCER);
    Expect.fails(
        RuleCode.STORAGE_QUOTA_EXCEEDED,
        () ->
            f.data().upload(PRODUCER, third.id(), ByteStream.pattern(0).open(), OptionalLong.empty()));
    UsageReport report = f.governance.quotas().usage(PRODUCER, ProjectId.of("producer"));
    assertThat(report.storedBytes()).isEqualTo(8);
    assertThat(report.limits().get("user_storage_quota").headroom()).hasValue(0);
  }

  @Test
  void storageIsChargedToTheImageOwner() {
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().userStorageQuota("1KB").build());
    Image forProducer =
        f.governance
            .images()
            .create(ADMIN, NewImage.builder().owner("producer").diskFormat("raw").containerFormat("bare").build());
    f.upload(ADMIN, forProducer.id(), "x".repeat(1000));
    assertThat(f.storedBytes("producer")).isEqualTo(1000);
    assertThat(f.storedBytes("admin-project")).isZero();
    Image more = f.queued(PRODUCER);
    Expect.fails(RuleCode.STORAGE_QUOTA_EXCEEDED, () -> f.upload(PRODUCER, more.id(), "x".repeat(25)));
  }

  @Test
  void imageCountTotalIsCheckedAtCreate() {
    DataFixtures f =
        new DataFixtures(
            GovernanceConfig.builder()
                .unifiedLimits(
                    StaticLimits.builder()
                        .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, 2)
                        .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, -1)
                        .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, -1)
                        .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
                        .build())
                .build());
    Image first = f.queued(PRODUCER);
    f.queued(PRODUCER);
    Expect.fails(RuleCode.LIMIT_EXCEEDED, () -> f.queued(PRODUCER));
    f.governance.images().delete(PRODUCER, first.id());
    f.queued(PRODUCER);
    assertThat(f.queued(OUTSIDER)).isNotNull();
  }

  @Test
  void imageSizeTotalIsHardAndPerProjectOverridesWin() {
    StaticLimits limits =
        StaticLimits.builder()
            .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, 5)
            .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, -1)
            .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, -1)
            .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
            .project(ProjectId.of("outsider"), UnifiedLimit.IMAGE_SIZE_TOTAL, 100)
            .build();
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().unifiedLimits(limits).build());
    Image a = f.queued(PRODUCER);
    f.data().upload(PRODUCER, a.id(), ByteStream.pattern(3 * MIB).open(), OptionalLong.empty());
    Image b = f.queued(PRODUCER);
    // Glance lets this one overshoot (delta 0); imagegov's limits are hard.
    Expect.fails(
        RuleCode.LIMIT_EXCEEDED,
        () -> f.data().upload(PRODUCER, b.id(), ByteStream.pattern(3 * MIB).open(), OptionalLong.empty()));
    Expect.fails(
        RuleCode.LIMIT_EXCEEDED,
        () -> f.data().upload(PRODUCER, b.id(), ByteStream.pattern(3 * MIB).open(), OptionalLong.of(3 * MIB)));
    assertThat(f.stored(b.id()).status()).isEqualTo(ImageStatus.QUEUED);
    f.data().upload(PRODUCER, b.id(), ByteStream.pattern(2 * MIB).open(), OptionalLong.empty());
    Image c = f.queued(OUTSIDER);
    f.data().upload(OUTSIDER, c.id(), ByteStream.pattern(6 * MIB).open(), OptionalLong.empty());

    UsageReport report = f.governance.quotas().usage(PRODUCER, ProjectId.of("producer"));
    UsageReport.Limit size = report.limits().get("image_size_total");
    assertThat(size.usage()).isEqualTo(5);
    assertThat(size.limit()).hasValue(5);
    assertThat(size.headroom()).hasValue(0);
    assertThat(report.imageCount()).isEqualTo(2);
    assertThat(report.storedBytesByStore()).containsEntry(DataFixtures.FAST, 5 * MIB);
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.governance.quotas().usage(OUTSIDER, ProjectId.of("producer")));
  }

  @Test
  void imageCountUploadingStopsASecondConcurrentUpload() {
    StaticLimits limits =
        StaticLimits.builder()
            .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, -1)
            .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, -1)
            .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, 0)
            .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
            .build();
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().unifiedLimits(limits).build());
    Image a = f.queued(PRODUCER);
    Expect.fails(RuleCode.LIMIT_EXCEEDED, () -> f.upload(PRODUCER, a.id(), "abc"));
    assertThat(f.stored(a.id()).status()).isEqualTo(ImageStatus.QUEUED);
  }

  @Test
  void copiesCountAgainstStorage() {
    DataFixtures f = new DataFixtures(GovernanceConfig.builder().userStorageQuota("15").build());
    Image image = f.active(PRODUCER, "abcdefghij");
    Expect.fails(
        RuleCode.STORAGE_QUOTA_EXCEEDED,
        () -> f.data().copyToStores(ADMIN, image.id(), List.of(DataFixtures.CHEAP)));
    assertThat(f.cheap.keys()).isEmpty();
    assertThat(f.storedBytes("producer")).isEqualTo(10);
  }
}
