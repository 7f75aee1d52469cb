/**
 * Contract suites for the ports stores implement. {@link
 * dev.imagegov.testkit.contract.CatalogContract} runs every guarantee of {@link
 * dev.imagegov.spi.Catalog}'s Javadoc against a catalog an integrator supplies: extend it, return a
 * fresh empty catalog from {@code newCatalog()}, and run it with JUnit 5. {@link
 * dev.imagegov.testkit.contract.BlobStoreContract} does the same for {@link
 * dev.imagegov.spi.blob.BlobStore}: extend it and return a fresh empty store from {@code
 * newStore()}.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.testkit.contract;
