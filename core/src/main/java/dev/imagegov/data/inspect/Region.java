package dev.imagegov.data.inspect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The inspector's view of a {@link RegionReader}: whole-region reads that return what exists,
 * and little/big-endian field decoding. Never reads more than {@link #MAX_REGION} at once.
 */
final class Region {
  /** The largest region any probe reads in one piece. */
  static final int MAX_REGION = 1 << 20;

  private final RegionReader reader;
  private final OptionalLong size;

  Region(RegionReader reader) {
    this.reader = reader;
    this.size = reader.size();
  }

  OptionalLong size() {
    return size;
  }

  /**
   * Reads {@code length} bytes at {@code position}, or fewer if the data ends (or is
   * unavailable) first.
   */
  byte[] read(long position, int length) {
    if (length > MAX_REGION || length < 0) {
      throw new IllegalArgumentException("region length out of range: " + length);
    }
    if (position < 0) {
      return new byte[0];
    }
    byte[] buf = new byte[length];
    int filled = 0;
    try {
      while (filled < length) {
        int n = reader.read(position + filled, buf, filled, length - filled);
        if (n <= 0) {
          break;
        }
        filled += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading image data at offset " + position, e);
    }
    return filled == length ? buf : Arrays.copyOf(buf, filled);
  }

  /**
   * Whether a short read at {@code end} means the data really ends there (true) rather than that
   * the reader could not supply it (false: a prefix of unknown total size).
   */
  boolean endsBy(long end) {
    return size.isPresent() && size.getAsLong() <= end;
  }

  static boolean startsWith(byte[] data, int at, byte[] magic) {
    if (data.length < at + magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if (data[at + i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  static long u64be(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xFF);
    }
    return v;
  }

  static long u32be(byte[] b, int at) {
    return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8)
        | (b[at + 3] & 0xFFL);
  }

  static long u64le(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xFF);
    }
    return v;
  }

  static long u32le(byte[] b, int at) {
    return (b[at] & 0xFFL) | ((b[at + 1] & 0xFFL) << 8) | ((b[at + 2] & 0xFFL) << 16)
        | ((b[at + 3] & 0xFFL) << 24);
  }

  static int u16le(byte[] b, int at) {
    return (b[at] & 0xFF) | ((b[at + 1] & 0xFF) << 8);
  }

  /** A Microsoft GUID (first three fields little-endian) in canonical upper-case text. */
  static String guid(byte[] b, int at) {
    return String.format(
        Locale.ROOT,
        "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
        u32le(b, at), u16le(b, at + 4), u16le(b, at + 6),
        b[at + 8] & 0xFF, b[at + 9] & 0xFF, b[at + 10] & 0xFF, b[at + 11] & 0xFF,
        b[at + 12] & 0xFF, b[at + 13] & 0xFF, b[at + 14] & 0xFF, b[at + 15] & 0xFF);
  }
}
