package dev.imagegov.query;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The lenient text conversions Glance's list parameters go through, reproduced: whitespace
 * stripping as Python's {@code str.strip()}, integers as Python's {@code int()}, and ISO 8601
 * timestamps as the {@code iso8601} library that {@code timeutils.parse_isotime} uses.
 */
final class GlanceText {
  /** CPython's default limit on the digits of a decimal integer string. */
  private static final int MAX_INT_DIGITS = 4300;

  /**
   * The {@code iso8601} grammar: {@code YYYY}, {@code YYYY-M}, {@code YYYYMMDD}, dates with a
   * {@code T} or space and {@code hh[:mm[:ss[.f]]]}, an optional {@code Z} or {@code ±hh[:mm]}.
   * {@code $} may match before one final newline, as in Python.
   */
  private static final Pattern ISO8601 =
      Pattern.compile(
          "(?<year>[0-9]{4})"
              + "((-(?<monthdash>[0-9]{1,2})|(?<month>[0-9]{2})(?!$))"
              + "((-(?<daydash>[0-9]{1,2})|(?<day>[0-9]{2}))"
              + "([ T](?<hour>[0-9]{2})(:?(?<minute>[0-9]{2}))?"
              + "(:?(?<second>[0-9]{1,2})([.,](?<fraction>[0-9]+))?)?"
              + "(?<timezone>Z|(?<tzsign>[-+])(?<tzhour>[0-9]{2}):?(?<tzminute>[0-9]{2})?)?"
              + ")?)?)?$",
          Pattern.UNIX_LINES);

  private GlanceText() {}

  /** Whether Python's {@code str.isspace()} holds for {@code c}. */
  static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }

  /** {@code text} without leading and trailing whitespace, as Python's {@code str.strip()}. */
  static String strip(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  /**
   * The integer Python's {@code int(text)} yields, or empty where it raises {@code ValueError}:
   * surrounding whitespace, a sign, decimal digits of any script and single underscores between
   * digits are accepted; more than 4300 digits are not.
   */
  static Optional<BigInteger> parseInt(String text) {
    String s = strip(text);
    int i = 0;
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    StringBuilder digits = new StringBuilder();
    boolean lastWasDigit = false;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      if (cp == '_') {
        if (!lastWasDigit) {
          return Optional.empty();
        }
        lastWasDigit = false;
      } else if (Character.isDigit(cp)) {
        digits.append((char) ('0' + Character.digit(cp, 10)));
        lastWasDigit = true;
      } else {
        return Optional.empty();
      }
      i += Character.charCount(cp);
    }
    if (!lastWasDigit || digits.length() > MAX_INT_DIGITS) {
      return Optional.empty();
    }
    BigInteger value = new BigInteger(digits.toString());
    return Optional.of(negative ? value.negate() : value);
  }

  /**
   * The instant {@code text} denotes as an ISO 8601 timestamp, or empty where Glance's parser
   * raises {@code ValueError}. A timestamp without a zone is UTC; a date alone is midnight;
   * fractions of a second are truncated to microseconds; the fields must form a real date and
   * time, and an offset must be under 24 hours.
   */
  static Optional<Instant> parseTimestamp(String text) {
    Matcher m = ISO8601.matcher(text);
    if (!m.lookingAt()) {
      return Optional.empty();
    }
    try {
      int year = Integer.parseInt(m.group("year"));
      int month = intOr(m.group("month"), intOr(m.group("monthdash"), 1));
      int day = intOr(m.group("day"), intOr(m.group("daydash"), 1));
      int hour = intOr(m.group("hour"), 0);
      int minute = intOr(m.group("minute"), 0);
      int second = intOr(m.group("second"), 0);
      String fraction = m.group("fraction");
      int micros = 0;
      if (fraction != null) {
        String six = (fraction + "000000").substring(0, 6);
        micros = Integer.parseInt(six);
      }
      if (year < 1) {
        return Optional.empty();
      }
      LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
      int offsetMinutes = 0;
      if (m.group("tzsign") != null) {
        offsetMinutes =
            Integer.parseInt(m.group("tzhour")) * 60 + intOr(m.group("tzminute"), 0);
        if (offsetMinutes >= 24 * 60) {
          return Optional.empty();
        }
        if (m.group("tzsign").equals("-")) {
          offsetMinutes = -offsetMinutes;
        }
      }
      return Optional.of(local.toInstant(ZoneOffset.UTC).minusSeconds(offsetMinutes * 60L));
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  private static int intOr(@Nullable String digits, int fallback) {
    return digits == null ? fallback : Integer.parseInt(digits);
  }
}
