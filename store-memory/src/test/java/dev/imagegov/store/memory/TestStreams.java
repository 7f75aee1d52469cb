package dev.imagegov.store.memory;

import java.io.IOException;
import java.io.InputStream;

/**
 * A cheap repeating stream for the large-blob test (the testkit's {@code Streams} generate
 * pseudo-random bytes, slower at hundreds of MiB), without holding it in an array.
 */
final class TestStreams {
  private TestStreams() {}

  /** {@code size} bytes of a repeating pattern, cheap to generate at any size. */
  static InputStream pattern(long size) {
    byte[] block = new byte[1 << 16];
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) (i * 31 + (i >> 8));
    }
    return new InputStream() {
      private long position;

      @Override
      public int read() {
        return position < size ? block[(int) (position++ % block.length)] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (position >= size) {
          return -1;
        }
        int within = (int) (position % block.length);
        int n = (int) Math.min(Math.min(len, block.length - within), size - position);
        System.arraycopy(block, within, b, off, n);
        position += n;
        return n;
      }
    };
  }

  /** Whether the two streams yield the same bytes. */
  static boolean sameBytes(InputStream a, InputStream b) throws IOException {
    byte[] x = new byte[8192];
    byte[] y = new byte[8192];
    while (true) {
      int n = a.readNBytes(x, 0, x.length);
      int m = b.readNBytes(y, 0, y.length);
      if (n != m || !java.util.Arrays.equals(x, 0, n, y, 0, m)) {
        return false;
      }
      if (n == 0) {
        return true;
      }
    }
  }
}
