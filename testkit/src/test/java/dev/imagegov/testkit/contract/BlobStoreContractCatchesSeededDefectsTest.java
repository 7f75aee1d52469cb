package dev.imagegov.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The blob-store contract suite catches real bugs: run programmatically with the JUnit Platform
 * launcher, it fails on every deliberately faulty store of {@link FaultyBlobStores} (in the group
 * of the guarantee the defect breaks) and passes on the correct store they are made from.
 */
class BlobStoreContractCatchesSeededDefectsTest {
  static List<FaultyBlobStores.Defect> defects() {
    return FaultyBlobStores.ALL;
  }

  @Test
  void thereAreAtLeastTenSeededDefects() {
    assertThat(FaultyBlobStores.ALL).hasSizeGreaterThanOrEqualTo(10);
    assertThat(FaultyBlobStores.ALL.stream().map(FaultyBlobStores.Defect::suite).distinct())
        .hasSameSizeAs(FaultyBlobStores.ALL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defects")
  void theContractSuiteFailsOnTheSeededDefect(FaultyBlobStores.Defect defect) {
    TestExecutionSummary summary = CatalogContractCatchesSeededDefectsTest.run(defect.suite());
    List<String> failed =
        summary.getFailures().stream()
            .map(f -> f.getTestIdentifier().getUniqueId())
            .collect(Collectors.toList());
    assertThat(summary.getTestsFoundCount())
        .as("the whole contract suite ran on the store where %s", defect)
        .isGreaterThan(20);
    assertThat(failed)
        .as("a test of the %s group fails on a store where %s (cases from seed %d)",
            defect.group(), defect, FaultyCatalogs.SEED)
        .anyMatch(id -> id.contains("[nested-class:" + defect.group() + "]"));
  }

  @Test
  void theContractSuitePassesOnTheCorrectStore() {
    TestExecutionSummary summary =
        CatalogContractCatchesSeededDefectsTest.run(SimpleBlobStoreContractTest.class);
    assertThat(summary.getTestsFoundCount()).isGreaterThan(20);
    assertThat(summary.getTestsSkippedCount() + summary.getTestsAbortedCount())
        .as("tests skipped on the correct store (it has a capacity)")
        .isZero();
    assertThat(summary.getFailures())
        .as("failures of the contract on the correct simple store")
        .isEmpty();
  }
}
