/**
 * AssertJ assertions that read like the domain. Start from {@link
 * dev.imagegov.testkit.assertions.GovernanceAssertions}: {@code
 * assertThat(governance).as(consumer).canGet(id)}, {@code .cannotSee(id)}, {@code
 * .listsExactly(ids...)}, {@code assertThat(image).hasVisibility(SHARED)}, {@code
 * assertThatGovernance(() -> ...).failsWith(ErrorCode.X)}. Each failure says what was expected,
 * what happened, and why (the governance's own {@code explain}, and for a list the clause of
 * {@code images().explainList} that left the image out or kept it).
 *
 * <p>Every assertion class extends AssertJ's {@link org.assertj.core.api.AbstractAssert}: {@code
 * as}, {@code describedAs} and {@code withFailMessage} apply to its failures, and {@code
 * SoftAssertions.check(() -> ...)} collects them. The negative assertions ({@code cannotSee},
 * {@code cannotGet}, {@code doesNotList}, {@code cannotDownload}) hold for any caller, including
 * one that {@code get_images} refuses any list (it sees nothing).
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.testkit.assertions;
