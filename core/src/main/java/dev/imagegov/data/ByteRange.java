package dev.imagegov.data;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One requested byte range, as Glance reads a {@code Range} header: {@code bytes=a-b} (a to b
 * inclusive), {@code bytes=a-} (from a to the end) or {@code bytes=-n} (the last n bytes).
 * Resolve it against the data's size with {@link #resolve}, which applies Glance's rules: a start
 * at or beyond the end is 416, an end beyond the data is cut to it, and a suffix at least as long
 * as the data returns all of it.
 */
public final class ByteRange {
  // Glance hands the header to webob, which matches this at the start of the value.
  private static final Pattern RANGE =
      Pattern.compile("bytes *= *(\\d*) *- *(\\d*)", Pattern.CASE_INSENSITIVE);

  /** First byte, or -1 for a suffix range. */
  private final long first;
  /** Last byte (inclusive), -1 for open; for a suffix range, the suffix length. */
  private final long last;

  private ByteRange(long first, long last) {
    this.first = first;
    this.last = last;
  }

  /**
   * Bytes {@code first} to {@code last} inclusive.
   *
   * @param first the first byte, counted from 0
   * @param last the last byte, at least {@code first}
   * @return the closed range
   * @throws GovernanceException {@link RuleCode#RANGE_NOT_SATISFIABLE} if {@code first} is
   *     negative or after {@code last}
   */
  public static ByteRange of(long first, long last) {
    if (first < 0 || last < first) {
      throw unsatisfiable("Invalid Range header: bytes=" + first + "-" + last + ".");
    }
    return new ByteRange(first, last);
  }

  /**
   * Bytes from {@code first} to the end.
   *
   * @param first the first byte, counted from 0
   * @return the open-ended range
   * @throws GovernanceException {@link RuleCode#RANGE_NOT_SATISFIABLE} if {@code first} is
   *     negative
   */
  public static ByteRange from(long first) {
    if (first < 0) {
      throw unsatisfiable("Invalid Range header: bytes=" + first + "-.");
    }
    return new ByteRange(first, -1);
  }

  /**
   * The last {@code length} bytes. A zero length means the whole data, as Glance answers {@code
   * bytes=-0}.
   *
   * @param length how many bytes to read
   * @return the last {@code length} bytes
   * @throws GovernanceException {@link RuleCode#RANGE_NOT_SATISFIABLE} if {@code length} is
   *     negative
   */
  public static ByteRange suffix(long length) {
    if (length < 0) {
      throw unsatisfiable("Invalid Range header: bytes=-" + length + ".");
    }
    return length == 0 ? new ByteRange(0, -1) : new ByteRange(-1, length);
  }

  /**
   * Parses a {@code Range} header value as Glance does.
   *
   * @param header the header's value, such as {@code bytes=0-99}
   * @return the range the header asks for
   * @throws GovernanceException {@link RuleCode#MALFORMED_REQUEST} (400) for several ranges;
   *     {@link RuleCode#RANGE_NOT_SATISFIABLE} (416) for a value that does not parse
   */
  public static ByteRange parse(String header) {
    Objects.requireNonNull(header, "header");
    if (header.indexOf(',') >= 0) {
      throw GovernanceException.of(
          RuleCode.MALFORMED_REQUEST,
          "Requests with multiple ranges are not supported in Glance. You may make multiple "
              + "single-range requests instead.");
    }
    Matcher m = RANGE.matcher(header);
    if (!m.lookingAt() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      throw unsatisfiable("Invalid Range header.");
    }
    try {
      if (m.group(1).isEmpty()) {
        return suffix(Long.parseLong(m.group(2)));
      }
      long start = Long.parseLong(m.group(1));
      if (m.group(2).isEmpty()) {
        return from(start);
      }
      long end = Long.parseLong(m.group(2));
      if (end < start) {
        throw unsatisfiable("Invalid Range header.");
      }
      return of(start, end);
    } catch (NumberFormatException e) {
      throw unsatisfiable("Invalid Range header.");
    }
  }

  /**
   * The bytes this range selects from data of {@code size} bytes.
   *
   * @param size the data's size in bytes
   * @return the bytes this range selects from data of {@code size} bytes
   * @throws GovernanceException {@link RuleCode#RANGE_NOT_SATISFIABLE} if the range starts at
   *     or after the end of the data (every range of empty data does)
   */
  public ContentRange resolve(long size) {
    if (size <= 0) {
      throw unsatisfiable("The image has no bytes to return for a range request.");
    }
    if (first < 0) {
      long start = last < size ? size - last : 0;
      return new ContentRange(start, size - 1, size);
    }
    if (first >= size) {
      throw unsatisfiable(
          "Invalid start position in Range header. Start position MUST be in the inclusive "
              + "range [0, "
              + (size - 1)
              + "].");
    }
    long end = last < 0 || last >= size ? size - 1 : last;
    return new ContentRange(first, end, size);
  }

  private static GovernanceException unsatisfiable(String message) {
    return GovernanceException.of(RuleCode.RANGE_NOT_SATISFIABLE, message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteRange && ((ByteRange) o).first == first && ((ByteRange) o).last == last;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(first) * 31 + Long.hashCode(last);
  }

  /** The header form, e.g. {@code bytes=2-4}, {@code bytes=5-}, {@code bytes=-3}. */
  @Override
  public String toString() {
    if (first < 0) {
      return "bytes=-" + last;
    }
    return String.format(Locale.ROOT, "bytes=%d-%s", first, last < 0 ? "" : Long.toString(last));
  }
}
