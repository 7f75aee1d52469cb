package dev.imagegov.testkit.assertions;

import dev.imagegov.ImageGovernance;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Entry points of the domain assertions; import them statically.
 *
 * <pre>{@code
 * assertThat(governance).as(consumer).canGet(golden);
 * assertThat(governance).as(outsider).cannotSee(golden);
 * assertThat(governance).as(consumer).listsExactly(golden);
 * assertThat(image).hasVisibility(Visibility.SHARED).isOwnedBy("producer");
 * assertThatGovernance(() -> images.delete(outsider, golden)).failsWith(StoreErrorCode.IMAGE_NOT_FOUND);
 * }</pre>
 */
public final class GovernanceAssertions {
  private GovernanceAssertions() {}

  /**
   * {@return assertions on what callers may do with {@code governance}; pick a caller with {@code
   * as}}
   *
   * @param governance the facade under test
   */
  public static GovernanceAssert assertThat(ImageGovernance governance) {
    return new GovernanceAssert(governance);
  }

  /**
   * {@return assertions on an image}
   *
   * @param image the image as stored
   */
  public static ImageAssert assertThat(Image image) {
    return new ImageAssert(image);
  }

  /**
   * Runs {@code call} now, and asserts on how it ended.
   *
   * @param call the governance call expected to be refused
   * @return an assertion on the refusal the call threw
   */
  public static GovernanceFailureAssert assertThatGovernance(ThrowingCallable call) {
    return GovernanceFailureAssert.running(call);
  }
}
