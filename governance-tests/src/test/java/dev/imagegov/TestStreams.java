package dev.imagegov;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Generated streams for blob tests: deterministic content without holding it in an array. */
final class TestStreams {
  private TestStreams() {}

  /** {@code size} pseudo-random bytes from {@code seed}, generated as they are read. */
  static InputStream random(long size, long seed) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private long left = size;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left == 0) {
          return -1;
        }
        int n = (int) Math.min(len, Math.min(left, 8192));
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) random.nextInt(256);
        }
        left -= n;
        return n;
      }
    };
  }

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

  /** A stream that yields {@code in}'s first {@code failAfter} bytes, then throws. */
  static InputStream failingAfter(InputStream in, long failAfter) {
    return new InputStream() {
      private long read;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (read >= failAfter && len > 0) {
          throw new IOException("client went away after " + read + " bytes");
        }
        int n = in.read(b, off, (int) Math.min(len, failAfter - read));
        if (n > 0) {
          read += n;
        }
        return n;
      }
    };
  }

  /** The hex digest of everything in {@code in}. */
  static String digest(String algorithm, InputStream in) throws Exception {
    MessageDigest d = MessageDigest.getInstance(algorithm);
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) >= 0; ) {
      d.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(d.digest());
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
