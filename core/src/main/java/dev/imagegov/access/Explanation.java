package dev.imagegov.access;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Objects;

/**
 * One node of a decision's explanation: a check as written in the rule ({@code role:admin},
 * {@code project_id:%(owner)s}, {@code rule:get_image}) or an operator ({@code and}, {@code or},
 * {@code not}), the result it produced, a human-readable detail of the values it compared (for
 * example {@code caller project_id p1 = target owner p1}), and the nodes it was computed from.
 *
 * <p>Immutable. An explanation lists every operand of an operator, including those the fast path
 * would skip by short-circuiting, so that a reader sees every reason; the result of each node is
 * nevertheless exactly what {@link Policy#allows} computes for it.
 */
public final class Explanation {
  private final String check;
  private final boolean result;
  private final String detail;
  private final ImmutableList<Explanation> children;

  private Explanation(String check, boolean result, String detail, List<Explanation> children) {
    this.check = Objects.requireNonNull(check, "check");
    this.result = result;
    this.detail = Objects.requireNonNull(detail, "detail");
    this.children = ImmutableList.copyOf(children);
  }

  /**
   * A leaf node. {@code detail} may be empty.
   *
   * @param check the check, as written in the rule
   * @param result what the check evaluated to
   * @param detail what the values were, for the reader
   * @return a leaf node
   */
  public static Explanation leaf(String check, boolean result, String detail) {
    return new Explanation(check, result, detail, ImmutableList.of());
  }

  /**
   * A node computed from {@code children}. {@code detail} may be empty.
   *
   * @param check the check or operator, as written in the rule
   * @param result what the node evaluated to
   * @param detail what the values were, for the reader
   * @param children the nodes of its operands, in order
   * @return a node computed from {@code children}
   */
  public static Explanation node(
      String check, boolean result, String detail, List<Explanation> children) {
    return new Explanation(check, result, detail, children);
  }

  /** {@return the check or operator this node evaluated, as written in the rule} */
  public String check() {
    return check;
  }

  /** {@return what the check evaluated to} */
  public boolean result() {
    return result;
  }

  /**
   * {@return the values compared, or why the check came out as it did; empty when nothing to add}
   */
  public String detail() {
    return detail;
  }

  /** {@return the operands of an operator, or the referenced rule's tree for {@code rule:x}} */
  public ImmutableList<Explanation> children() {
    return children;
  }

  /**
   * This node and its descendants as indented lines, one per node: {@code check → result
   * (detail)}.
   *
   * @return the tree as text, two spaces of indent per level
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    renderTo(out, 0);
    return out.toString();
  }

  void renderTo(StringBuilder out, int depth) {
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
    out.append(check.isEmpty() ? "\"\"" : check).append(" → ").append(result);
    if (!detail.isEmpty()) {
      out.append(" (").append(detail).append(')');
    }
    out.append('\n');
    for (Explanation child : children) {
      child.renderTo(out, depth + 1);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Explanation)) {
      return false;
    }
    Explanation e = (Explanation) o;
    return check.equals(e.check)
        && result == e.result
        && detail.equals(e.detail)
        && children.equals(e.children);
  }

  @Override
  public int hashCode() {
    return Objects.hash(check, result, detail, children);
  }

  @Override
  public String toString() {
    return render();
  }
}
