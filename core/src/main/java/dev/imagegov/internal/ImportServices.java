package dev.imagegov.internal;

import dev.imagegov.data.fetch.Fetcher;
import dev.imagegov.data.signature.CertificateSource;
import dev.imagegov.spi.blob.BlobStore;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * What the data paths need beyond the catalog and the final stores: the staging store, the
 * signing certificates, the fetcher of {@code web-download}, the executor of asynchronous
 * imports (empty: imports run on the caller's thread), and the governance's own hashing threads
 * ({@link HashingThreads}), offered to the stores for the multihash of every write and shut down
 * when the governance is closed.
 */
public record ImportServices(
    BlobStore staging, CertificateSource certificates, Fetcher fetcher,
    Optional<Executor> executor, ExecutorService hashing) {
}
