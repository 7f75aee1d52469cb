package dev.imagegov;

import dev.imagegov.data.DataCorruptionException;
import dev.imagegov.model.Image;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.HashSpec;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * A download stream that checks, at its end, that it yielded exactly the expected number of
 * bytes and, when verifying, that the bytes hash to the image's checksum and multihash; a
 * mismatch fails the last read with {@link DataCorruptionException}.
 */
final class CheckedDownload extends FilterInputStream {
  private final Image image;
  private final StoreId store;
  private final long expected;
  private final @Nullable BlobDigester digester;
  private long count;
  private boolean ended;

  CheckedDownload(
      InputStream in, Image image, StoreId store, long expected, @Nullable HashSpec verify) {
    super(in);
    this.image = image;
    this.store = store;
    this.expected = expected;
    this.digester = verify == null ? null : BlobDigester.inline(verify);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      count += n;
      if (digester != null) {
        digester.update(b, off, n);
      }
    } else if (n < 0 && !ended) {
      ended = true;
      check();
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

  private void check() throws DataCorruptionException {
    String where = "Corrupt image download: image " + image.id() + " in store " + store;
    if (count != expected) {
      throw new DataCorruptionException(
          where + " returned " + count + " bytes where " + expected + " were expected.");
    }
    if (digester == null) {
      return;
    }
    BlobDigester.Digests d = digester.finish();
    if (image.checksum().isPresent() && !image.checksum().get().equals(d.checksum())) {
      throw new DataCorruptionException(
          where + " has checksum " + d.checksum() + " but " + image.checksum().get()
              + " is recorded.");
    }
    if (image.osHashValue().isPresent() && !image.osHashValue().get().equals(d.multihash())) {
      throw new DataCorruptionException(
          where + " has " + d.algorithm() + " " + d.multihash() + " but "
              + image.osHashValue().get() + " is recorded.");
    }
  }
}
