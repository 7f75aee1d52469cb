package dev.imagegov.store.file;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Generated streams for blob tests: content that is a function of a seed, never one array. */
final class BlobStreams {
  private BlobStreams() {}

  /** {@code size} pseudo-random bytes from {@code seed}, generated as they are read. */
  static InputStream random(long size, long seed) {
    return new InputStream() {
      private final SplittableRandom random = new SplittableRandom(seed);
      private final SplittableRandom splits = new SplittableRandom(~seed);
      private long left = size;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (len == 0) {
          return 0;
        }
        if (left == 0) {
          return -1;
        }
        // Uneven reads, as from a network: at most 8 KiB and sometimes less. The bytes do not
        // depend on how they are read.
        int n = (int) Math.min(Math.min(len, left), 1 + splits.nextInt(8192));
        for (int i = 0; i < n; i++) {
          b[off + i] = (byte) random.nextInt(256);
        }
        left -= n;
        return n;
      }
    };
  }

  /** The bytes {@link #random} yields, as one array (for small sizes). */
  static byte[] bytes(int size, long seed) {
    try {
      return random(size, seed).readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
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

  /** The hex digest, with the JDK's {@code algorithm}, of everything in {@code in}. */
  static String digest(String algorithm, InputStream in) throws IOException {
    MessageDigest d;
    try {
      d = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
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
      if (n != m || !Arrays.equals(x, 0, n, y, 0, m)) {
        return false;
      }
      if (n == 0) {
        return true;
      }
    }
  }
}
