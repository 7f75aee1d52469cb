package dev.imagegov.testkit.assertions;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on an {@link ImageGovernance}, made on behalf of one caller: see {@link
 * #as(Caller)}. An AssertJ assertion: a description set here ({@code describedAs("...")}) carries
 * over to the caller's assertions.
 */
public final class GovernanceAssert extends AbstractAssert<GovernanceAssert, ImageGovernance> {
  GovernanceAssert(ImageGovernance governance) {
    super(Objects.requireNonNull(governance, "governance"), GovernanceAssert.class);
  }

  /**
   * {@return the assertions that follow are about what {@code caller} may do}
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   */
  public CallerAssert as(Caller caller) {
    CallerAssert assertion = new CallerAssert(actual, Objects.requireNonNull(caller, "caller"));
    if (info.description() != null && !info.descriptionText().isEmpty()) {
      assertion.describedAs(info.description());
    }
    if (info.overridingErrorMessage() != null) {
      String message = info.overridingErrorMessage();
      assertion.withFailMessage(() -> message);
    }
    return assertion;
  }
}
