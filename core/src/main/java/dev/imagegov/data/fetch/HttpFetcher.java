package dev.imagegov.data.fetch;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link Fetcher}: HTTP and HTTPS {@code GET} on the JDK's {@link HttpURLConnection},
 * behind a {@link UriGuard}. Thread-safe.
 *
 * <ul>
 *   <li>Redirects are never followed by the connection: each {@code 301, 302, 303, 307, 308}
 *       with a {@code Location} is resolved against the current URI, checked by the guard
 *       (scheme, host, port, resolved addresses) and only then requested; at most {@link
 *       Builder#maxRedirects} hops (default 5).
 *   <li>A {@code Content-Length} above the limit is refused before the body is read; the body is
 *       cut with {@link RuleCode#FETCH_TOO_LARGE} as soon as it passes the limit, so an endless
 *       response cannot fill a store.
 *   <li>Every read has a timeout ({@link Builder#readTimeout}, default 2 min): waiting for the
 *       response headers and waiting for each part of the body. A server that stalls mid-body
 *       fails the read with {@link RuleCode#FETCH_FAILED} instead of holding the import (and its
 *       reservation) forever.
 *   <li>No proxy is used: a proxy would resolve and connect on its own, beyond the guard.
 *   <li>Any status other than 2xx or a followed redirect is {@link RuleCode#FETCH_FAILED}.
 *   <li>The fetcher starts no thread of its own, and no connection outlives its response: each
 *       connection is closed ({@link HttpURLConnection#disconnect}) when its body is closed, not
 *       kept for reuse. {@link #close} closes the connections still open and refuses later
 *       fetches.
 * </ul>
 *
 * <p><b>Known limit (DNS rebinding):</b> the connection resolves the host again when it connects
 * and offers no way to connect to the address the guard checked while keeping the host name for
 * {@code Host}, SNI and certificate checks. A name whose DNS answer changes between the guard's
 * resolution and the connection (a rebinding attack, a window of milliseconds) could still reach
 * a forbidden address. Deployments that must close that window use a resolving proxy with its
 * own address filter, or list trusted hosts in {@code allowed_hosts}, or plug in a {@link
 * Fetcher} that connects to {@link UriGuard#check}'s addresses (as Debian's backport pins the
 * connection).
 */
public final class HttpFetcher implements Fetcher {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final UriGuard guard;
  private final int maxRedirects;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final Set<HttpURLConnection> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private HttpFetcher(Builder b) {
    this.guard = b.guard;
    this.maxRedirects = b.maxRedirects;
    this.connectTimeoutMillis = millis(b.connectTimeout);
    this.readTimeoutMillis = millis(b.readTimeout);
  }

  /** A timeout in whole milliseconds for {@link java.net.URLConnection}: at least 1, 0 never. */
  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /**
   * {@return a fetcher behind {@code guard} with the default redirect limit and timeouts}
   *
   * @param guard checks every URL, redirects included
   */
  public static HttpFetcher create(UriGuard guard) {
    return builder(guard).build();
  }

  /**
   * {@return a builder for a fetcher behind {@code guard}}
   *
   * @param guard checks every URL, redirects included
   */
  public static Builder builder(UriGuard guard) {
    return new Builder(guard);
  }

  @Override
  public FetchResult fetch(URI uri, long maxBytes) {
    Objects.requireNonNull(uri, "uri");
    if (maxBytes < 0) {
      throw GovernanceException.of(StoreErrorCode.INVALID_VALUE,
          "The byte limit of a fetch must not be negative: " + maxBytes);
    }
    URI current = uri;
    for (int hop = 0; hop <= maxRedirects; hop++) {
      guard.check(current);
      String scheme = current.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw GovernanceException.of(RuleCode.URI_NOT_ALLOWED,
            "URI " + UriGuard.redact(current) + " is not allowed: this fetcher supports only "
                + "http and https");
      }
      HttpURLConnection connection = send(current);
      boolean handedOver = false;
      try {
        int status = status(connection, current);
        if (REDIRECTS.contains(status)) {
          current = redirectTarget(current, status, connection.getHeaderField("Location"));
          continue;
        }
        if (status < 200 || status > 299) {
          throw GovernanceException.of(RuleCode.FETCH_FAILED,
              "Fetching " + UriGuard.redact(current) + " failed with HTTP status " + status);
        }
        long length = connection.getContentLengthLong();
        OptionalLong declared = length >= 0 ? OptionalLong.of(length) : OptionalLong.empty();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
          throw GovernanceException.of(RuleCode.FETCH_TOO_LARGE,
              "The response from " + UriGuard.redact(current) + " declares "
                  + declared.getAsLong() + " bytes, more than the limit of " + maxBytes);
        }
        String where = UriGuard.redact(current);
        InputStream body = new Body(connection, where);
        handedOver = true;
        return new FetchResult(new BoundedInputStream(body, maxBytes, where), declared, current);
      } finally {
        if (!handedOver) {
          release(connection);
        }
      }
    }
    throw GovernanceException.of(RuleCode.FETCH_FAILED,
        "Fetching " + UriGuard.redact(uri) + " failed: more than " + maxRedirects
            + " redirects");
  }

  /**
   * Closes every connection still open (their bodies then fail to read) and refuses later
   * fetches. Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (HttpURLConnection c : open) {
      release(c);
    }
  }

  private HttpURLConnection send(URI uri) {
    if (closed) {
      throw GovernanceException.of(RuleCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(uri) + " failed: the fetcher is closed");
    }
    try {
      HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setConnectTimeout(connectTimeoutMillis);
      c.setReadTimeout(readTimeoutMillis);
      c.setRequestMethod("GET");
      open.add(c);
      if (closed) {
        release(c);
        throw GovernanceException.of(RuleCode.FETCH_FAILED,
            "Fetching " + UriGuard.redact(uri) + " failed: the fetcher is closed");
      }
      return c;
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw GovernanceException.of(RuleCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(uri) + " failed: " + e, e);
    }
  }

  private static int status(HttpURLConnection c, URI uri) {
    try {
      return c.getResponseCode();
    } catch (SocketTimeoutException e) {
      throw stalled(UriGuard.redact(uri), e);
    } catch (IOException e) {
      throw GovernanceException.of(RuleCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(uri) + " failed: " + e, e);
    }
  }

  private static GovernanceException stalled(String where, IOException e) {
    return GovernanceException.of(RuleCode.FETCH_FAILED,
        "Fetching " + where + " failed: the server sent nothing within the read timeout", e);
  }

  /** Closes the connection's socket; it is never kept for reuse. */
  private void release(HttpURLConnection c) {
    open.remove(c);
    c.disconnect();
  }

  /** A response body: reads time out as {@code FETCH_FAILED}; closing it closes the connection. */
  private final class Body extends FilterInputStream {
    private final HttpURLConnection connection;
    private final String where;

    Body(HttpURLConnection connection, String where) {
      super(open(connection, where));
      this.connection = connection;
      this.where = where;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (SocketTimeoutException e) {
        throw stalled(where, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (SocketTimeoutException e) {
        throw stalled(where, e);
      }
    }

    @Override
    public void close() {
      release(connection);
    }
  }

  private static InputStream open(HttpURLConnection c, String where) {
    try {
      return c.getInputStream();
    } catch (SocketTimeoutException e) {
      throw stalled(where, e);
    } catch (IOException e) {
      throw GovernanceException.of(RuleCode.FETCH_FAILED,
          "Fetching " + where + " failed: " + e, e);
    }
  }

  private static URI redirectTarget(URI current, int status, @Nullable String location) {
    if (location == null || location.isBlank()) {
      throw GovernanceException.of(RuleCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(current) + " failed: redirect "
              + status + " without a Location");
    }
    try {
      return current.resolve(new URI(location.strip()));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw GovernanceException.of(RuleCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(current) + " failed: malformed redirect Location", e);
    }
  }

  /** Builds an {@link HttpFetcher}. Not thread-safe. */
  public static final class Builder {
    private final UriGuard guard;
    private int maxRedirects = 5;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration readTimeout = Duration.ofMinutes(2);

    private Builder(UriGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
    }

    /**
     * How many redirects a fetch follows (default 5); 0 refuses every redirect.
     *
     * @param maxRedirects the most redirects followed, at least 0
     * @return this builder, for chaining
     */
    public Builder maxRedirects(int maxRedirects) {
      if (maxRedirects < 0) {
        throw new ConfigurationException("maxRedirects must not be negative: " + maxRedirects);
      }
      this.maxRedirects = maxRedirects;
      return this;
    }

    /**
     * How long to wait for a connection (default 30 s).
     *
     * @param timeout how long to wait at most
     * @return this builder, for chaining
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * How long any read may wait (default 2 min): for the response headers of each request, and
     * for each part of the body, so a server that stalls mid-body fails the fetch.
     *
     * @param timeout how long to wait at most
     * @return how long any read may wait (default 2 min): for the response headers of each request,
     *     and for each part of the body, so a server that stalls mid-body fails the fetch
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** {@return the fetcher} */
    public HttpFetcher build() {
      return new HttpFetcher(this);
    }
  }
}
