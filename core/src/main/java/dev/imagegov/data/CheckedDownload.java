package dev.imagegov.data;

import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.blob.BlobDigester;
import dev.imagegov.spi.blob.HashSpec;
import dev.imagegov.spi.blob.ObservingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * A download stream that checks, at its end, that it yielded exactly the expected number of
 * bytes and, when verifying, that the bytes hash to the image's checksum and multihash; a
 * mismatch fails the last read with {@link DataCorruptionException}. It ends the download's
 * operation (its metrics) when read to the end, when a read fails, or when closed, whichever
 * comes first.
 */
final class CheckedDownload extends ObservingInputStream {
  private final Image image;
  private final StoreId store;
  private final long expected;
  private final @Nullable BlobDigester digester;
  private final Engine.End end;
  private long count;

  CheckedDownload(
      InputStream in,
      Image image,
      StoreId store,
      long expected,
      @Nullable HashSpec verify,
      Engine.End end) {
    super(in);
    this.end = end;
    this.image = image;
    this.store = store;
    this.expected = expected;
    this.digester = verify == null ? null : BlobDigester.inline(verify);
  }

  @Override
  protected void onBytes(byte[] b, int off, int len) {
    count += len;
    if (digester != null) {
      digester.update(b, off, len);
    }
  }

  @Override
  protected void onEnd() throws DataCorruptionException {
    check();
    end.completed();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    try {
      return super.read(b, off, len);
    } catch (IOException e) {
      end.failed(new UncheckedIOException(e));
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      end.completed();
    }
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
