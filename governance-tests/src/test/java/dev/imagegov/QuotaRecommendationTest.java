package dev.imagegov;

import static dev.imagegov.ReportWorld.ADMIN;
import static dev.imagegov.ReportWorld.FAST;
import static dev.imagegov.ReportWorld.PRODUCER_P;
import static dev.imagegov.ReportWorld.SLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.quota.QuotaPolicy;
import dev.imagegov.quota.QuotaRecommendation;
import dev.imagegov.quota.QuotaRecommendation.ProjectLimits;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.report.CapacityRule;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Worked numbers of {@code quotas().recommend}: {@code fast} holds 10 GiB, {@code slow} 30 GiB,
 * staging 4 GiB; 10% of each is kept free; the producer weighs 2, each consumer 1.
 */
class QuotaRecommendationTest {
  private static final long MIB = UnifiedLimit.MIB;
  private static final long GIB = 1024 * MIB;
  private static final ProjectId A = ProjectId.of("consumer-a");
  private static final QuotaPolicy POLICY = QuotaPolicy.defaults().withWeight(PRODUCER_P, 2)
      .withMembers(32);

  private final ReportWorld w =
      new ReportWorld(GovernanceConfig.defaults(), 10 * GIB, 30 * GIB, 4 * GIB);

  private QuotaRecommendation recommend(QuotaPolicy policy) {
    return w.governance.quotas().recommend(ADMIN, w.tenancy, List.of(), policy);
  }

  private static Map<String, Long> storage(QuotaRecommendation r) {
    return r.projects().stream()
        .collect(Collectors.toMap(p -> p.project().value(), ProjectLimits::storage));
  }

  @Test
  void theSmallestStoresUsableBytesAreSplitByWeightInWholeMebibytes() {
    QuotaRecommendation r = recommend(POLICY);

    // fast: 10 GiB less 10% = 9216 MiB, the least usable store (slow: 27648 MiB).
    assertThat(r.budget()).isEqualTo(9216 * MIB);
    assertThat(r.binding()).contains(FAST);
    // 9216 MiB * 2/4 and * 1/4.
    assertThat(storage(r)).isEqualTo(Map.of("producer", 4608 * MIB, "consumer-a", 2304 * MIB,
        "consumer-b", 2304 * MIB));
    assertThat(r.total()).as("the limits sum to the budget, no more").isEqualTo(9216 * MIB);
    // staging: 4 GiB less 10% = 3865470566 bytes; * 2/4 = 1843.2 MiB, * 1/4 = 921.6 MiB.
    assertThat(r.projects()).extracting(ProjectLimits::stage)
        .containsExactly(921 * MIB, 921 * MIB, 1843 * MIB);
    // user_storage_quota has one value for every project: 9216 MiB / 3.
    assertThat(r.userStorageQuota()).isEqualTo(3 * GIB);
  }

  @Test
  void bytesNoProjectIsChargedForShrinkTheBudget() {
    ReportWorld.writeBehind(w.fast, ReportWorld.strayId(1), (int) MIB);
    w.active("producer", "charged", Visibility.PRIVATE, "0123456789");

    QuotaRecommendation r = recommend(POLICY);

    assertThat(r.stores().get(0).uncharged()).as("the stray MiB, not the charged image")
        .isEqualTo(MIB);
    assertThat(r.budget()).isEqualTo(9215 * MIB);
    // 9215 * 2/4 = 4607.5 and 9215 / 4 = 2303.75 MiB, rounded down.
    assertThat(storage(r)).isEqualTo(Map.of("producer", 4607 * MIB, "consumer-a", 2303 * MIB,
        "consumer-b", 2303 * MIB));
  }

  @Test
  void everyCopyIsChargedSoALimitHoldsItsShareDividedByTheCopies() {
    Image image = w.active("producer", "copied", Visibility.PRIVATE, "0123456789");
    w.governance.data().copyToStores(ADMIN, image.id(), List.of(SLOW));

    QuotaRecommendation r = recommend(POLICY.withCopies(2));

    ProjectLimits producer = r.projects().get(2);
    assertThat(producer.stored()).as("10 bytes in two stores").isEqualTo(20);
    assertThat(producer.distinct(r.copies())).isEqualTo(2304 * MIB);
  }

  @Test
  void theRecommendedLimitsLeaveNoStoreOvercommitted() {
    QuotaRecommendation r = recommend(POLICY);
    ReportWorld limited = new ReportWorld(GovernanceConfig.builder()
        .unifiedLimits(r.toLimitSource()).build(), 10 * GIB, 30 * GIB, 4 * GIB);

    assertThat(limited.governance.reports().capacity(ADMIN, limited.tenancy)
        .findings(CapacityRule.OVERCOMMITTED)).isEmpty();
    assertThat(limited.governance.quotas().usage(ADMIN, PRODUCER_P).limits()
        .get("image_size_total").limit()).hasValue(4608);
    assertThat(limited.governance.quotas().usage(ADMIN, ProjectId.of("newcomer")).limits()
        .get("image_size_total").limit()).as("a project created later gets nothing")
        .hasValue(0);
  }

  @Test
  void rendersAsAGlanceConfigDiff() {
    assertThat(recommend(POLICY).toGlanceConfDiff()).isEqualTo("""
        --- glance-api.conf
        +++ glance-api.conf
        @@ -1,3 +1,3 @@
         [DEFAULT]
        -user_storage_quota = 0
        +user_storage_quota = 3GB
        -image_member_quota = 128
        +image_member_quota = 32
        """);
  }

  @Test
  void rendersAsUnifiedLimitCommands() {
    assertThat(recommend(POLICY.withCounts(50, 3)).toLimitCommands()).isEqualTo("""
        openstack registered limit create --service glance --default-limit 0 image_size_total
        openstack registered limit create --service glance --default-limit 0 image_stage_total
        openstack registered limit create --service glance --default-limit 50 image_count_total
        openstack registered limit create --service glance --default-limit 3 \
        image_count_uploading
        openstack limit create --service glance --project consumer-a --resource-limit 2304 \
        image_size_total
        openstack limit create --service glance --project consumer-a --resource-limit 921 \
        image_stage_total
        openstack limit create --service glance --project consumer-b --resource-limit 2304 \
        image_size_total
        openstack limit create --service glance --project consumer-b --resource-limit 921 \
        image_stage_total
        openstack limit create --service glance --project producer --resource-limit 4608 \
        image_size_total
        openstack limit create --service glance --project producer --resource-limit 1843 \
        image_stage_total
        """);
  }

  @Test
  void withOnlyUnboundedStoresNothingBoundsTheStorageLimits() {
    QuotaRecommendation r = new ReportWorld().governance.quotas()
        .recommend(ADMIN, w.tenancy, List.of(SLOW), POLICY);

    assertThat(r.budget()).isEqualTo(90_000);
    QuotaRecommendation unbounded = new ReportWorld(GovernanceConfig.defaults(), Long.MAX_VALUE,
        Long.MAX_VALUE, Long.MAX_VALUE).governance.quotas()
        .recommend(ADMIN, w.tenancy, List.of(), POLICY);
    assertThat(unbounded.budget()).isEqualTo(-1);
    assertThat(unbounded.total()).isEqualTo(-1);
    assertThat(unbounded.toGlanceConfDiff()).contains(" user_storage_quota = 0\n");
  }

  @Test
  void onlyAnAdminMayAskAndBadValuesAreNamed() {
    assertThatThrownBy(() -> w.governance.quotas().recommend(ReportWorld.PRODUCER, w.tenancy,
        List.of(), POLICY)).isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(RuleCode.REPORTS_ADMIN_ONLY));
    assertThatThrownBy(() -> w.governance.quotas().recommend(ADMIN, w.tenancy,
        List.of(StoreId.of("nowhere")), POLICY)).isInstanceOfSatisfying(
            GovernanceException.class, e -> {
              assertThat(e.code()).isEqualTo(RuleCode.INVALID_REPORT_VALUE);
              assertThat(e.getMessage()).isEqualTo("Store nowhere is not enabled.");
            });
    assertThatThrownBy(() -> POLICY.withReserve(1.0)).hasMessageContaining("below 1");
    assertThatThrownBy(() -> POLICY.withWeight(A, 0)).hasMessageContaining("weight of consumer-a");
    assertThatThrownBy(() -> POLICY.withCopies(0)).hasMessageContaining("at least 1 store");
  }
}
