package dev.imagegov.data.fetch;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The default {@link Fetcher}: HTTP and HTTPS {@code GET} on the JDK's {@link HttpClient}, behind
 * a {@link UriGuard}. Thread-safe.
 *
 * <ul>
 *   <li>Redirects are never followed by the client: each {@code 301, 302, 303, 307, 308} with a
 *       {@code Location} is resolved against the current URI, checked by the guard (scheme,
 *       host, port, resolved addresses) and only then requested; at most {@link
 *       Builder#maxRedirects} hops (default 5).
 *   <li>A {@code Content-Length} above the limit is refused before the body is read; the body is
 *       cut with {@link ErrorCode#FETCH_TOO_LARGE} as soon as it passes the limit, so an endless
 *       response cannot fill a store.
 *   <li>No proxy is used: a proxy would resolve and connect on its own, beyond the guard.
 *   <li>Any status other than 2xx or a followed redirect is {@link ErrorCode#FETCH_FAILED}.
 * </ul>
 *
 * <p><b>Known limit (DNS rebinding):</b> {@code HttpClient} resolves the host again when it
 * connects and offers no way to connect to the address the guard checked while keeping the host
 * name for {@code Host}, SNI and certificate checks. A name whose DNS answer changes between the
 * guard's resolution and the connection (a rebinding attack, a window of milliseconds) could
 * still reach a forbidden address. Deployments that must close that window use a resolving proxy
 * with its own address filter, or list trusted hosts in {@code allowed_hosts}, or plug in a
 * {@link Fetcher} that connects to {@link UriGuard#check}'s addresses (as Debian's backport pins
 * the connection).
 */
public final class HttpFetcher implements Fetcher {
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final UriGuard guard;
  private final HttpClient client;
  private final int maxRedirects;
  private final Duration responseTimeout;

  private HttpFetcher(Builder b) {
    this.guard = b.guard;
    this.maxRedirects = b.maxRedirects;
    this.responseTimeout = b.responseTimeout;
    this.client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(b.connectTimeout)
        .build();
  }

  /** A fetcher behind {@code guard} with the default redirect limit and timeouts. */
  public static HttpFetcher create(UriGuard guard) {
    return builder(guard).build();
  }

  /** A builder for a fetcher behind {@code guard}. */
  public static Builder builder(UriGuard guard) {
    return new Builder(guard);
  }

  @Override
  public FetchResult fetch(URI uri, long maxBytes) {
    Objects.requireNonNull(uri, "uri");
    if (maxBytes < 0) {
      throw GovernanceException.of(ErrorCode.INVALID_VALUE,
          "The byte limit of a fetch must not be negative: " + maxBytes);
    }
    URI current = uri;
    for (int hop = 0; hop <= maxRedirects; hop++) {
      guard.check(current);
      String scheme = current.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw GovernanceException.of(ErrorCode.URI_NOT_ALLOWED,
            "URI " + UriGuard.redact(current) + " is not allowed: this fetcher supports only "
                + "http and https");
      }
      HttpResponse<InputStream> response = send(current);
      int status = response.statusCode();
      if (REDIRECTS.contains(status)) {
        closeQuietly(response.body());
        current = redirectTarget(current, response);
        continue;
      }
      if (status < 200 || status > 299) {
        closeQuietly(response.body());
        throw GovernanceException.of(ErrorCode.FETCH_FAILED,
            "Fetching " + UriGuard.redact(current) + " failed with HTTP status " + status);
      }
      OptionalLong declared = contentLength(response);
      if (declared.isPresent() && declared.getAsLong() > maxBytes) {
        closeQuietly(response.body());
        throw GovernanceException.of(ErrorCode.FETCH_TOO_LARGE,
            "The response from " + UriGuard.redact(current) + " declares "
                + declared.getAsLong() + " bytes, more than the limit of " + maxBytes);
      }
      InputStream body =
          new BoundedInputStream(response.body(), maxBytes, UriGuard.redact(current));
      return new FetchResult(body, declared, current);
    }
    throw GovernanceException.of(ErrorCode.FETCH_FAILED,
        "Fetching " + UriGuard.redact(uri) + " failed: more than " + maxRedirects
            + " redirects");
  }

  private HttpResponse<InputStream> send(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(responseTimeout).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException | IllegalArgumentException e) {
      throw GovernanceException.of(ErrorCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(uri) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw GovernanceException.of(ErrorCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(uri) + " was interrupted", e);
    }
  }

  private static URI redirectTarget(URI current, HttpResponse<?> response) {
    Optional<String> location = response.headers().firstValue("Location");
    if (location.isEmpty() || location.get().isBlank()) {
      throw GovernanceException.of(ErrorCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(current) + " failed: redirect "
              + response.statusCode() + " without a Location");
    }
    try {
      return current.resolve(new URI(location.get().strip()));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw GovernanceException.of(ErrorCode.FETCH_FAILED,
          "Fetching " + UriGuard.redact(current) + " failed: malformed redirect Location", e);
    }
  }

  private static OptionalLong contentLength(HttpResponse<?> response) {
    Optional<String> value = response.headers().firstValue("Content-Length");
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      long length = Long.parseLong(value.get().strip());
      return length >= 0 ? OptionalLong.of(length) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      // The response is being discarded; a failure to close it changes nothing.
    }
  }

  /** Builds an {@link HttpFetcher}. Not thread-safe. */
  public static final class Builder {
    private final UriGuard guard;
    private int maxRedirects = 5;
    private Duration connectTimeout = Duration.ofSeconds(30);
    private Duration responseTimeout = Duration.ofMinutes(2);

    private Builder(UriGuard guard) {
      this.guard = Objects.requireNonNull(guard, "guard");
    }

    /** How many redirects a fetch follows (default 5); 0 refuses every redirect. */
    public Builder maxRedirects(int maxRedirects) {
      if (maxRedirects < 0) {
        throw GovernanceException.of(ErrorCode.INVALID_CONFIGURATION,
            "maxRedirects must not be negative: " + maxRedirects);
      }
      this.maxRedirects = maxRedirects;
      return this;
    }

    /** How long to wait for a connection (default 30 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How long to wait for the response headers of each request (default 2 min). */
    public Builder responseTimeout(Duration timeout) {
      this.responseTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The fetcher. */
    public HttpFetcher build() {
      return new HttpFetcher(this);
    }
  }
}
