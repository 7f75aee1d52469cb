package dev.imagegov.spi.blob;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that hashes (MD5 and a multihash) every byte read through it, for callers that
 * verify data on read. {@link #digests()} is available once the stream has been read to its end.
 * Skipping reads (and so hashes) the skipped bytes; mark and reset are not supported.
 */
public class DigestingInputStream extends FilterInputStream {
  private final BlobDigester digester;
  private BlobDigester.@org.jspecify.annotations.Nullable Digests digests;

  /** Hashes what is read from {@code in} as {@code hashes} says. */
  public DigestingInputStream(InputStream in, HashSpec hashes) {
    super(in);
    this.digester = BlobDigester.inline(hashes);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      digester.update(b, off, n);
    } else if (n < 0 && digests == null) {
      digests = digester.finish();
      onEnd(digests);
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

  /**
   * Called once when the end of the stream is reached, with the digests of everything read; may
   * throw to fail the read (a verifying subclass compares the digests here).
   */
  protected void onEnd(BlobDigester.Digests digests) throws IOException {}

  /**
   * The digests of everything read.
   *
   * @throws IllegalStateException if the end of the stream has not been reached
   */
  public BlobDigester.Digests digests() {
    if (digests == null) {
      throw new IllegalStateException("the stream has not been read to its end");
    }
    return digests;
  }
}
