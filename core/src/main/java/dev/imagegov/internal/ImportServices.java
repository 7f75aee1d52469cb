package dev.imagegov.internal;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.data.fetch.Fetcher;
import dev.imagegov.data.fetch.HttpFetcher;
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

  /** The defaults: in-heap staging, no certificates, the JDK fetcher behind the config's guard. */
  static ImportServices defaults(GovernanceConfig config) {
    return new ImportServices(
        new StagingArea(),
        id -> Optional.empty(),
        HttpFetcher.create(config.importUriGuard()),
        Optional.empty());
  }
}
