package dev.imagegov.access;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A compiled rule expression. {@link #eval} is the fast path (no allocation beyond what a target
 * lookup needs); {@link #explain} computes the same result and records why. Nodes are built by
 * {@link RuleParser} and linked by {@link Policy}; once the policy is published they never change.
 */
abstract class Node {
  final String text;

  Node(String text) {
    this.text = text;
  }

  abstract boolean eval(EvalContext c);

  abstract Explanation explain(EvalContext c);

  /** {@code @}, {@code !} and the empty rule. */
  static final class Const extends Node {
    final boolean value;

    Const(String text, boolean value) {
      super(text);
      this.value = value;
    }

    @Override
    boolean eval(EvalContext c) {
      return value;
    }

    @Override
    Explanation explain(EvalContext c) {
      String detail = text.isEmpty() ? "empty rule: always" : value ? "always" : "never";
      return Explanation.leaf(text, value, detail);
    }
  }

  /** {@code a and b and …}; true when every operand is. */
  static final class And extends Node {
    final Node[] operands;

    And(List<Node> operands) {
      super("and");
      this.operands = operands.toArray(new Node[0]);
    }

    @Override
    boolean eval(EvalContext c) {
      for (Node n : operands) {
        if (!n.eval(c)) {
          return false;
        }
      }
      return true;
    }

    @Override
    Explanation explain(EvalContext c) {
      ImmutableList.Builder<Explanation> children =
          ImmutableList.builderWithExpectedSize(operands.length);
      boolean all = true;
      for (Node n : operands) {
        Explanation e = n.explain(c);
        children.add(e);
        all &= e.result();
      }
      return Explanation.node(text, all, "", children.build());
    }
  }

  /** {@code a or b or …}; true when some operand is. */
  static final class Or extends Node {
    final Node[] operands;

    Or(List<Node> operands) {
      super("or");
      this.operands = operands.toArray(new Node[0]);
    }

    @Override
    boolean eval(EvalContext c) {
      for (Node n : operands) {
        if (n.eval(c)) {
          return true;
        }
      }
      return false;
    }

    @Override
    Explanation explain(EvalContext c) {
      ImmutableList.Builder<Explanation> children =
          ImmutableList.builderWithExpectedSize(operands.length);
      boolean any = false;
      for (Node n : operands) {
        Explanation e = n.explain(c);
        children.add(e);
        any |= e.result();
      }
      return Explanation.node(text, any, "", children.build());
    }
  }

  /** {@code not a}. */
  static final class Not extends Node {
    final Node operand;

    Not(Node operand) {
      super("not");
      this.operand = operand;
    }

    @Override
    boolean eval(EvalContext c) {
      return !operand.eval(c);
    }

    @Override
    Explanation explain(EvalContext c) {
      Explanation e = operand.explain(c);
      return Explanation.node(text, !e.result(), "", ImmutableList.of(e));
    }
  }

  /** {@code role:name}: the caller holds the role, directly or implied (case-insensitive). */
  static final class Role extends Node {
    final Template role;
    final @Nullable String constant;
    /** Bit in the caller's role mask, or -1 when the effective-role set must be consulted. */
    int bit = -1;

    Role(String text, Template role) {
      super(text);
      this.role = role;
      String c = role.constant();
      this.constant = c == null ? null : c.toLowerCase(Locale.ROOT);
    }

    @Override
    boolean eval(EvalContext c) {
      if (constant != null) {
        return bit >= 0 ? (c.roleMask() & (1L << bit)) != 0 : c.effectiveRoles().contains(constant);
      }
      String v = role.fill(c);
      return v != null && c.effectiveRoles().contains(v.toLowerCase(Locale.ROOT));
    }

    @Override
    Explanation explain(EvalContext c) {
      boolean r = eval(c);
      String detail = c.rolesDetail();
      if (constant == null) {
        String v = role.fill(c);
        String described = v == null ? role.describe(c) : "role " + v.toLowerCase(Locale.ROOT);
        detail = described + "; " + detail;
      }
      return Explanation.leaf(text, r, detail);
    }
  }

  /** {@code rule:name}: the named rule's result. */
  static final class RuleRef extends Node {
    final String name;
    /** The nesting depth of this reference inside its rule (1 at the top level). */
    final int level;
    @Nullable Node target;

    RuleRef(String text, String name, int level) {
      super(text);
      this.name = name;
      this.level = level;
    }

    @Override
    boolean eval(EvalContext c) {
      return linked().eval(c);
    }

    @Override
    Explanation explain(EvalContext c) {
      Explanation e = linked().explain(c);
      return Explanation.node(text, e.result(), "", ImmutableList.of(e));
    }

    private Node linked() {
      Node t = target;
      if (t == null) {
        throw new IllegalStateException("rule reference " + name + " was never linked");
      }
      return t;
    }
  }

  /** The caller attributes a generic check may name on its left side. */
  enum Credential {
    PROJECT_ID("project_id"),
    USER_ID("user_id"),
    IS_ADMIN("is_admin"),
    ROLES("roles"),
    /** An attribute imagegov callers do not have: the check never matches. */
    ABSENT("");

    final String label;

    Credential(String label) {
      this.label = label;
    }

    static Credential named(String name) {
      switch (name) {
        case "project_id":
        case "tenant":
          return PROJECT_ID;
        case "user_id":
        case "user":
          return USER_ID;
        case "is_admin":
          return IS_ADMIN;
        case "roles":
          return ROLES;
        default:
          return ABSENT;
      }
    }
  }

  /** {@code attr:match}: a caller attribute equals the filled-in match (oslo.policy's generic
   * check). */
  static final class CredentialCheck extends Node {
    final Credential credential;
    final String attribute;
    final Template match;
    final @Nullable String singleKey;

    CredentialCheck(String text, String attribute, Template match) {
      super(text);
      this.credential = Credential.named(attribute);
      this.attribute = attribute;
      this.match = match;
      this.singleKey = match.singleKey();
    }

    @Override
    boolean eval(EvalContext c) {
      String v = singleKey != null ? c.targetValue(singleKey) : match.fill(c);
      if (v == null) {
        return false;
      }
      switch (credential) {
        case PROJECT_ID:
          return v.equals(c.project());
        case USER_ID:
          return v.equals(c.user());
        case IS_ADMIN:
          return v.equals(c.isAdmin() ? "True" : "False");
        case ROLES:
          return c.effectiveRoles().contains(v);
        default:
          return false;
      }
    }

    @Override
    Explanation explain(EvalContext c) {
      boolean r = eval(c);
      String right = match.describe(c);
      if (match.missingKey(c) != null) {
        return Explanation.leaf(text, r, right);
      }
      String left;
      switch (credential) {
        case PROJECT_ID:
          left = c.project() == null
              ? "caller has no project_id"
              : "caller project_id " + c.project();
          break;
        case USER_ID:
          left = c.user() == null ? "caller has no user_id" : "caller user_id " + c.user();
          break;
        case IS_ADMIN:
          left = "caller is_admin " + (c.isAdmin() ? "True" : "False");
          break;
        case ROLES:
          left = "caller roles [" + c.rolesText() + "]";
          return Explanation.leaf(text, r, left + (r ? " contain " : " lack ") + right);
        default:
          left = "callers have no attribute " + attribute;
          break;
      }
      return Explanation.leaf(text, r, left + (r ? " = " : " ≠ ") + right);
    }
  }

  /** {@code 'literal':match}: a quoted (or Python) literal equals the filled-in match. */
  static final class LiteralCheck extends Node {
    final String literal;
    final Template match;
    final @Nullable String singleKey;

    LiteralCheck(String text, String literal, Template match) {
      super(text);
      this.literal = literal;
      this.match = match;
      this.singleKey = match.singleKey();
    }

    @Override
    boolean eval(EvalContext c) {
      String v = singleKey != null ? c.targetValue(singleKey) : match.fill(c);
      return literal.equals(v);
    }

    @Override
    Explanation explain(EvalContext c) {
      boolean r = eval(c);
      String right = match.describe(c);
      if (match.missingKey(c) != null) {
        return Explanation.leaf(text, r, right);
      }
      return Explanation.leaf(text, r, "'" + literal + "'" + (r ? " = " : " ≠ ") + right);
    }
  }
}
