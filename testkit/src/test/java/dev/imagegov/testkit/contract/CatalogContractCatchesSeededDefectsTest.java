package dev.imagegov.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The contract suite catches real bugs: run programmatically with the JUnit Platform launcher, it
 * fails on every deliberately faulty catalog of {@link FaultyCatalogs} (in the group of the
 * guarantee the defect breaks) and passes on the correct catalog they are made from.
 */
class CatalogContractCatchesSeededDefectsTest {
  static TestExecutionSummary run(Class<?> suite) {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    launcher.execute(request, listener);
    return listener.getSummary();
  }

  static List<FaultyCatalogs.Defect> defects() {
    return FaultyCatalogs.ALL;
  }

  @Test
  void thereAreAtLeastTenSeededDefects() {
    assertThat(FaultyCatalogs.ALL).hasSizeGreaterThanOrEqualTo(10);
    assertThat(FaultyCatalogs.ALL.stream().map(FaultyCatalogs.Defect::suite).distinct())
        .hasSameSizeAs(FaultyCatalogs.ALL);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("defects")
  void theContractSuiteFailsOnTheSeededDefect(FaultyCatalogs.Defect defect) {
    TestExecutionSummary summary = run(defect.suite());
    List<String> failed =
        summary.getFailures().stream()
            .map(f -> f.getTestIdentifier().getUniqueId())
            .collect(Collectors.toList());
    assertThat(summary.getTestsFoundCount())
        .as("the whole contract suite ran on the catalog where %s", defect)
        .isGreaterThan(30);
    assertThat(summary.getTotalFailureCount())
        .as("tests of the contract that fail on a catalog where %s (cases from seed %d)",
            defect, FaultyCatalogs.SEED)
        .isPositive();
    assertThat(failed)
        .as("a test of the %s group fails on a catalog where %s (cases from seed %d)",
            defect.group(), defect, FaultyCatalogs.SEED)
        .anyMatch(id -> id.contains("[nested-class:" + defect.group() + "]"));
  }

  @Test
  void theContractSuitePassesOnTheCorrectCatalog() {
    TestExecutionSummary summary = run(ScanningCatalogContractTest.class);
    assertThat(summary.getTestsFoundCount()).isGreaterThan(30);
    assertThat(summary.getFailures())
        .as("failures of the contract on the correct scanning catalog")
        .isEmpty();
  }
}
