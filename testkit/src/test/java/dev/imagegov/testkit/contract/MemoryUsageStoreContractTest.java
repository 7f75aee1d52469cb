package dev.imagegov.testkit.contract;

import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.spi.usage.UsageStore;

/** The usage port's contract on the memory implementation core defaults to. */
class MemoryUsageStoreContractTest extends UsageStoreContract {
  @Override
  protected UsageStore newUsageStore() {
    return new MemoryUsageStore();
  }
}
