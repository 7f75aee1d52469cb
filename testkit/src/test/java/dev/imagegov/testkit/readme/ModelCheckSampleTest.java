package dev.imagegov.testkit.readme;

import dev.imagegov.ImageGovernance;
import dev.imagegov.testkit.contract.ScanningCatalog;
import dev.imagegov.testkit.model.GovernanceModelCheck;
import org.junit.jupiter.api.Test;

/** The README's model-check sample, kept compiling, passing and identical by {@code ReadmeTest}. */
class ModelCheckSampleTest {
  // readme:model-check:begin
  @Test
  void governanceOnMyCatalogAgreesWithTheReferenceModel() {
    GovernanceModelCheck.against(
            () -> ImageGovernance.builder().catalog(new ScanningCatalog()).build())
        .withExamples(30)
        .run();
  }
  // readme:model-check:end
}
