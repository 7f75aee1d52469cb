package dev.imagegov.testkit.contract;

import dev.imagegov.spi.Catalog;

/**
 * The contract suite passes on the simple scanning catalog the faulty ones are made from. Also the
 * README's integrator sample, kept identical by {@code ReadmeTest}.
 */
// readme:contract:begin
class ScanningCatalogContractTest extends CatalogContract {
  @Override
  protected Catalog newCatalog() {
    return new ScanningCatalog(); // a fresh, empty instance of your catalog
  }
}
// readme:contract:end
