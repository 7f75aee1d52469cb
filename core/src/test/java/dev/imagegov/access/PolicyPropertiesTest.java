package dev.imagegov.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.imagegov.error.ConfigurationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Properties of the engine: generated rules evaluate as a direct reading of the expression does,
 * {@link Policy#decide} always agrees with {@link Policy#allows}, and malformed input only ever
 * produces a {@link dev.imagegov.error.ConfigurationException}.
 */
class PolicyPropertiesTest {
  private static final Policy BASE =
      Policy.secureDefaults().withRule("helper", "role:member and project_id:%(owner)s");

  /** What a generated expression is evaluated against. */
  private static final class Env {
    final Caller caller;
    final Set<String> roles = new HashSet<>();
    final Map<String, String> target = new HashMap<>();

    Env(Random r) {
      String[] projects = {"p1", "p2", null};
      String project = projects[r.nextInt(3)];
      List<String> given = new ArrayList<>();
      for (String role : new String[] {"admin", "Member", "reader", "observer"}) {
        if (r.nextInt(3) == 0) {
          given.add(role);
        }
      }
      String[] g = given.toArray(new String[0]);
      caller = project == null ? Caller.withoutProject(g) : Caller.of(project, g);
      for (String role : given) {
        roles.add(role.toLowerCase(Locale.ROOT));
      }
      if (roles.contains("admin")) {
        roles.add("member");
      }
      if (roles.contains("member")) {
        roles.add("reader");
      }
      String[] values = {"p1", "p2", null};
      put("owner", values[r.nextInt(3)]);
      put("member", values[r.nextInt(3)]);
      String[] vis = {"public", "shared", "private", null};
      put("visibility", vis[r.nextInt(4)]);
    }

    private void put(String k, String v) {
      if (v != null) {
        target.put(k, v);
      }
    }

    String project() {
      return caller.project().map(p -> p.value()).orElse(null);
    }

    boolean projectIs(String key) {
      return project() != null && project().equals(target.get(key));
    }
  }

  private static final List<String> ATOM_TEXT = new ArrayList<>();
  private static final List<Predicate<Env>> ATOM_EVAL = new ArrayList<>();

  private static void atom(String text, Predicate<Env> eval) {
    ATOM_TEXT.add(text);
    ATOM_EVAL.add(eval);
  }

  static {
    atom("role:admin", e -> e.roles.contains("admin"));
    atom("role:member", e -> e.roles.contains("member"));
    atom("role:READER", e -> e.roles.contains("reader"));
    atom("role:observer", e -> e.roles.contains("observer"));
    atom("project_id:%(owner)s", e -> e.projectIs("owner"));
    atom("project_id:%(member)s", e -> e.projectIs("member"));
    atom("'public':%(visibility)s", e -> "public".equals(e.target.get("visibility")));
    atom("\"shared\":%(visibility)s", e -> "shared".equals(e.target.get("visibility")));
    atom("is_admin:True", e -> e.roles.contains("admin"));
    atom("project_id:p1", e -> "p1".equals(e.project()));
    atom("@", e -> true);
    atom("!", e -> false);
    atom("rule:helper", e -> e.roles.contains("member") && e.projectIs("owner"));
  }

  /** A generated expression with its own, direct semantics. */
  private abstract static class Expr {
    abstract boolean eval(Env env);

    abstract int precedence();

    abstract String render(Random style);

    String renderIn(int parentPrecedence, Random style) {
      String s = render(style);
      return precedence() < parentPrecedence || style.nextInt(8) == 0 ? paren(s, style) : s;
    }

    static String paren(String s, Random style) {
      return style.nextBoolean() ? "(" + s + ")" : "( " + s + " )";
    }
  }

  private static final class Atom extends Expr {
    final int i;

    Atom(int i) {
      this.i = i;
    }

    @Override
    boolean eval(Env env) {
      return ATOM_EVAL.get(i).test(env);
    }

    @Override
    int precedence() {
      return 4;
    }

    @Override
    String render(Random style) {
      return ATOM_TEXT.get(i);
    }
  }

  private static final class Not extends Expr {
    final Expr e;

    Not(Expr e) {
      this.e = e;
    }

    @Override
    boolean eval(Env env) {
      return !e.eval(env);
    }

    @Override
    int precedence() {
      return 3;
    }

    @Override
    String render(Random style) {
      return keyword("not", style) + " " + e.renderIn(3, style);
    }
  }

  private static final class Bin extends Expr {
    final boolean and;
    final Expr l;
    final Expr r;

    Bin(boolean and, Expr l, Expr r) {
      this.and = and;
      this.l = l;
      this.r = r;
    }

    @Override
    boolean eval(Env env) {
      return and ? l.eval(env) && r.eval(env) : l.eval(env) || r.eval(env);
    }

    @Override
    int precedence() {
      return and ? 2 : 1;
    }

    @Override
    String render(Random style) {
      // the right operand of an operator is parenthesized when it has the same precedence too,
      // so that the rendering keeps the tree's grouping exactly
      return l.renderIn(precedence(), style)
          + " "
          + keyword(and ? "and" : "or", style)
          + (style.nextBoolean() ? " " : "\t")
          + r.renderIn(precedence() + 1, style);
    }
  }

  private static String keyword(String k, Random style) {
    int pick = style.nextInt(4);
    return pick == 0 ? k.toUpperCase(Locale.ROOT) : pick == 1 ? Character.toUpperCase(k.charAt(0)) + k.substring(1) : k;
  }

  private static Expr expr(Random r, int depth) {
    int choice = depth <= 0 ? 0 : r.nextInt(5);
    switch (choice) {
      case 1:
        return new Not(expr(r, depth - 1));
      case 2:
      case 3:
        return new Bin(r.nextBoolean(), expr(r, depth - 1), expr(r, depth - 1));
      default:
        return new Atom(r.nextInt(ATOM_TEXT.size()));
    }
  }

  @Test
  void generatedRulesEvaluateAsTheirDirectReading() {
    qt().withExamples(1500)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              Expr e = expr(r, 1 + r.nextInt(5));
              String text = e.render(r);
              Policy p = BASE.withRule("generated", text);
              for (int i = 0; i < 8; i++) {
                Env env = new Env(r);
                PolicyTarget t = PolicyTarget.of(env.target);
                boolean fast = p.allows("generated", env.caller, t);
                assertThat(fast).as("%s for %s on %s", text, env.caller, env.target).isEqualTo(e.eval(env));
                Decision d = p.decide("generated", env.caller, t);
                assertThat(d.allowed()).as(text).isEqualTo(fast);
                DecisionTest.assertConsistent(d.explanation());
              }
            });
  }

  @Test
  void decideAgreesWithAllowsForEveryDefaultRule() {
    Policy[] policies = {Policy.secureDefaults(), Policy.legacyDefaults()};
    qt().withExamples(500)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              Env env = new Env(r);
              PolicyTarget t = PolicyTarget.of(env.target);
              for (Policy p : policies) {
                for (String rule : p.ruleNames()) {
                  assertThat(p.decide(rule, env.caller, t).allowed())
                      .as(rule)
                      .isEqualTo(p.allows(rule, env.caller, t));
                }
              }
            });
  }

  private static final String[] GARBAGE = {
    "(", ")", "and", "or", "not", "role:", "role:admin", "rule:", "rule:get_image", "rule:nope",
    ":", "%(", ")s", "%(owner)s", "'", "\"", "project_id:%(owner)s", "@", "!", "x", "%", "%%",
    "'public':%(visibility)s", "http:", "é", "\t", "", "is_admin:True", "True:", "1:", "AND", "()"
  };

  private static void assertOnlyInvalidConfiguration(Runnable r, String input) {
    try {
      r.run();
    } catch (ConfigurationException e) {
    } catch (RuntimeException | Error e) {
      fail("input " + input + " raised " + e, e);
    }
  }

  @Test
  void garbageRuleStringsOnlyEverGiveInvalidConfiguration() {
    qt().withExamples(3000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              StringBuilder s = new StringBuilder();
              int n = r.nextInt(10);
              for (int i = 0; i < n; i++) {
                s.append(GARBAGE[r.nextInt(GARBAGE.length)]).append(r.nextBoolean() ? " " : "");
              }
              String text = s.toString();
              assertOnlyInvalidConfiguration(
                  () -> {
                    Policy p = BASE.withRule("garbage", text);
                    Env env = new Env(r);
                    p.decide("garbage", env.caller, PolicyTarget.of(env.target));
                    p.allows("garbage", env.caller, PolicyTarget.of(env.target));
                  },
                  text);
            });
  }

  @Test
  void arbitraryStringsOnlyEverGiveInvalidConfiguration() {
    qt().withExamples(2000)
        .forAll(strings().allPossible().ofLengthBetween(0, 30))
        .checkAssert(text -> assertOnlyInvalidConfiguration(() -> BASE.withRule("arbitrary", text), text));
  }

  @Test
  void unbalancedParenthesesAreAlwaysInvalidConfiguration() {
    qt().withExamples(500)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              String text = expr(r, 1 + r.nextInt(4)).render(r);
              String broken = r.nextBoolean() ? "(" + text : text + ")";
              assertThatThrownBy(() -> BASE.withRule("broken", broken))
                  .as(broken)
                  .hasMessageContaining("broken")
                  .hasMessageContaining("unbalanced parentheses")
                  .isInstanceOf(ConfigurationException.class);
            });
  }

  @Test
  void unknownRuleReferencesAreAlwaysInvalidConfiguration() {
    qt().withExamples(300)
        .forAll(longs().all(), strings().basicLatinAlphabet().ofLengthBetween(1, 12))
        .checkAssert(
            (seed, name) -> {
              String ref = "undefined_" + name.replaceAll("[\\s()]", "_");
              Random r = new Random(seed);
              String text = expr(r, 1 + r.nextInt(3)).render(r) + " or rule:" + ref;
              assertThatThrownBy(() -> BASE.withRule("referring", text))
                  .as(text)
                  .hasMessageContaining("referring")
                  .isInstanceOf(ConfigurationException.class);
            });
  }

  private static final String[] DOCUMENT_GARBAGE = {
    "{", "}", "[", "]", ":", ": ", ",", "\"", "'", "\n", "  ", "- ", "get_image", "\"get_image\"",
    "rule:x", "role:admin", "\"role:admin\"", "#", "&a ", "*a", "!!str ", "! ", "%(owner)s", "null",
    "1", "true", "---\n", "? ", "\t", "\"rule:get_image\"", "\"\"", "é", "\\u0000", "~"
  };

  @Test
  void garbagePolicyDocumentsOnlyEverGiveInvalidConfiguration() {
    qt().withExamples(3000)
        .forAll(longs().all())
        .checkAssert(
            seed -> {
              Random r = new Random(seed);
              StringBuilder s = new StringBuilder();
              int n = r.nextInt(14);
              for (int i = 0; i < n; i++) {
                s.append(DOCUMENT_GARBAGE[r.nextInt(DOCUMENT_GARBAGE.length)]);
              }
              String doc = s.toString();
              for (Policy.Format f : Policy.Format.values()) {
                assertOnlyInvalidConfiguration(() -> Policy.parse(doc, f), f + ": " + doc);
              }
            });
  }

  @Test
  void arbitraryPolicyDocumentsOnlyEverGiveInvalidConfiguration() {
    qt().withExamples(1000)
        .forAll(strings().allPossible().ofLengthBetween(0, 40))
        .checkAssert(
            doc -> {
              for (Policy.Format f : Policy.Format.values()) {
                assertOnlyInvalidConfiguration(() -> Policy.parse(doc, f), f + ": " + doc);
              }
            });
  }
}
