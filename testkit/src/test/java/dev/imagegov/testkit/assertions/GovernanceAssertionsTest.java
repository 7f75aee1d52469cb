package dev.imagegov.testkit.assertions;

import static dev.imagegov.testkit.assertions.GovernanceAssertions.assertThat;
import static dev.imagegov.testkit.assertions.GovernanceAssertions.assertThatGovernance;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Visibility;
import dev.imagegov.testkit.contract.ScanningCatalog;
import dev.imagegov.testkit.fixture.GoldenImageTenancy;
import org.junit.jupiter.api.Test;

/** The assertions pass when the rule holds, and fail saying what, what instead, and why. */
class GovernanceAssertionsTest {
  private final GoldenImageTenancy t = GoldenImageTenancy.on(new ScanningCatalog());

  @Test
  void canGetExplainsWhyTheCallerCannot() {
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.outsider()).canGet(t.golden()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Expected outsider.member")
        .hasMessageContaining("to get image " + t.golden())
        .hasMessageContaining("IMAGE_NOT_FOUND (404)")
        .hasMessageContaining("visibility: no clause applies");
  }

  @Test
  void cannotSeeFailsForAConsumerAndSaysWhy() {
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.pending()).cannotSee(t.golden()))
        .hasMessageContaining("but it returned the image")
        .hasMessageContaining("the caller's project is a member");
  }

  @Test
  void listsExactlyNamesWhatIsMissingAndWhy() {
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.pending()).listsExactly(t.golden()))
        .hasMessageContaining("missing [" + t.golden() + "]")
        .hasMessageContaining("Why, for " + t.golden());
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.producer()).listsExactly(t.golden()))
        .hasMessageContaining("not expected [" + t.draft() + "]");
  }

  @Test
  void canDownloadSaysWhichRuleRefused() {
    assertThat(t.governance()).as(t.producer()).canDownload(t.golden());
    assertThat(t.governance()).as(t.reader()).cannotDownload(t.golden());
    assertThatThrownBy(() -> assertThat(t.governance()).as(t.reader()).canDownload(t.golden()))
        .hasMessageContaining("was refused with POLICY_DENIED (403)")
        .hasMessageContaining("DOWNLOAD of image " + t.golden())
        .hasMessageContaining("download_image");
  }

  @Test
  void imageAssertionsNameTheAttribute() {
    var golden = t.governance().images().get(t.producer(), t.golden());
    assertThat(golden)
        .hasVisibility(Visibility.SHARED)
        .hasStatus(ImageStatus.QUEUED)
        .hasName("golden");
    assertThatThrownBy(() -> assertThat(golden).hasVisibility(Visibility.PUBLIC))
        .hasMessageContaining("to have visibility public, but it has shared");
    assertThatThrownBy(() -> assertThat(golden).isOwnedBy("outsider"))
        .hasMessageContaining("to have owner outsider, but it has producer");
  }

  @Test
  void failsWithChecksTheCode() {
    assertThatGovernance(() -> t.governance().images().delete(t.outsider(), t.golden()))
        .failsWith(StoreErrorCode.IMAGE_NOT_FOUND)
        .withMessageContaining(t.golden().value());
    assertThatThrownBy(
            () ->
                assertThatGovernance(
                        () -> t.governance().images().delete(t.accepting(), t.golden()))
                    .failsWith(StoreErrorCode.IMAGE_NOT_FOUND))
        .hasMessageContaining("but it was refused with POLICY_DENIED (403)");
    assertThatThrownBy(
            () ->
                assertThatGovernance(() -> t.governance().images().get(t.producer(), t.golden()))
                    .failsWith(StoreErrorCode.IMAGE_NOT_FOUND))
        .hasMessageContaining("but it succeeded");
    assertThatGovernance(() -> t.governance().images().get(t.producer(), t.golden())).succeeds();
  }
}
