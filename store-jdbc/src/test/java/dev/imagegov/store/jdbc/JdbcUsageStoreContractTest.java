package dev.imagegov.store.jdbc;

import dev.imagegov.spi.usage.UsageStore;
import dev.imagegov.testkit.contract.UsageStoreContract;

/**
 * The testkit's {@link UsageStoreContract} on the PostgreSQL usage store, on a real server: one
 * schema, emptied on each request (as {@link JdbcCatalogContractTest} explains).
 */
class JdbcUsageStoreContractTest extends UsageStoreContract {
  @Override
  protected UsageStore newUsageStore() {
    JdbcUsageStore usage = TestDatabase.store("usage_contract").usage();
    usage.clear();
    return usage;
  }
}
