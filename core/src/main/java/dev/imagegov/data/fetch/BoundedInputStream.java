package dev.imagegov.data.fetch;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.spi.blob.ObservingInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes at most {@code limit} bytes through; when the source has more, closes it and throws
 * {@link RuleCode#FETCH_TOO_LARGE}. Never reads more than {@code limit + 1} bytes.
 */
final class BoundedInputStream extends ObservingInputStream {
  private final long limit;
  private final String what;
  private long count;

  BoundedInputStream(InputStream in, long limit, String what) {
    super(in);
    this.limit = limit;
    this.what = what;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long room = limit - count;
    return super.read(b, off, (int) Math.min(len, Math.max(room, 0) + 1));
  }

  @Override
  protected void onBytes(byte[] b, int off, int len) throws IOException {
    count += len;
    if (count > limit) {
      close();
      throw GovernanceException.of(RuleCode.FETCH_TOO_LARGE,
          "The response from " + what + " exceeds the limit of " + limit + " bytes");
    }
  }
}
