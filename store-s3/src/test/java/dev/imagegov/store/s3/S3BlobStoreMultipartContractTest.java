package dev.imagegov.store.s3;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The testkit's contract suite again, with chunks of half of S3's smallest part: the suite's
 * sizes straddle multiples of the chunk, so its larger blobs (three chunks and more) are
 * multipart uploads of two parts or more, and its failures strike inside multipart uploads; the
 * multihash runs on a hashing executor (the other run hashes on the writer's thread). Fewer cases
 * per property than {@link S3BlobStoreContractTest}, since each moves megabytes.
 */
class S3BlobStoreMultipartContractTest extends S3BlobStoreContractTest {
  private static final int HALF_PART = S3BlobStoreOptions.MIN_PART_SIZE / 2;
  private static final ExecutorService HASHING =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "contract-hashing");
            t.setDaemon(true);
            return t;
          });

  @Override
  S3BlobStoreOptions.Builder configure(S3BlobStoreOptions.Builder options) {
    return super.configure(options).hashExecutor(HASHING);
  }

  @Override
  int storeChunkSize() {
    return HALF_PART;
  }

  @Override
  protected int examples() {
    return 6;
  }

  @Override
  protected int threads() {
    return 2;
  }
}
