package dev.imagegov.testkit.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.ImageGovernance;
import dev.imagegov.model.Image;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.testkit.contract.ScanningCatalog;
import dev.imagegov.testkit.contract.SimpleBlobStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model check passes on a correct catalog and catches a governance that breaks a rule. */
class GovernanceModelCheckTest {
  private static final long SEED = 20261207L;

  @Test
  void governanceOnTheScanningCatalogAgreesWithTheModel() {
    GovernanceModelCheck.against(
            () -> ImageGovernance.builder().catalog(new ScanningCatalog()).build())
        .withExamples(40)
        .run();
  }

  @Test
  void aCatalogThatListsPendingMembershipsFailsTheCheck() {
    GovernanceModelCheck check =
        GovernanceModelCheck.against(
                () ->
                    ImageGovernance.builder()
                        .catalog(
                            new ScanningCatalog() {
                              @Override
                              public synchronized List<Image> query(CatalogQuery query) {
                                return super.query(
                                    CatalogQuery.builder()
                                        .from(query)
                                        .memberStatus(java.util.Optional.empty())
                                        .build());
                              }
                            })
                        .build())
            .withExamples(300)
            .withShrinkCycles(100)
            // A fixed seed: whether 300 sequences hit the defect must not be left to chance.
            .withSeed(SEED);
    assertThatThrownBy(check::run)
        .as("the check of sequences from seed %d", SEED)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("default list");
  }

  @Test
  void aMemberQuotaOfOneIsPredicted() {
    GovernanceModelCheck.against(
            () ->
                ImageGovernance.builder()
                    .catalog(new ScanningCatalog())
                    .config(dev.imagegov.GovernanceConfig.builder().imageMemberQuota(1).build())
                    .build())
        .withExamples(40)
        .run();
  }

  @Test
  void uploadsWithinAUserStorageQuotaArePredicted() {
    GovernanceModelCheck.against(
            () ->
                ImageGovernance.builder()
                    .catalog(new ScanningCatalog())
                    .blobStore(new SimpleBlobStore())
                    .config(
                        dev.imagegov.GovernanceConfig.builder().userStorageQuota("1000").build())
                    .build())
        .withExamples(60)
        .run();
  }
}
