package dev.imagegov.data.fetch;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code limit} bytes through; when the source has more, closes it and throws
 * {@link ErrorCode#FETCH_TOO_LARGE}. Never reads more than {@code limit + 1} bytes.
 */
final class BoundedInputStream extends FilterInputStream {
  private final long limit;
  private final String what;
  private long count;

  BoundedInputStream(InputStream in, long limit, String what) {
    super(in);
    this.limit = limit;
    this.what = what;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xFF;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long room = limit - count;
    int n = super.read(b, off, (int) Math.min(len, Math.max(room, 0) + 1));
    if (n > 0) {
      count += n;
      if (count > limit) {
        close();
        throw GovernanceException.of(ErrorCode.FETCH_TOO_LARGE,
            "The response from " + what + " exceeds the limit of " + limit + " bytes");
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[8192];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int readlimit) {}

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported");
  }
}
