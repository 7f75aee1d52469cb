package dev.imagegov.testkit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.ImageGovernance;
import dev.imagegov.model.Image;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.testkit.contract.ScanningCatalog;
import dev.imagegov.testkit.contract.SimpleBlobStore;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The model check passes on a correct catalog and catches a governance that breaks a rule. */
class GovernanceModelCheckTest {
  private static final long SEED = 20261207L;
  private static final Pattern SHRUNK = Pattern.compile("shrunk from (\\d+) to (\\d+) steps");

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
        .hasMessageContaining("default list")
        .satisfies(e -> {
          // Delta debugging keeps only the steps that matter: a create and the member it adds
          // (the pending member's default list shows the image), give or take a step.
          Matcher m = SHRUNK.matcher(e.getMessage());
          assertThat(m.find()).as("the report names the shrunk length: %s", e.getMessage())
              .isTrue();
          assertThat(Integer.parseInt(m.group(2))).as(e.getMessage()).isBetween(2, 3)
              .isLessThan(Integer.parseInt(m.group(1)));
          // The failing step, marked, with the engine's explain of it.
          assertThat(e.getMessage())
              .contains("  > ")
              .contains("The default list disagrees after step")
              .containsPattern("explain\\([a-z0-9]+\\.[a-z-]+, [0-9a-f-]+, ADD_MEMBER\\):\n"
                  + "ADD_MEMBER of image ");
        });
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
