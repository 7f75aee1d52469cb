/**
 * AssertJ assertions that read like the domain. Start from {@link
 * dev.imagegov.testkit.assertions.GovernanceAssertions}: {@code
 * assertThat(governance).as(consumer).canGet(id)}, {@code .cannotSee(id)}, {@code
 * .listsExactly(ids...)}, {@code assertThat(image).hasVisibility(SHARED)}, {@code
 * assertThatGovernance(() -> ...).failsWith(ErrorCode.X)}. Each failure says what was expected,
 * what happened, and why (the governance's own {@code explain}).
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.testkit.assertions;
