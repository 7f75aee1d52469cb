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

  /** The assertions that follow are about what {@code caller} may do. */
  public CallerAssert as(Caller caller) {
    return new CallerAssert(governance, Objects.requireNonNull(caller, "caller"));
  }
}
