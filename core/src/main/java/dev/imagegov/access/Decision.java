package dev.imagegov.access;

import java.util.Objects;

/**
 * The answer of {@link Policy#decide}: whether a rule allows a caller to act on a target, the
 * rule evaluated, and an {@link Explanation} tree saying why. Immutable; {@link #allowed()} is
 * always the same answer {@link Policy#allows} gives for the same arguments.
 */
public final class Decision {
  private final String rule;
  private final boolean allowed;
  private final Explanation explanation;

  Decision(String rule, boolean allowed, Explanation explanation) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.allowed = allowed;
    this.explanation = Objects.requireNonNull(explanation, "explanation");
  }

  /** {@return whether the rule allows it} */
  public boolean allowed() {
    return allowed;
  }

  /** {@return the name of the rule evaluated} */
  public String rule() {
    return rule;
  }

  /** {@return why: the evaluated rule's expression as a tree of checks and their results} */
  public Explanation explanation() {
    return explanation;
  }

  /**
   * A readable multi-line trace: a first line {@code rule = ALLOW} or {@code rule = DENY}, then
   * the explanation tree indented below it.
   *
   * @return a readable multi-line trace: a first line {@code rule = ALLOW} or {@code rule = DENY},
   *     then the explanation tree indented below it
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(rule).append(" = ").append(allowed ? "ALLOW" : "DENY").append('\n');
    explanation.renderTo(out, 1);
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Decision)) {
      return false;
    }
    Decision d = (Decision) o;
    return rule.equals(d.rule) && allowed == d.allowed && explanation.equals(d.explanation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(rule, allowed, explanation);
  }

  @Override
  public String toString() {
    return render();
  }
}
