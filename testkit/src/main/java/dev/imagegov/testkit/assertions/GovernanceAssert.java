package dev.imagegov.testkit.assertions;

import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import java.util.Objects;

/** Assertions on an {@link ImageGovernance}, made on behalf of one caller: see {@link #as}. */
public final class GovernanceAssert {
  private final ImageGovernance governance;

  GovernanceAssert(ImageGovernance governance) {
    this.governance = Objects.requireNonNull(governance, "governance");
  }

  /**
   * {@return the assertions that follow are about what {@code caller} may do}
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   */
  public CallerAssert as(Caller caller) {
    return new CallerAssert(governance, Objects.requireNonNull(caller, "caller"));
  }
}
