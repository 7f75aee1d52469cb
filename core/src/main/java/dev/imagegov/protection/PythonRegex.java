package dev.imagegov.protection;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles a Python {@code re} pattern (Python 3.11, {@code str} pattern, no flags) into a Java
 * {@link Pattern} that searches the same way, or refuses it.
 *
 * <p>Translated: {@code (?P<name>…)} and {@code (?P=name)}; {@code (?#…)} comments (dropped);
 * {@code \Z} (end of text); {@code \v} (vertical tab, not a class); the {@code x}, {@code u},
 * {@code U} and {@code N} escapes and octal escapes; {@code {,n}}; a {@code {} that is not a
 * quantifier (a literal brace); {@code [} and {@code &} inside a character class (literals in
 * Python, nesting and intersection in Java). Matching runs with {@link Pattern#UNIX_LINES}
 * ({@code .} and {@code $} know only {@code \n}, as in Python) and {@link
 * Pattern#UNICODE_CHARACTER_CLASS} ({@code \w}, {@code \d}, {@code \s}, {@code \b} and case
 * folding are Unicode-aware, as for Python {@code str} patterns). Refused, with a message: what
 * Python refuses (bad escapes, unbalanced parentheses or brackets, global flags after the
 * start, references to undefined groups) and what has no faithful Java equivalent (conditional
 * groups {@code (?(1)…)}, the {@code a}, {@code L} and {@code x} flags).
 *
 * <p>Bounded, since Java's regex compiler and matcher recurse: a pattern longer than {@link
 * #MAX_LENGTH} characters or with groups nested deeper than {@link #MAX_GROUP_DEPTH} is refused
 * (section names of real protections files are a few dozen characters).
 */
final class PythonRegex {
  /** The longest pattern accepted. */
  static final int MAX_LENGTH = 1024;
  /** The deepest nesting of groups accepted. */
  static final int MAX_GROUP_DEPTH = 64;

  private final String source;
  private final StringBuilder out = new StringBuilder();
  private final Map<String, Integer> names = new HashMap<>();
  private int pos;
  private int groups;
  private final java.util.BitSet closedGroups = new java.util.BitSet();
  private boolean sawItem;

  private PythonRegex(String source) {
    this.source = source;
  }

  /**
   * The compiled pattern.
   *
   * @throws IllegalArgumentException saying why the pattern is refused
   */
  static Pattern compile(String pythonPattern) {
    String java = new PythonRegex(pythonPattern).translate();
    try {
      return Pattern.compile(java, Pattern.UNIX_LINES | Pattern.UNICODE_CHARACTER_CLASS);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(e.getDescription() + " near index " + e.getIndex(), e);
    } catch (RuntimeException | StackOverflowError e) {
      throw new IllegalArgumentException("cannot be compiled (" + e + ")", e);
    }
  }

  private static IllegalArgumentException error(String message, int at) {
    return new IllegalArgumentException(message + " at position " + at);
  }

  private String translate() {
    if (source.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "longer than " + MAX_LENGTH + " characters (" + source.length() + ")");
    }
    int depth = 0;
    java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
    while (pos < source.length()) {
      char c = source.charAt(pos);
      switch (c) {
        case '\\':
          escape(false);
          sawItem = true;
          break;
        case '[':
          characterClass();
          sawItem = true;
          break;
        case '(':
          int group = group();
          if (group != Integer.MIN_VALUE) {
            depth++;
            if (depth > MAX_GROUP_DEPTH) {
              throw error("groups nested deeper than " + MAX_GROUP_DEPTH, pos);
            }
            open.push(group);
          }
          break;
        case ')':
          if (depth == 0) {
            throw error("unbalanced parenthesis", pos);
          }
          depth--;
          int closed = open.pop();
          if (closed > 0) {
            closedGroups.set(closed);
          }
          out.append(')');
          pos++;
          sawItem = true;
          break;
        case '{':
          brace();
          break;
        case '}':
        case ']':
          out.append('\\').append(c);
          pos++;
          sawItem = true;
          break;
        default:
          out.append(c);
          pos++;
          sawItem = c != '|' && c != '^';
      }
    }
    if (depth != 0) {
      throw error("missing ), unterminated subpattern", source.length());
    }
    return out.toString();
  }

  /**
   * Translates a group opening; returns its capturing-group number, 0 for a non-capturing group,
   * or {@link Integer#MIN_VALUE} for something that opens no group (a comment, global flags).
   */
  private int group() {
    int start = pos;
    if (!source.startsWith("(?", pos)) {
      pos++;
      out.append('(');
      sawItem = false;
      return ++groups;
    }
    pos += 2;
    if (pos >= source.length()) {
      throw error("unexpected end of pattern", pos);
    }
    char k = source.charAt(pos);
    if (k == 'P') {
      if (source.startsWith("P<", pos)) {
        int end = source.indexOf('>', pos + 2);
        if (end < 0) {
          throw error("missing >, unterminated name", pos);
        }
        String name = source.substring(pos + 2, end);
        checkName(name, pos);
        if (names.containsKey(name)) {
          throw error("redefinition of group name '" + name + "'", pos);
        }
        pos = end + 1;
        out.append('(');
        sawItem = false;
        names.put(name, ++groups);
        return groups;
      }
      if (source.startsWith("P=", pos)) {
        int end = source.indexOf(')', pos + 2);
        if (end < 0) {
          throw error("missing ), unterminated name", pos);
        }
        String name = source.substring(pos + 2, end);
        checkName(name, pos);
        Integer number = names.get(name);
        if (number == null) {
          throw error("unknown group name '" + name + "'", pos);
        }
        backReference(number, start);
        pos = end + 1;
        return Integer.MIN_VALUE;
      }
      throw error("unknown extension ?P" + charAt(pos + 1), start);
    }
    if (k == '#') {
      int end = source.indexOf(')', pos);
      if (end < 0) {
        throw error("missing ), unterminated comment", start);
      }
      pos = end + 1;
      return Integer.MIN_VALUE;
    }
    if (k == ':' || k == '=' || k == '!' || k == '>') {
      out.append("(?").append(k);
      pos++;
      sawItem = false;
      return 0;
    }
    if (k == '<') {
      char n = charAt(pos + 1);
      if (n == '=' || n == '!') {
        out.append("(?<").append(n);
        pos += 2;
        sawItem = false;
        return 0;
      }
      throw error("unknown extension ?<" + n, start);
    }
    if (k == '(') {
      throw error("conditional groups (?(…)…) are not supported", start);
    }
    return flags(start);
  }

  private int flags(int start) {
    StringBuilder on = new StringBuilder();
    StringBuilder off = new StringBuilder();
    boolean negative = false;
    while (pos < source.length()) {
      char f = source.charAt(pos);
      if (f == ')' || f == ':') {
        break;
      }
      if (f == '-' && !negative) {
        negative = true;
      } else if (f == 'i' || f == 'm' || f == 's') {
        (negative ? off : on).append(f);
      } else if (f == 'u' && !negative) {
        // Python's default for str patterns; nothing to do.
      } else if (f == 'a' || f == 'L' || f == 'x' || f == 'u') {
        throw error("the (?" + f + ") flag is not supported", start);
      } else {
        throw error("unknown flag '" + f + "'", pos);
      }
      pos++;
    }
    if (pos >= source.length()) {
      throw error("missing -, : or )", start);
    }
    char end = source.charAt(pos);
    pos++;
    if (end == ')') {
      if (negative) {
        throw error("missing :", start);
      }
      if (start != 0 && !onlyGlobalFlagsBefore(start)) {
        throw error("global flags not at the start of the expression", start);
      }
      if (on.length() > 0) {
        out.append("(?").append(on).append(')');
      }
      return Integer.MIN_VALUE;
    }
    if (negative && off.length() == 0) {
      throw error("missing flag", start);
    }
    out.append("(?").append(on);
    if (negative) {
      out.append('-').append(off);
    }
    out.append(':');
    sawItem = false;
    return 0;
  }

  private boolean onlyGlobalFlagsBefore(int start) {
    return source.substring(0, start).matches("(\\(\\?[imsu]*\\))*");
  }

  private static void checkName(String name, int at) {
    boolean ok = !name.isEmpty() && Character.isJavaIdentifierStart(name.codePointAt(0));
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      ok = Character.isJavaIdentifierPart(c) && c != '$';
    }
    if (!ok) {
      throw error("bad character in group name '" + name + "'", at);
    }
  }

  private void backReference(int number, int at) {
    if (!closedGroups.get(number)) {
      throw error("cannot refer to an open group", at);
    }
    out.append("(?:\\").append(number).append(')');
    sawItem = true;
  }

  private char charAt(int i) {
    return i < source.length() ? source.charAt(i) : '\0';
  }

  /** A brace outside a class: a quantifier {m}, {m,}, {,n}, {m,n}, or a literal brace. */
  private void brace() {
    int close = source.indexOf('}', pos);
    String body = close < 0 ? "" : source.substring(pos + 1, close);
    if (close < 0 || !body.matches("\\d*(,\\d*)?") || body.isEmpty()) {
      out.append("\\{");
      pos++;
      sawItem = true;
      return;
    }
    int comma = body.indexOf(',');
    String min = comma < 0 ? body : body.substring(0, comma);
    String max = comma < 0 ? body : body.substring(comma + 1);
    if (!sawItem) {
      throw error("nothing to repeat", pos);
    }
    long lo = min.isEmpty() ? 0 : parseCount(min);
    long hi = max.isEmpty() ? -1 : parseCount(max);
    if (hi >= 0 && hi < lo) {
      throw error("min repeat greater than max repeat", pos);
    }
    out.append('{').append(lo).append(',');
    if (hi >= 0) {
      out.append(hi);
    }
    out.append('}');
    pos = close + 1;
    if (pos < source.length() && source.charAt(pos) == '?') {
      out.append('?');
      pos++;
    } else if (pos < source.length() && source.charAt(pos) == '+') {
      out.append('+');
      pos++;
    }
    sawItem = false;
  }

  private long parseCount(String digits) {
    if (digits.length() > 9 || Long.parseLong(digits) > Integer.MAX_VALUE - 1) {
      throw error("the repetition number is too large", pos);
    }
    return Long.parseLong(digits);
  }

  /** A character class, from {@code [} to its closing {@code ]}. */
  private void characterClass() {
    int start = pos;
    pos++;
    out.append('[');
    if (charAt(pos) == '^') {
      out.append('^');
      pos++;
    }
    boolean first = true;
    while (true) {
      if (pos >= source.length()) {
        throw error("unterminated character set", start);
      }
      char c = source.charAt(pos);
      if (c == ']' && !first) {
        out.append(']');
        pos++;
        return;
      }
      first = false;
      if (c == '\\') {
        escape(true);
      } else if (c == '[' || c == '&' || c == ']' || c == '^') {
        out.append('\\').append(c);
        pos++;
      } else {
        out.appendCodePoint(source.codePointAt(pos));
        pos += Character.charCount(source.codePointAt(pos));
      }
    }
  }

  /** An escape sequence starting at {@code pos} (a backslash). */
  private void escape(boolean inClass) {
    int start = pos;
    pos++;
    if (pos >= source.length()) {
      throw error("bad escape (end of pattern)", start);
    }
    char c = source.charAt(pos);
    pos++;
    switch (c) {
      case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
        out.append('\\').append(c);
        return;
      case 'b':
        out.append(inClass ? "\\x{8}" : "\\b");
        return;
      case 'B': case 'A':
        if (inClass) {
          throw error("bad escape \\" + c, start);
        }
        out.append('\\').append(c);
        return;
      case 'Z':
        if (inClass) {
          throw error("bad escape \\Z", start);
        }
        out.append("\\z");
        return;
      case 'a':
        literal(0x07);
        return;
      case 'f':
        literal(0x0c);
        return;
      case 'n':
        literal('\n');
        return;
      case 'r':
        literal('\r');
        return;
      case 't':
        literal('\t');
        return;
      case 'v':
        literal(0x0b);
        return;
      case 'x':
        literal(hex(2, start));
        return;
      case 'u':
        literal(hex(4, start));
        return;
      case 'U':
        int cp = hex(8, start);
        if (cp > Character.MAX_CODE_POINT) {
          throw error("bad escape \\U" + source.substring(pos - 8, pos), start);
        }
        literal(cp);
        return;
      case 'N':
        literal(namedCharacter(start));
        return;
      default:
        break;
    }
    if (c >= '0' && c <= '9') {
      digits(c, start, inClass);
      return;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      throw error("bad escape \\" + c, start);
    }
    pos--;
    int literal = source.codePointAt(pos);
    pos += Character.charCount(literal);
    literal(literal);
  }

  private void digits(char c, int start, boolean inClass) {
    if (c == '0' || inClass) {
      if (c > '7') {
        throw error("bad escape \\" + c, start);
      }
      int value = c - '0';
      for (int i = 0; i < 2 && isOctal(charAt(pos)); i++) {
        value = value * 8 + (source.charAt(pos++) - '0');
      }
      if (value > 0377) {
        throw error("octal escape value outside of range 0-0o377", start);
      }
      literal(value);
      return;
    }
    if (isOctal(c) && isOctal(charAt(pos)) && isOctal(charAt(pos + 1))) {
      int value = (c - '0') * 64 + (source.charAt(pos) - '0') * 8 + (source.charAt(pos + 1) - '0');
      pos += 2;
      if (value > 0377) {
        throw error("octal escape value outside of range 0-0o377", start);
      }
      literal(value);
      return;
    }
    int number = c - '0';
    if (charAt(pos) >= '0' && charAt(pos) <= '9') {
      number = number * 10 + (source.charAt(pos++) - '0');
    }
    if (number > groups) {
      throw error("invalid group reference " + number, start);
    }
    backReference(number, start);
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  private int hex(int count, int start) {
    if (pos + count > source.length()) {
      throw error("incomplete escape \\" + source.substring(start + 1), start);
    }
    String digits = source.substring(pos, pos + count);
    if (!digits.matches("[0-9a-fA-F]+")) {
      throw error("incomplete escape \\" + source.charAt(start + 1) + digits, start);
    }
    pos += count;
    return (int) Long.parseLong(digits, 16);
  }

  private int namedCharacter(int start) {
    if (charAt(pos) != '{') {
      throw error("missing {", start);
    }
    int end = source.indexOf('}', pos);
    if (end < 0) {
      throw error("missing }, unterminated name", start);
    }
    String name = source.substring(pos + 1, end);
    pos = end + 1;
    try {
      return Character.codePointOf(name);
    } catch (IllegalArgumentException e) {
      throw error("undefined character name '" + name + "'", start);
    }
  }

  private void literal(int codePoint) {
    if (codePoint < 0x80 && Character.isLetterOrDigit(codePoint) || codePoint == ' ') {
      out.appendCodePoint(codePoint);
    } else {
      out.append("\\x{").append(Integer.toHexString(codePoint)).append('}');
    }
    sawItem = true;
  }
}
