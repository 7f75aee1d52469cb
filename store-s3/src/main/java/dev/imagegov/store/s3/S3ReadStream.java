package dev.imagegov.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The body of one {@code GET}, of a known length: it yields exactly that many bytes or fails
 * (a body that ends early is an {@link IOException}, never a short blob), turns the SDK's
 * unchecked failures into {@link IOException}s, and aborts the connection when closed before its
 * end (rather than reading the rest of a large object).
 */
final class S3ReadStream extends InputStream {
  private final ResponseInputStream<GetObjectResponse> in;
  private final String name;
  private final long length;
  private long remaining;
  private boolean closed;

  /** {@code length} -1 reads to the body's end. */
  S3ReadStream(ResponseInputStream<GetObjectResponse> in, long length, String name) {
    this.in = in;
    this.length = length;
    this.remaining = length < 0 ? Long.MAX_VALUE : length;
    this.name = name;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    if (len == 0) {
      return 0;
    }
    if (remaining == 0) {
      return -1;
    }
    int n;
    try {
      n = in.read(b, off, (int) Math.min(len, remaining));
    } catch (SdkException | UncheckedIOException e) {
      throw new IOException("reading blob " + name + " failed: " + e.getMessage(), e);
    }
    if (n < 0) {
      if (length >= 0) {
        throw new IOException(
            "blob " + name + " ended after " + (length - remaining) + " of " + length + " bytes");
      }
      remaining = 0;
      return -1;
    }
    remaining -= n;
    return n;
  }

  @Override
  public int available() throws IOException {
    ensureOpen();
    return (int) Math.min(Integer.MAX_VALUE, Math.min(remaining, in.available()));
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (remaining > 0) {
        in.abort();
      }
      in.close();
    } catch (SdkException | UncheckedIOException e) {
      throw new IOException("closing blob " + name + " failed: " + e.getMessage(), e);
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }
}
