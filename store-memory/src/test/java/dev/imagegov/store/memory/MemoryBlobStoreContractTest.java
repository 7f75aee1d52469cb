package dev.imagegov.store.memory;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.testkit.contract.BlobStoreContract;
import java.util.Optional;

/**
 * MemoryBlobStore keeps every guarantee of the BlobStore port: the testkit's contract suite, with
 * small (4 KiB) chunks and inline hashing ({@link MemoryBlobStoreParallelHashingContractTest} runs
 * it with parallel hashing).
 */
class MemoryBlobStoreContractTest extends BlobStoreContract {
  private static final int CHUNK = 4096;

  @Override
  protected BlobStore newStore() {
    return MemoryBlobStore.builder(StoreId.of("contract")).chunkSize(CHUNK).inlineHashing().build();
  }

  @Override
  protected Optional<BlobStore> newStoreWithCapacity(long totalBytes) {
    return Optional.of(
        MemoryBlobStore.builder(StoreId.of("contract"))
            .chunkSize(CHUNK)
            .capacity(totalBytes)
            .inlineHashing()
            .build());
  }

  @Override
  protected int chunkSize() {
    return CHUNK;
  }
}
