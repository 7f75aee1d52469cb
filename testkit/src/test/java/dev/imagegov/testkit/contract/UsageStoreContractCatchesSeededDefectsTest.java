package dev.imagegov.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The usage contract catches real bugs: run with the JUnit Platform launcher, it fails on every
 * deliberately faulty usage store of {@link FaultyUsageStores} (in the group of the guarantee the
 * defect breaks) and passes on the memory implementation they are made from.
 */
class UsageStoreContractCatchesSeededDefectsTest {
  static List<FaultyUsageStores.Defect> defects() {
    return FaultyUsageStores.ALL;
  }

  @Test
  void thereAreSeveralSeededDefects() {
    assertThat(FaultyUsageStores.ALL).hasSizeGreaterThanOrEqualTo(5);
    assertThat(FaultyUsageStores.ALL.stream().map(FaultyUsageStores.Defect::suite).distinct())
        .hasSameSizeAs(FaultyUsageStores.ALL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defects")
  void theContractSuiteFailsOnTheSeededDefect(FaultyUsageStores.Defect defect) {
    TestExecutionSummary summary = CatalogContractCatchesSeededDefectsTest.run(defect.suite());
    List<String> failed =
        summary.getFailures().stream()
            .map(f -> f.getTestIdentifier().getUniqueId())
            .collect(Collectors.toList());
    assertThat(summary.getTestsFoundCount())
        .as("the whole contract suite ran on the usage store where %s", defect)
        .isGreaterThan(20);
    assertThat(failed)
        .as("a test of the %s group fails on a usage store where %s", defect.group(), defect)
        .anyMatch(id -> id.contains("[nested-class:" + defect.group() + "]"));
  }

  @Test
  void theContractSuitePassesOnTheMemoryUsageStore() {
    TestExecutionSummary summary = CatalogContractCatchesSeededDefectsTest.run(
        MemoryUsageStoreContractTest.class);
    assertThat(summary.getTestsFoundCount()).isGreaterThan(20);
    assertThat(summary.getFailures())
        .as("failures of the usage contract on the memory usage store")
        .isEmpty();
  }
}
