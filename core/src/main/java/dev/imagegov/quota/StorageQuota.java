package dev.imagegov.quota;

import dev.imagegov.error.ConfigurationException;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Glance's {@code user_storage_quota} grammar: digits with an optional unit {@code B}, {@code
 * KB}, {@code MB}, {@code GB} or {@code TB} (binary: KB is 1024 bytes), case-sensitive, no
 * spaces; no unit means bytes; {@code 0} means no quota.
 */
public final class StorageQuota {
  private static final Pattern GRAMMAR = Pattern.compile("(\\d+)((K|M|G|T)?B)?");

  private StorageQuota() {}

  /**
   * The quota in bytes, or empty for no quota.
   *
   * @param text a size as Glance's quota options take it ({@code 10GB}, {@code 0} ...)
   * @return the quota in bytes, or empty for no quota
   * @throws ConfigurationException for text outside the
   *     grammar or a value beyond a long (Glance fails every check with a server error here)
   */
  public static OptionalLong parse(String text) {
    Matcher m = GRAMMAR.matcher(text);
    if (!m.matches()) {
      throw new ConfigurationException("user_storage_quota '" + text
          + "' must be digits with an optional B, KB, MB, GB or TB");
    }
    int shift;
    String unit = m.group(3);
    if (unit == null) {
      shift = 0;
    } else {
      switch (unit) {
        case "K":
          shift = 10;
          break;
        case "M":
          shift = 20;
          break;
        case "G":
          shift = 30;
          break;
        default:
          shift = 40;
          break;
      }
    }
    long value;
    try {
      value = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0 || value > (Long.MAX_VALUE >> shift)) {
      throw new ConfigurationException("user_storage_quota '" + text + "' is too large");
    }
    return value == 0 ? OptionalLong.empty() : OptionalLong.of(value << shift);
  }
}
