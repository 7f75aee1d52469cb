package dev.imagegov.data.fetch;

import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import java.net.URI;

/**
 * Fetches image data from a URI ({@code web-download}). Implementations apply a {@link UriGuard}
 * to the URI and to every redirect before connecting, and bound what they return by {@code
 * maxBytes}. Implementations must be thread-safe; each result belongs to one caller.
 */
@FunctionalInterface
public interface Fetcher extends AutoCloseable {

  /**
   * Opens the data at {@code uri}. The caller reads and closes the result's body; reading more
   * than {@code maxBytes} fails with {@link RuleCode#FETCH_TOO_LARGE}.
   *
   * @param uri the URI to check
   * @param maxBytes the most bytes accepted; one byte more fails the write
   * @return the body, its declared length and the final URI after redirects
   * @throws dev.imagegov.error.GovernanceException {@link
   *     RuleCode#URI_NOT_ALLOWED} if the guard refuses the URI or a redirect,
   *     {@link RuleCode#FETCH_TOO_LARGE} if the declared length exceeds
   *     {@code maxBytes}, {@link RuleCode#FETCH_FAILED} if the remote end
   *     fails, and {@link StoreErrorCode#INVALID_VALUE} for a negative limit
   */
  FetchResult fetch(URI uri, long maxBytes);

  /**
   * Releases what the fetcher holds (connections, threads); the governance that uses it calls
   * this when it is closed. Fetches after a close may fail. The default holds nothing.
   */
  @Override
  default void close() {}
}
