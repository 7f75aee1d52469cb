/**
 * The imagegov testkit: reusable test support for code that embeds imagegov and for stores that
 * implement its ports. Start with:
 *
 * <ul>
 *   <li>{@link dev.imagegov.testkit.gen}: QuickTheories generators ({@code Images.images()}, {@code
 *       Callers.of(project).member()}, {@code Catalogs.catalogs(n)}, {@code Queries});
 *   <li>{@link dev.imagegov.testkit.fixture}: a golden-image tenancy in one call, and custom
 *       tenancies;
 *   <li>{@link dev.imagegov.testkit.assertions}: AssertJ assertions that read like the domain;
 *   <li>{@link dev.imagegov.testkit.contract}: the catalog contract suite for integrators;
 *   <li>{@link dev.imagegov.testkit.model}: a reference model of visibility and membership and a
 *       model-based check of any {@link dev.imagegov.ImageGovernance}.
 * </ul>
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.testkit;
