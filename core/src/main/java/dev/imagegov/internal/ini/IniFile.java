package dev.imagegov.internal.ini;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An INI document, read in one of two dialects. Internal to imagegov: not API, may change in
 * any release.
 *
 * <p>{@link #parse} reads as Python's {@code configparser.ConfigParser()} with its defaults
 * reads, which is how Glance reads the property-protections file: a section starts at a line
 * {@code [name]} (everything between the first {@code [} and the last {@code ]}; text after it is
 * ignored); an option is {@code key = value} or {@code key: value}, split at the first {@code =}
 * or {@code :}, the key trimmed and lower-cased, the value trimmed; a line indented deeper than
 * its option line continues the value (blank lines inside a value are kept, trailing ones
 * dropped); lines whose first non-blank character is {@code #} or {@code ;} are comments (there
 * are no inline comments); {@code [DEFAULT]} holds options every section inherits; a section or
 * an option defined twice is an error (strict mode); an option before any section, or a line that
 * is neither a section, an option, a comment nor a continuation, is an error. Values are
 * interpolated on reading ({@link #interpolate}) as {@code BasicInterpolation} does: {@code %%}
 * is a percent sign, {@code %(name)s} the value of option {@code name} of the same section (or of
 * {@code [DEFAULT]}), any other {@code %} an error.
 *
 * <p>{@link #parseOsloConfig} reads as oslo.config's own parser reads {@code glance-api.conf}:
 * a line starting with {@code #} or {@code ;} is a comment; a line starting with a space or tab
 * continues the value of the option above it (an error if there is none), and a blank line ends
 * that value; a section header must end with {@code ]}; section names other than {@code DEFAULT}
 * are lower-cased and a section may appear several times (its options merge); an option is split
 * at the first {@code =} or {@code :}, the key is trimmed (case kept), the value trimmed and
 * stripped of one pair of matching surrounding quotes; an option given twice keeps its last value
 * (what oslo.config answers for a single-valued option); {@code [DEFAULT]} is not inherited by
 * other sections, and nothing is interpolated.
 */
public final class IniFile {
  /** configparser's {@code default_section}. */
  public static final String DEFAULT_SECTION = "DEFAULT";

  /** configparser's {@code MAX_INTERPOLATION_DEPTH}. */
  private static final int MAX_INTERPOLATION_DEPTH = 10;
  /**
   * The longest value interpolation may produce: ten levels of references, each repeated, could
   * otherwise expand a few lines into gigabytes.
   */
  static final int MAX_INTERPOLATED_LENGTH = 1 << 20;

  /** A syntax error at a line of the document; the message does not repeat the line. */
  public static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;

    SyntaxError(int line, String message) {
      super(message, null, false, false);
      this.line = line;
    }

    /** The 1-based line of the problem. */
    public int line() {
      return line;
    }
  }

  /**
   * An option: its key (lower-case in the configparser dialect), its raw (uninterpolated) value,
   * the 1-based line where it was defined and the name of its section.
   */
  public record Option(String key, String value, int line, String section) {}

  /** A section: its name, the line of its (first) header, its options in file order. */
  public record Section(String name, int line, ImmutableMap<String, Option> options) {}

  private final ImmutableList<Section> sections;
  private final ImmutableMap<String, Option> defaults;

  private IniFile(ImmutableList<Section> sections, ImmutableMap<String, Option> defaults) {
    this.sections = sections;
    this.defaults = defaults;
  }

  /** The sections other than {@code [DEFAULT]}, in file order. */
  public ImmutableList<Section> sections() {
    return sections;
  }

  /** The options of {@code [DEFAULT]}. */
  public ImmutableMap<String, Option> defaults() {
    return defaults;
  }

  /**
   * The option {@code key} of the section named {@code section} ({@code DEFAULT} for {@code
   * [DEFAULT]}), without inheritance.
   */
  public Optional<Option> option(String section, String key) {
    if (section.equals(DEFAULT_SECTION)) {
      return Optional.ofNullable(defaults.get(key));
    }
    for (Section s : sections) {
      if (s.name().equals(section)) {
        return Optional.ofNullable(s.options().get(key));
      }
    }
    return Optional.empty();
  }

  /** The option {@code key} of {@code section}, or inherited from {@code [DEFAULT]}. */
  public Optional<Option> lookup(Section section, String key) {
    Option own = section.options().get(key);
    return Optional.ofNullable(own != null ? own : defaults.get(key));
  }

  /**
   * The interpolated value of {@code option} as seen from {@code section}; every option name
   * referenced (directly or through other references) is added to {@code referenced}.
   *
   * @throws SyntaxError at the option's line for a bad {@code %}, a missing reference or a
   *     reference chain deeper than configparser allows
   */
  public String interpolate(Section section, Option option, Set<String> referenced) {
    StringBuilder out = new StringBuilder();
    interpolate(section, option, option.value(), 1, out, referenced);
    return out.toString();
  }

  private void interpolate(
      Section section, Option option, String rest, int depth, StringBuilder out, Set<String> refs) {
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw new SyntaxError(
          option.line(),
          "option '" + option.key() + "': interpolation is nested more than "
              + MAX_INTERPOLATION_DEPTH + " levels deep (a reference cycle?)");
    }
    int i = 0;
    while (i < rest.length()) {
      int p = rest.indexOf('%', i);
      if (p < 0) {
        out.append(rest, i, rest.length());
        return;
      }
      out.append(rest, i, p);
      char next = p + 1 < rest.length() ? rest.charAt(p + 1) : '\0';
      if (next == '%') {
        out.append('%');
        i = p + 2;
      } else if (next == '(') {
        int close = rest.indexOf(')', p + 2);
        if (close < 0 || close == p + 2 || close + 1 >= rest.length()
            || rest.charAt(close + 1) != 's') {
          throw new SyntaxError(
              option.line(),
              "option '" + option.key() + "': bad interpolation variable reference in \""
                  + rest.substring(p) + "\" (write %% for a percent sign)");
        }
        String name = rest.substring(p + 2, close).toLowerCase(Locale.ROOT);
        Optional<Option> target = lookup(section, name);
        if (target.isEmpty()) {
          throw new SyntaxError(
              option.line(),
              "option '" + option.key() + "': %(" + name + ")s refers to an option that "
                  + "neither this section nor [DEFAULT] defines");
        }
        refs.add(name);
        String value = target.get().value();
        if (value.indexOf('%') >= 0) {
          interpolate(section, option, value, depth + 1, out, refs);
        } else {
          out.append(value);
        }
        if (out.length() > MAX_INTERPOLATED_LENGTH) {
          throw new SyntaxError(
              option.line(),
              "option '" + option.key() + "': interpolation expands to more than "
                  + MAX_INTERPOLATED_LENGTH + " characters");
        }
        i = close + 2;
      } else {
        throw new SyntaxError(
            option.line(),
            "option '" + option.key() + "': '%' must be followed by '%' or '(' "
                + "(write %% for a percent sign)");
      }
    }
  }

  /** Python's {@code str.isspace()} for one character, close enough for configuration text. */
  public static boolean isSpace(char c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || c == '\u0085'
        || (c >= '\u001c' && c <= '\u001f');
  }

  /** {@code s} without leading and trailing whitespace, as Python's {@code str.strip()}. */
  public static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static String rstrip(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end);
  }

  /** Mutable state of one section while reading. */
  private static final class Building {
    final String name;
    final int line;
    final Map<String, List<String>> values = new LinkedHashMap<>();
    final Map<String, Integer> lines = new LinkedHashMap<>();

    Building(String name, int line) {
      this.name = name;
      this.line = line;
    }

    ImmutableMap<String, Option> options() {
      ImmutableMap.Builder<String, Option> out = ImmutableMap.builder();
      for (Map.Entry<String, List<String>> e : values.entrySet()) {
        String joined = rstrip(String.join("\n", e.getValue()));
        out.put(e.getKey(), new Option(e.getKey(), joined, lines.get(e.getKey()), name));
      }
      return out.buildOrThrow();
    }
  }

  /**
   * Reads {@code content}.
   *
   * @throws SyntaxError naming the line of the first problem
   */
  public static IniFile parse(String content) {
    String[] lines = content.split("\r\n|\r|\n", -1);
    Building defaults = new Building(DEFAULT_SECTION, 0);
    Map<String, Building> sections = new LinkedHashMap<>();
    @Nullable Building current = null;
    @Nullable String option = null;
    int indentLevel = 0;
    for (int index = 0; index < lines.length; index++) {
      int lineNo = index + 1;
      String line = lines[index];
      String stripped = strip(line);
      boolean comment = stripped.startsWith("#") || stripped.startsWith(";");
      String value = comment ? "" : stripped;
      if (value.isEmpty()) {
        if (!comment && current != null && option != null) {
          current.values.get(option).add("");
        }
        continue;
      }
      int indent = 0;
      while (indent < line.length() && isSpace(line.charAt(indent))) {
        indent++;
      }
      if (current != null && option != null && indent > indentLevel) {
        current.values.get(option).add(value);
        continue;
      }
      indentLevel = indent;
      int close = value.lastIndexOf(']');
      if (value.startsWith("[") && close >= 2) {
        String name = value.substring(1, close);
        if (name.equals(DEFAULT_SECTION)) {
          current = defaults;
        } else if (sections.containsKey(name)) {
          throw new SyntaxError(
              lineNo,
              "section [" + name + "] is defined twice (first at line "
                  + sections.get(name).line + ")");
        } else {
          current = new Building(name, lineNo);
          sections.put(name, current);
        }
        option = null;
        continue;
      }
      if (current == null) {
        throw new SyntaxError(lineNo, "an option before any [section] header: \"" + value + "\"");
      }
      int delimiter = firstDelimiter(value);
      if (delimiter < 0) {
        throw new SyntaxError(
            lineNo,
            "\"" + value + "\" is neither a [section] header nor a 'key = value' option "
                + "(nor a continuation line, which must be indented deeper than its option)");
      }
      String key = strip(value.substring(0, delimiter)).toLowerCase(Locale.ROOT);
      if (key.isEmpty()) {
        throw new SyntaxError(lineNo, "an option without a name: \"" + value + "\"");
      }
      if (current.values.containsKey(key)) {
        throw new SyntaxError(
            lineNo,
            "option '" + key + "' is defined twice in section [" + current.name
                + "] (first at line " + current.lines.get(key) + ")");
      }
      List<String> parts = new ArrayList<>();
      parts.add(strip(value.substring(delimiter + 1)));
      current.values.put(key, parts);
      current.lines.put(key, lineNo);
      option = key;
    }
    ImmutableList.Builder<Section> out = ImmutableList.builder();
    for (Building b : sections.values()) {
      out.add(new Section(b.name, b.line, b.options()));
    }
    return new IniFile(out.build(), defaults.options());
  }

  /**
   * Reads {@code content} as oslo.config reads a configuration file (see the class comment).
   *
   * @throws SyntaxError naming the line of the first problem
   */
  public static IniFile parseOsloConfig(String content) {
    String[] lines = content.split("\r\n|\r|\n", -1);
    Map<String, OsloSection> sections = new LinkedHashMap<>();
    @Nullable OsloSection current = null;
    @Nullable String key = null;
    List<String> value = new ArrayList<>();
    int keyLine = 0;
    for (int index = 0; index < lines.length; index++) {
      int lineNo = index + 1;
      String line = rstrip(lines[index]);
      if (line.isEmpty()) {
        if (key != null) {
          current.put(key, value, keyLine);
          key = null;
        }
        continue;
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (key == null) {
          throw new SyntaxError(
              lineNo, "a continuation line (it starts with whitespace) without an option above it");
        }
        value.add(strip(line));
        continue;
      }
      if (key != null) {
        current.put(key, value, keyLine);
        key = null;
      }
      if (line.startsWith("[")) {
        if (!line.endsWith("]")) {
          throw new SyntaxError(lineNo, "a section header without a closing ']': \"" + line + "\"");
        }
        if (line.length() <= 2) {
          throw new SyntaxError(lineNo, "a section header without a name");
        }
        String name = line.substring(1, line.length() - 1);
        if (!name.equals(DEFAULT_SECTION)) {
          name = name.toLowerCase(Locale.ROOT);
        }
        current = sections.computeIfAbsent(name, n -> new OsloSection(n, lineNo));
        continue;
      }
      if (line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      int delimiter = firstDelimiter(line);
      if (delimiter < 0) {
        throw new SyntaxError(
            lineNo, "\"" + line + "\" is neither a [section] header nor a 'key = value' option");
      }
      String k = strip(line.substring(0, delimiter));
      if (k.isEmpty()) {
        throw new SyntaxError(lineNo, "an option without a name: \"" + line + "\"");
      }
      if (current == null) {
        throw new SyntaxError(lineNo, "an option before any [section] header: \"" + line + "\"");
      }
      String v = strip(line.substring(delimiter + 1));
      if (v.length() >= 2
          && v.charAt(0) == v.charAt(v.length() - 1)
          && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
        v = v.substring(1, v.length() - 1);
      }
      key = k;
      keyLine = lineNo;
      value = new ArrayList<>();
      value.add(v);
    }
    if (key != null) {
      current.put(key, value, keyLine);
    }
    ImmutableList.Builder<Section> out = ImmutableList.builder();
    ImmutableMap<String, Option> defaults = ImmutableMap.of();
    for (OsloSection s : sections.values()) {
      if (s.name.equals(DEFAULT_SECTION)) {
        defaults = ImmutableMap.copyOf(s.options);
      } else {
        out.add(new Section(s.name, s.line, ImmutableMap.copyOf(s.options)));
      }
    }
    return new IniFile(out.build(), defaults);
  }

  /** Mutable state of one oslo.config section while reading: the last value of each key wins. */
  private static final class OsloSection {
    final String name;
    final int line;
    final Map<String, Option> options = new LinkedHashMap<>();

    OsloSection(String name, int line) {
      this.name = name;
      this.line = line;
    }

    void put(String key, List<String> value, int line) {
      options.remove(key);
      options.put(key, new Option(key, String.join("\n", value), line, name));
    }
  }

  private static int firstDelimiter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '=' || c == ':') {
        return i;
      }
    }
    return -1;
  }
}
