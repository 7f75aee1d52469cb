package dev.imagegov.spi.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that passes its source's bytes through and shows each run of them to {@link
 * #onBytes} as it is read, and the end of the source to {@link #onEnd} once: the plumbing of
 * streams that count, hash or bound what is read. Every read goes through {@link #read(byte[],
 * int, int)}: a single-byte read reads one byte that way, and skipping reads (and so shows) the
 * skipped bytes. Mark and reset are not supported. Either hook may throw to fail the read that
 * brought the bytes or the end; a subclass may override {@code read(byte[], int, int)} to ask the
 * source for fewer bytes and call {@code super}.
 */
public abstract class ObservingInputStream extends FilterInputStream {
  private boolean ended;

  /**
   * Observes what is read from {@code in}.
   *
   * @param in the bytes to write, read to the end or to the limit; not closed
   */
  protected ObservingInputStream(InputStream in) {
    super(in);
  }

  /**
   * Called with every run of bytes read, in order; does nothing unless overridden.
   *
   * @param b the buffer the bytes were read into
   * @param off where the bytes start in the array
   * @param len how many bytes
   * @throws java.io.IOException to fail the read that brought these bytes
   */
  protected void onBytes(byte[] b, int off, int len) throws IOException {}

  /**
   * Called once, when a read first finds the source at its end; does nothing unless overridden.
   *
   * @throws java.io.IOException to fail the read that found the end
   */
  protected void onEnd() throws IOException {}

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      onBytes(b, off, n);
    } else if (n < 0 && !ended) {
      ended = true;
      onEnd();
    }
    return n;
  }

  /** Reads and discards up to {@code n} bytes, so that they are observed too. */
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
