package dev.imagegov.internal;

import dev.imagegov.data.fetch.Fetcher;
import dev.imagegov.data.signature.CertificateSource;
import dev.imagegov.spi.blob.BlobStore;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What the data paths need beyond the catalog and the final stores: the staging store, the
 * signing certificates, the fetcher of {@code web-download}, and the executor of asynchronous
 * imports (empty: imports run on the caller's thread).
 */
public record ImportServices(
    BlobStore staging, CertificateSource certificates, Fetcher fetcher,
    Optional<Executor> executor) {
}
