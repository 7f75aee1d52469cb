package dev.imagegov.testkit.contract;

import dev.imagegov.spi.blob.BlobStore;
import java.util.Optional;

/**
 * The blob contract suite passes on the simple blob store the faulty ones are made from. Also the
 * README's integrator sample, kept identical by {@code ReadmeTest}.
 */
// readme:blob-contract:begin
class SimpleBlobStoreContractTest extends BlobStoreContract {
  @Override
  protected BlobStore newStore() {
    return new SimpleBlobStore(); // a fresh, empty instance of your store
  }

  @Override
  protected Optional<BlobStore> newStoreWithCapacity(long totalBytes) {
    return Optional.of(new SimpleBlobStore(totalBytes)); // runs the capacity-limit tests
  }

  @Override
  protected int chunkSize() {
    return SimpleBlobStore.CHUNK; // generated sizes straddle the store's chunk boundaries
  }
}
// readme:blob-contract:end
