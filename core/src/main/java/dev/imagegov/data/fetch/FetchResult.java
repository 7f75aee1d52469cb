package dev.imagegov.data.fetch;

import dev.imagegov.errors.RuleCode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An opened fetch: the response body as a stream bounded by the fetch's byte limit, the length
 * the server declared (if any), and the URI the data came from after redirects. Closing it closes
 * the body. Not thread-safe.
 */
public final class FetchResult implements Closeable {
  private final InputStream body;
  private final OptionalLong declaredLength;
  private final URI uri;

  /**
   * A result over {@code body}, which must already enforce the byte limit.
   *
   * @param body the response body, bounded by the fetch's byte limit
   * @param declaredLength the length the server announced, if any
   * @param uri the URI to check
   */
  public FetchResult(InputStream body, OptionalLong declaredLength, URI uri) {
    this.body = Objects.requireNonNull(body, "body");
    this.declaredLength = Objects.requireNonNull(declaredLength, "declaredLength");
    this.uri = Objects.requireNonNull(uri, "uri");
  }

  /**
   * The data. Reading past the byte limit throws {@link
   * RuleCode#FETCH_TOO_LARGE} (an unchecked {@code GovernanceException}) and
   * closes the connection.
   *
   * @return the data
   */
  public InputStream body() {
    return body;
  }

  /** {@return the {@code Content-Length} the server declared, if it declared one} */
  public OptionalLong declaredLength() {
    return declaredLength;
  }

  /** {@return the URI the data is read from: the requested one, or the last redirect target} */
  public URI uri() {
    return uri;
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
