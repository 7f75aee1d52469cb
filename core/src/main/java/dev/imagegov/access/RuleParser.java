package dev.imagegov.access;

import dev.imagegov.error.ConfigurationException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses one oslo.policy rule expression into {@link Node}s.
 *
 * <p>Tokens are split on whitespace as oslo.policy does; leading {@code (} and trailing {@code )}
 * of a token are separate tokens; {@code and}, {@code or}, {@code not} are keywords in any case.
 * Precedence: {@code not} binds tighter than {@code and}, which binds tighter than {@code or}.
 * Unlike oslo.policy, which quietly turns a rule it cannot understand into "never", every
 * malformed expression is refused with a {@link dev.imagegov.error.ConfigurationException}.
 *
 * <p>Nesting is bounded: each {@code (} and each {@code not} opens a level, a check is one, and an
 * expression nested deeper than {@link #MAX_DEPTH} levels is refused, so neither this parser nor
 * the evaluation of its {@link Node}s can exhaust the stack. {@link Policy} applies the same bound
 * across {@code rule:} references, each of which counts as one level.
 */
final class RuleParser {
  /** The deepest nesting of a rule, counting parentheses, {@code not} and rule references. */
  static final int MAX_DEPTH = 64;

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

  private enum Kind {
    LPAREN,
    RPAREN,
    AND,
    OR,
    NOT,
    CHECK
  }

  private static final class Token {
    final Kind kind;
    final String text;

    Token(Kind kind, String text) {
      this.kind = kind;
      this.text = text;
    }
  }

  private final String rule;
  private final String source;
  private final Consumer<Node.RuleRef> references;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  /** Levels open at {@link #pos}, and the most ever open. */
  private int depth;
  private int maxDepth;

  /** A parsed rule and its own nesting depth (rule references count one level each). */
  record Parsed(Node node, int depth) {}

  private RuleParser(String rule, String source, Consumer<Node.RuleRef> references) {
    this.rule = rule;
    this.source = source;
    this.references = references;
  }

  /**
   * Parses {@code source}, the check string of rule {@code rule}, reporting every {@code rule:x}
   * reference to {@code references} so the caller can link and check them.
   *
   * @throws ConfigurationException naming the rule
   */
  static Parsed parse(String rule, String source, Consumer<Node.RuleRef> references) {
    RuleParser parser = new RuleParser(rule, source, references);
    Node node = parser.parse();
    return new Parsed(node, parser.maxDepth);
  }

  private Node parse() {
    if (source.isEmpty()) {
      maxDepth = 1;
      return new Node.Const("", true);
    }
    tokenize();
    if (tokens.isEmpty()) {
      throw fail(
          "the check string is blank (write \"\" or @ to allow everyone, ! to allow no one)");
    }
    Node n = orExpr();
    if (pos < tokens.size()) {
      Token extra = tokens.get(pos);
      throw fail(
          extra.kind == Kind.RPAREN
              ? "unbalanced parentheses: unexpected ')' after a complete expression"
              : "unexpected " + describe(extra) + " after a complete expression");
    }
    return n;
  }

  private void tokenize() {
    int i = 0;
    int n = source.length();
    while (i < n) {
      while (i < n && isSpace(source.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < n && !isSpace(source.charAt(i))) {
        i++;
      }
      if (start < i) {
        word(source.substring(start, i));
      }
    }
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private void word(String word) {
    int lead = 0;
    while (lead < word.length() && word.charAt(lead) == '(') {
      tokens.add(new Token(Kind.LPAREN, "("));
      lead++;
    }
    String rest = word.substring(lead);
    if (rest.isEmpty()) {
      return;
    }
    int end = rest.length();
    while (end > 0 && rest.charAt(end - 1) == ')') {
      end--;
    }
    String clean = rest.substring(0, end);
    int trailing = rest.length() - end;
    if (!clean.isEmpty()) {
      switch (clean.toLowerCase(Locale.ROOT)) {
        case "and":
          tokens.add(new Token(Kind.AND, clean));
          break;
        case "or":
          tokens.add(new Token(Kind.OR, clean));
          break;
        case "not":
          tokens.add(new Token(Kind.NOT, clean));
          break;
        default:
          tokens.add(new Token(Kind.CHECK, clean));
          break;
      }
    }
    for (int t = 0; t < trailing; t++) {
      tokens.add(new Token(Kind.RPAREN, ")"));
    }
  }

  private Node orExpr() {
    List<Node> operands = new ArrayList<>();
    operands.add(andExpr());
    while (accept(Kind.OR)) {
      operands.add(andExpr());
    }
    return operands.size() == 1 ? operands.get(0) : new Node.Or(operands);
  }

  private Node andExpr() {
    List<Node> operands = new ArrayList<>();
    operands.add(notExpr());
    while (accept(Kind.AND)) {
      operands.add(notExpr());
    }
    return operands.size() == 1 ? operands.get(0) : new Node.And(operands);
  }

  private Node notExpr() {
    int opened = 0;
    while (accept(Kind.NOT)) {
      open();
      opened++;
    }
    Node n = primary();
    for (int i = 0; i < opened; i++) {
      n = new Node.Not(n);
    }
    depth -= opened;
    return n;
  }

  /** Opens one level of nesting, refusing the rule past {@link #MAX_DEPTH}. */
  private void open() {
    depth++;
    if (depth > MAX_DEPTH) {
      throw fail("nested deeper than " + MAX_DEPTH + " levels (parentheses and not)");
    }
    maxDepth = Math.max(maxDepth, depth);
  }

  private Node primary() {
    if (pos >= tokens.size()) {
      throw fail("the expression ends where a check or '(' was expected");
    }
    Token t = tokens.get(pos++);
    switch (t.kind) {
      case LPAREN:
        open();
        Node inner = orExpr();
        if (!accept(Kind.RPAREN)) {
          throw fail(
              pos >= tokens.size()
                  ? "unbalanced parentheses: '(' is never closed"
                  : "expected ')' but found " + describe(tokens.get(pos)));
        }
        depth--;
        return inner;
      case CHECK:
        open();
        Node check = check(t.text);
        depth--;
        return check;
      case RPAREN:
        throw fail("unbalanced parentheses: unexpected ')'");
      default:
        throw fail("unexpected " + describe(t) + " where a check or '(' was expected");
    }
  }

  private boolean accept(Kind kind) {
    if (pos < tokens.size() && tokens.get(pos).kind == kind) {
      pos++;
      return true;
    }
    return false;
  }

  private static String describe(Token t) {
    return t.kind == Kind.CHECK ? "check '" + t.text + "'" : "'" + t.text + "'";
  }

  private Node check(String text) {
    if (text.equals("@")) {
      return new Node.Const(text, true);
    }
    if (text.equals("!")) {
      return new Node.Const(text, false);
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw fail("'" + text + "' is not a check: expected kind:match, @ or !");
    }
    String kind = text.substring(0, colon);
    String match = text.substring(colon + 1);
    if (kind.isEmpty()) {
      throw fail("check '" + text + "' has nothing before ':'");
    }
    if (match.isEmpty()) {
      throw fail("check '" + text + "' has nothing after ':'");
    }
    switch (kind) {
      case "rule":
        Node.RuleRef ref = new Node.RuleRef(text, match, depth);
        references.accept(ref);
        return ref;
      case "role":
        return new Node.Role(text, template(text, match));
      case "http":
      case "https":
        throw fail("check '" + text + "': remote (http/https) checks are not supported");
      default:
        break;
    }
    Template t = template(text, match);
    String literal = literal(kind);
    if (literal != null) {
      return new Node.LiteralCheck(text, literal, t);
    }
    if (kind.charAt(0) == '\'' || kind.charAt(0) == '"') {
      throw fail("check '" + text + "': malformed quoted literal " + kind);
    }
    if (!ATTRIBUTE.matcher(kind).matches()) {
      throw fail(
          "check '" + text + "': '" + kind + "' is neither a caller attribute nor a literal");
    }
    return new Node.CredentialCheck(text, kind, t);
  }

  /** The value of a Python literal on a check's left side, or null if {@code kind} is none. */
  private static @Nullable String literal(String kind) {
    char first = kind.charAt(0);
    if ((first == '\'' || first == '"') && kind.length() >= 2
        && kind.charAt(kind.length() - 1) == first) {
      String inner = kind.substring(1, kind.length() - 1);
      if (inner.indexOf(first) < 0 && inner.indexOf('\\') < 0) {
        return inner;
      }
      return null;
    }
    switch (kind) {
      case "True":
      case "False":
      case "None":
        return kind;
      default:
        break;
    }
    if (INTEGER.matcher(kind).matches()) {
      return new BigInteger(kind).toString();
    }
    return null;
  }

  private Template template(String check, String match) {
    String[] error = new String[1];
    Template t = Template.parse(match, error);
    if (t == null) {
      throw fail("check '" + check + "': " + error[0]);
    }
    return t;
  }

  private ConfigurationException fail(String what) {
    return new ConfigurationException("policy rule \"" + rule + "\" (\"" + source + "\"): " + what);
  }
}
