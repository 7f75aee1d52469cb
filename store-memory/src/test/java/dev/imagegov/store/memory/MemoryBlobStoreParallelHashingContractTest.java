package dev.imagegov.store.memory;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.testkit.contract.BlobStoreContract;
import java.util.Optional;

/**
 * The blob contract suite on MemoryBlobStore with 64 KiB chunks, large enough that the multihash of
 * each chunk runs on the store's hashing threads while MD5 runs on the writer.
 */
class MemoryBlobStoreParallelHashingContractTest extends BlobStoreContract {
  private static final int CHUNK = 64 * 1024;

  @Override
  protected BlobStore newStore() {
    return MemoryBlobStore.builder(StoreId.of("parallel")).chunkSize(CHUNK).build();
  }

  @Override
  protected Optional<BlobStore> newStoreWithCapacity(long totalBytes) {
    return Optional.of(
        MemoryBlobStore.builder(StoreId.of("parallel"))
            .chunkSize(CHUNK)
            .capacity(totalBytes)
            .build());
  }

  @Override
  protected int chunkSize() {
    return CHUNK;
  }

  @Override
  protected int examples() {
    return 15;
  }
}
