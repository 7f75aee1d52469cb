package dev.imagegov.spi.blob;

import java.io.IOException;
import java.io.InputStream;

/**
 * An input stream that hashes (MD5 and a multihash) every byte read through it, for callers that
 * verify data on read. {@link #digests()} is available once the stream has been read to its end.
 * Skipping reads (and so hashes) the skipped bytes; mark and reset are not supported.
 */
public class DigestingInputStream extends ObservingInputStream {
  private final BlobDigester digester;
  private BlobDigester.@org.jspecify.annotations.Nullable Digests digests;

  /**
   * Hashes what is read from {@code in} as {@code hashes} says.
   *
   * @param in the bytes to write, read to the end or to the limit; not closed
   * @param hashes which digests to compute: MD5 and the multihash
   */
  public DigestingInputStream(InputStream in, HashSpec hashes) {
    super(in);
    this.digester = BlobDigester.inline(hashes);
  }

  @Override
  protected void onBytes(byte[] b, int off, int len) {
    digester.update(b, off, len);
  }

  @Override
  protected final void onEnd() throws IOException {
    digests = digester.finish();
    onEnd(digests);
  }

  /**
   * Called once when the end of the stream is reached, with the digests of everything read; may
   * throw to fail the read (a verifying subclass compares the digests here).
   *
   * @param digests the digests of every byte read
   * @throws java.io.IOException to fail the read that reached the end
   */
  protected void onEnd(BlobDigester.Digests digests) throws IOException {}

  /**
   * The digests of everything read.
   *
   * @return the digests of everything read
   * @throws IllegalStateException if the end of the stream has not been reached
   */
  public BlobDigester.Digests digests() {
    if (digests == null) {
      throw new IllegalStateException("the stream has not been read to its end");
    }
    return digests;
  }
}
