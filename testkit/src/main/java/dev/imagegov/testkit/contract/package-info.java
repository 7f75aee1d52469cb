/**
 * Contract suites for the ports stores implement. {@link
 * dev.imagegov.testkit.contract.CatalogContract} runs every guarantee of {@link
 * dev.imagegov.spi.Catalog}'s Javadoc against a catalog an integrator supplies: extend it, return a
 * fresh empty catalog from {@code newCatalog()}, and run it with JUnit 5.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.testkit.contract;
