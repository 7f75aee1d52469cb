package dev.imagegov.report;

import java.util.HashSet;
import java.util.Set;

/**
 * A set of blob keys, for the hygiene report's key pass: the keys the catalog scan saw referenced
 * (or being written), so that the pass looks up only the keys outside it. An image id in lower
 * case (the form the governance creates) is held as its 128 bits in an open-addressing table, 16
 * bytes and no object per key, so the set of a million ids costs tens of MB and holds no text of
 * the catalog; any other key is held as its text. Membership is exact. Not thread-safe.
 */
final class KeySet {
  private long[] slots = new long[32];
  private int size;
  private boolean zero;
  private final Set<String> other = new HashSet<>();

  /** Adds {@code key}. */
  void add(String key) {
    long hi = half(key, 0, 18);
    long lo = half(key, 19, 36);
    if (hi == -1 || lo == -1 || !hyphens(key)) {
      other.add(key);
    } else if (hi == 0 && lo == 0) {
      zero = true;
    } else if (insert(slots, hi, lo)) {
      size++;
      if (size * 2 > slots.length / 2) {
        grow();
      }
    }
  }

  /** {@return whether {@code key} was added} */
  boolean contains(String key) {
    long hi = half(key, 0, 18);
    long lo = half(key, 19, 36);
    if (hi == -1 || lo == -1 || !hyphens(key)) {
      return other.contains(key);
    }
    if (hi == 0 && lo == 0) {
      return zero;
    }
    int mask = slots.length / 2 - 1;
    for (int i = index(hi, lo, mask); ; i = (i + 1) & mask) {
      long h = slots[2 * i];
      long l = slots[2 * i + 1];
      if (h == 0 && l == 0) {
        return false;
      }
      if (h == hi && l == lo) {
        return true;
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    for (int i = 0; i < old.length; i += 2) {
      if (old[i] != 0 || old[i + 1] != 0) {
        insert(slots, old[i], old[i + 1]);
      }
    }
  }

  /** Puts the pair in {@code table}; false if it is there already. */
  private static boolean insert(long[] table, long hi, long lo) {
    int mask = table.length / 2 - 1;
    for (int i = index(hi, lo, mask); ; i = (i + 1) & mask) {
      long h = table[2 * i];
      long l = table[2 * i + 1];
      if (h == 0 && l == 0) {
        table[2 * i] = hi;
        table[2 * i + 1] = lo;
        return true;
      }
      if (h == hi && l == lo) {
        return false;
      }
    }
  }

  private static int index(long hi, long lo, int mask) {
    long x = hi * 0x9E3779B97F4A7C15L ^ lo;
    x ^= x >>> 29;
    x *= 0xBF58476D1CE4E5B9L;
    return (int) (x ^ x >>> 32) & mask;
  }

  /** Whether a key of 36 characters has the hyphen between the halves (at 18). */
  private static boolean hyphens(String key) {
    return key.charAt(18) == '-';
  }

  /**
   * The 64 bits of the 16 lower-case hex digits of the 8-4-4-4-12 form from {@code from} to
   * {@code to} (0 to 18 for the first half, 19 to 36 for the second), or -1 if the key is not 36
   * characters, lacks a hyphen of the form in that half, or has another character than a digit
   * or a lower-case hex letter there (a key that really holds all ones in a half is then kept as
   * text, which is exact too).
   */
  private static long half(String key, int from, int to) {
    if (key.length() != 36) {
      return -1;
    }
    long bits = 0;
    for (int i = from; i < to; i++) {
      char c = key.charAt(i);
      if (i == 8 || i == 13 || i == 23) {
        if (c != '-') {
          return -1;
        }
        continue;
      }
      int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (v < 0) {
        return -1;
      }
      bits = bits << 4 | v;
    }
    return bits;
  }
}
