package dev.imagegov.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.spi.Catalog;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A store that throws fails the contract with messages that start with the broken guarantee,
 * as failed assertions do.
 */
class StoreFailuresTest {
  /** A catalog whose insert of a second image throws, as a failing database would. */
  static final class ThrowingCatalog extends FaultyCatalogs.Suite {
    @Override
    protected Catalog newCatalog() {
      return new ScanningCatalog() {
        @Override
        public synchronized Image insert(Image image) {
          if (size() >= 1) {
            throw new IllegalStateException("the database is on fire");
          }
          return super.insert(image);
        }
      };
    }
  }

  @Test
  void everyFailureOfAThrowingStoreStartsWithTheGuaranteeItsTestChecks() {
    TestExecutionSummary summary =
        CatalogContractCatchesSeededDefectsTest.run(ThrowingCatalog.class);
    List<String> thrown = summary.getFailures().stream()
        .map(f -> f.getException().getMessage())
        .filter(m -> m != null && m.contains("the store threw"))
        .collect(Collectors.toList());
    assertThat(thrown).as("failures caused by the store's exception").isNotEmpty();
    assertThat(thrown).allSatisfy(m -> assertThat(m)
        .matches("(?s)(Crud|Optimistic|Query|Concurrency|Atomicity|[A-Za-z]+:).*")
        .contains(": the store threw java.lang.IllegalStateException: the database is on fire"));
    assertThat(summary.getFailures()).allSatisfy(f -> assertThat(f.getException())
        .isInstanceOf(AssertionError.class));
  }

  @Test
  void aThrownStoreExceptionIsReportedUnderItsGroupsGuarantee() throws Exception {
    String guarantee = StoreFailures.guarantee(CatalogContract.Crud.class,
        Optional.of(CatalogContract.Crud.class.getDeclaredMethod("insertStoresTheImageAtVersionOne")));
    assertThat(guarantee).startsWith("Crud: read, insert").endsWith(": insertStoresTheImageAtVersionOne");
    Throwable t = StoreFailures.translate(guarantee, new IllegalStateException("boom"));
    assertThat(t).isInstanceOf(AssertionError.class).hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(guarantee + ": the store threw java.lang.IllegalStateException: boom");
    AssertionError failed = new AssertionError("Insert: a new image is stored at version 1");
    assertThat(StoreFailures.translate(guarantee, failed)).isSameAs(failed);
  }
}
