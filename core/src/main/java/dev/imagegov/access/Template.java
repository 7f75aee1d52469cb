package dev.imagegov.access;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The right-hand side of a check: literal text with {@code %(key)s} placeholders filled from the
 * target (Python's {@code %}-formatting with a mapping; {@code %%} is a literal percent sign).
 * Parsed once; filling it allocates only when it mixes text and placeholders.
 */
final class Template {
  private final String text;
  private final ImmutableList<String> parts;
  private final boolean[] isKey;

  private Template(String text, List<String> parts, List<Boolean> keys) {
    this.text = text;
    this.parts = ImmutableList.copyOf(parts);
    this.isKey = new boolean[keys.size()];
    for (int i = 0; i < isKey.length; i++) {
      isKey[i] = keys.get(i);
    }
  }

  /**
   * Parses {@code text}.
   *
   * @return the template, or null with {@code error[0]} set when {@code text} is malformed
   */
  static @Nullable Template parse(String text, String[] error) {
    List<String> parts = new ArrayList<>();
    List<Boolean> keys = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '%') {
        literal.append(c);
        i++;
        continue;
      }
      if (i + 1 < text.length() && text.charAt(i + 1) == '%') {
        literal.append('%');
        i += 2;
        continue;
      }
      if (i + 1 >= text.length() || text.charAt(i + 1) != '(') {
        error[0] = "'%' must start a %(key)s placeholder or be doubled as %% in \"" + text + "\"";
        return null;
      }
      int close = text.indexOf(')', i + 2);
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != 's') {
        error[0] = "placeholder is not of the form %(key)s in \"" + text + "\"";
        return null;
      }
      String key = text.substring(i + 2, close);
      if (key.isEmpty()) {
        error[0] = "empty placeholder %()s in \"" + text + "\"";
        return null;
      }
      if (literal.length() > 0) {
        parts.add(literal.toString());
        keys.add(false);
        literal.setLength(0);
      }
      parts.add(key);
      keys.add(true);
      i = close + 2;
    }
    if (literal.length() > 0 || parts.isEmpty()) {
      parts.add(literal.toString());
      keys.add(false);
    }
    return new Template(text, parts, keys);
  }

  /** The template as written. */
  String text() {
    return text;
  }

  /** The placeholder key when the template is exactly one placeholder, else null. */
  @Nullable String singleKey() {
    return parts.size() == 1 && isKey[0] ? parts.get(0) : null;
  }

  /** The text when the template has no placeholder, else null. */
  @Nullable String constant() {
    return parts.size() == 1 && !isKey[0] ? parts.get(0) : null;
  }

  /** The placeholder keys, in order. */
  List<String> keys() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < isKey.length; i++) {
      if (isKey[i]) {
        out.add(parts.get(i));
      }
    }
    return out;
  }

  /** The filled-in text, or null if the target lacks a value for some placeholder. */
  @Nullable String fill(EvalContext ctx) {
    if (parts.size() == 1) {
      return isKey[0] ? ctx.targetValue(parts.get(0)) : parts.get(0);
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < isKey.length; i++) {
      if (isKey[i]) {
        String v = ctx.targetValue(parts.get(i));
        if (v == null) {
          return null;
        }
        out.append(v);
      } else {
        out.append(parts.get(i));
      }
    }
    return out.toString();
  }

  /** The first placeholder the target has no value for, or null. */
  @Nullable String missingKey(EvalContext ctx) {
    for (int i = 0; i < isKey.length; i++) {
      if (isKey[i] && ctx.targetValue(parts.get(i)) == null) {
        return parts.get(i);
      }
    }
    return null;
  }

  /** A description of the filled-in value for explanations, e.g. {@code target owner p1}. */
  String describe(EvalContext ctx) {
    String single = singleKey();
    if (single != null) {
      String v = ctx.targetValue(single);
      return v == null ? "target has no " + single : "target " + single + " " + v;
    }
    String c = constant();
    if (c != null) {
      return "'" + c + "'";
    }
    String missing = missingKey(ctx);
    if (missing != null) {
      return "target has no " + missing;
    }
    return "'" + fill(ctx) + "'";
  }
}
