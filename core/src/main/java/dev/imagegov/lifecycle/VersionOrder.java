package dev.imagegov.lifecycle;

import dev.imagegov.model.Image;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.Optional;

/**
 * The order of a family's versions, oldest first: when both versions carry an explicit version,
 * by it (dotted or dashed segments, numeric segments compared as numbers and before textual
 * ones, so {@code 1.10 > 1.9}); otherwise by creation time; ties by id. A total order.
 */
final class VersionOrder implements Comparator<Image> {
  static final VersionOrder OLDEST_FIRST = new VersionOrder();

  private VersionOrder() {}

  @Override
  public int compare(Image a, Image b) {
    Optional<String> va = LifecycleInfo.of(a).version();
    Optional<String> vb = LifecycleInfo.of(b).version();
    int c = va.isPresent() && vb.isPresent() ? compareVersions(va.get(), vb.get()) : 0;
    if (c == 0) {
      c = a.createdAt().compareTo(b.createdAt());
    }
    return c != 0 ? c : a.id().value().compareTo(b.id().value());
  }

  /** Compares two explicit versions segment by segment. */
  static int compareVersions(String a, String b) {
    String[] sa = a.split("[.\\-]", -1);
    String[] sb = b.split("[.\\-]", -1);
    for (int i = 0; i < Math.max(sa.length, sb.length); i++) {
      if (i >= sa.length) {
        return -1;
      }
      if (i >= sb.length) {
        return 1;
      }
      int c = compareSegments(sa[i], sb[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int compareSegments(String a, String b) {
    boolean na = isNumber(a);
    boolean nb = isNumber(b);
    if (na && nb) {
      return new BigInteger(a).compareTo(new BigInteger(b));
    }
    if (na != nb) {
      return na ? -1 : 1;
    }
    return a.compareTo(b);
  }

  private static boolean isNumber(String s) {
    if (s.isEmpty() || s.length() > 40) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
