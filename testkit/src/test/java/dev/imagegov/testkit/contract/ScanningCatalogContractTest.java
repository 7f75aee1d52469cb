package dev.imagegov.testkit.contract;

import dev.imagegov.spi.Catalog;

/** The contract suite passes on the simple scanning catalog the faulty ones are made from. */
class ScanningCatalogContractTest extends CatalogContract {
  @Override
  protected Catalog newCatalog() {
    return new ScanningCatalog();
  }
}
