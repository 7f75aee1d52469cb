package dev.imagegov.store.jdbc;

import dev.imagegov.spi.Catalog;
import dev.imagegov.testkit.contract.CatalogContract;

/**
 * The testkit's {@link CatalogContract} on the PostgreSQL catalog, on a real server. Creating a
 * schema per catalog the suite asks for would cost a migration each time (hundreds per run), so
 * the suite's catalogs are one schema emptied ({@code TRUNCATE}) on each request: a new catalog
 * is empty and shares nothing with the one before, which the suite never uses again.
 */
class JdbcCatalogContractTest extends CatalogContract {
  @Override
  protected Catalog newCatalog() {
    JdbcCatalog catalog = TestDatabase.store("catalog_contract").catalog();
    catalog.clear();
    return catalog;
  }
}
