package dev.imagegov.store.s3;

import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobStore;
import dev.imagegov.testkit.contract.BlobStoreContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * S3BlobStore keeps every guarantee of the BlobStore port: the testkit's contract suite on a real
 * S3 server (S3Proxy on loopback), each store on a bucket of its own, with 64 KiB chunks. Its
 * blobs are smaller than S3's smallest part, so each is one conditional {@code PUT}; {@link
 * S3BlobStoreMultipartContractTest} runs the suite with blobs that are multipart uploads.
 */
class S3BlobStoreContractTest extends BlobStoreContract {
  static final int CHUNK = 64 * 1024;

  private final List<S3BlobStore> opened = new ArrayList<>();
  private final List<String> buckets = new ArrayList<>();

  /** A store on a fresh bucket with {@code options} applied to the server's defaults. */
  synchronized S3BlobStore open(UnaryOperator<S3BlobStoreOptions.Builder> options) {
    LoopbackS3 s3 = LoopbackS3.get();
    String bucket = s3.newBucket();
    buckets.add(bucket);
    S3BlobStore store =
        S3BlobStore.open(
            StoreId.of("s3"), s3.client(), options.apply(s3.options(bucket).toBuilder()).build());
    opened.add(store);
    return store;
  }

  int storeChunkSize() {
    return CHUNK;
  }

  /** The options of this run's stores, on the server's defaults. */
  S3BlobStoreOptions.Builder configure(S3BlobStoreOptions.Builder options) {
    return options.chunkSize(storeChunkSize());
  }

  @Override
  protected BlobStore newStore() {
    return open(this::configure);
  }

  @Override
  protected Optional<BlobStore> newStoreWithCapacity(long totalBytes) {
    return Optional.of(open(b -> configure(b).capacity(totalBytes)));
  }

  @Override
  protected int chunkSize() {
    return storeChunkSize();
  }

  @AfterEach
  synchronized void closeAndDrop() {
    opened.forEach(S3BlobStore::close);
    opened.clear();
    buckets.forEach(LoopbackS3.get()::dropBucket);
    buckets.clear();
  }
}
