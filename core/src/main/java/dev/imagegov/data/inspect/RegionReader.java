package dev.imagegov.data.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Positional read access to image data, the only way the {@link FormatInspector} sees it.
 * Implementations read from wherever the bytes live (a blob store's range read, a file channel, a
 * buffer) and need not hold the image in memory; the inspector asks for a few small regions
 * (headers, descriptors, metadata tables, the last sector), each at most a few hundred KiB.
 *
 * <p>{@link #read} may return fewer bytes than asked, and {@code -1} at or beyond the end of the
 * readable data. {@link #size()} is the total size when known; when it is unknown (a prefix of a
 * longer stream), a region the reader cannot supply is treated as unavailable, and the inspector
 * treats a safety-relevant region it could not read as a safety violation.
 */
public interface RegionReader {

  /**
   * Reads up to {@code length} bytes starting at {@code position} into {@code buffer} at {@code
   * offset}.
   *
   * @param position the first byte to read, counted from the start of the data
   * @param buffer receives the bytes
   * @param offset where in {@code buffer} the bytes go
   * @param length the most bytes to read
   * @return the number of bytes read, or {@code -1} if {@code position} is at or beyond the end of
   *     the readable data
   * @throws IOException if the underlying data cannot be read
   */
  int read(long position, byte[] buffer, int offset, int length) throws IOException;

  /** {@return the total size of the image data, when known} */
  OptionalLong size();

  /**
   * {@return a reader over a whole image held in {@code data} (for small images and tests)}
   *
   * @param data the whole image
   */
  static RegionReader of(byte[] data) {
    return new ArrayRegionReader(Arrays.copyOf(data, data.length), true);
  }

  /**
   * A reader over the first bytes of {@code stream}: reads (and keeps) at most {@code maxBytes}
   * bytes. If the stream ends within that limit its size is known; otherwise the size is unknown
   * and regions beyond the limit are unavailable. The stream is read but not closed.
   *
   * @param stream the bytes, read to the end; not closed
   * @param maxBytes the most bytes read from the stream
   * @return a reader over the first bytes of {@code stream}: reads (and keeps) at most {@code
   *     maxBytes} bytes
   * @throws IOException if reading the stream fails
   */
  static RegionReader prefixOf(InputStream stream, int maxBytes) throws IOException {
    Objects.requireNonNull(stream, "stream");
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    byte[] prefix = stream.readNBytes(maxBytes);
    boolean complete = prefix.length < maxBytes || stream.read() == -1;
    return new ArrayRegionReader(prefix, complete);
  }
}
