package dev.imagegov.data.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/** A test reader over a prefix of a stream, built with {@link RegionReader#prefixOf}. */
final class RegionReaderPrefix implements RegionReader {
  private final RegionReader delegate;

  RegionReaderPrefix(InputStream stream, int maxBytes) {
    try {
      this.delegate = RegionReader.prefixOf(stream, maxBytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int read(long position, byte[] buffer, int offset, int length) throws IOException {
    return delegate.read(position, buffer, offset, length);
  }

  @Override
  public OptionalLong size() {
    return delegate.size();
  }
}
