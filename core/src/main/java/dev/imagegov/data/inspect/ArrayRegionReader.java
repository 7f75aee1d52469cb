package dev.imagegov.data.inspect;

import java.util.Objects;
import java.util.OptionalLong;

/** An in-memory {@link RegionReader}; {@code complete} says whether the array is all the data. */
final class ArrayRegionReader implements RegionReader {
  private final byte[] data;
  private final boolean complete;

  ArrayRegionReader(byte[] data, boolean complete) {
    this.data = data;
    this.complete = complete;
  }

  @Override
  public int read(long position, byte[] buffer, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (position < 0) {
      throw new IllegalArgumentException("negative position: " + position);
    }
    if (position >= data.length) {
      return -1;
    }
    int n = (int) Math.min(length, data.length - position);
    System.arraycopy(data, (int) position, buffer, offset, n);
    return n;
  }

  @Override
  public OptionalLong size() {
    return complete ? OptionalLong.of(data.length) : OptionalLong.empty();
  }
}
