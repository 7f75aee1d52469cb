package dev.imagegov.store.memory;

import dev.imagegov.spi.Catalog;
import dev.imagegov.testkit.contract.CatalogContract;

/** MemoryCatalog keeps every guarantee of the Catalog port: the testkit's contract suite. */
class MemoryCatalogContractTest extends CatalogContract {
  @Override
  protected Catalog newCatalog() {
    return new MemoryCatalog();
  }
}
