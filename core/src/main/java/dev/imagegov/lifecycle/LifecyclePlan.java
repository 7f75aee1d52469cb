package dev.imagegov.lifecycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.internal.Render;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RetentionPolicy} does to a family at an instant: the transitions, in the order
 * they are applied (an image may move twice, deprecated then obsolete), and the transitions left
 * out because the version is protected or in use. {@link Lifecycle#apply} performs exactly the
 * transitions and nothing else. Renders as JSON ({@link #toJson}) and Markdown ({@link
 * #toMarkdown}). Immutable.
 *
 * @param family the family planned
 * @param policy the policy evaluated
 * @param at the instant the plan was made for; applied transitions record it as their {@code
 *     since}
 * @param transitions the transitions to apply, in order
 * @param skipped the transitions the rules would cause but the plan leaves out
 */
public record LifecyclePlan(
    Family family,
    RetentionPolicy policy,
    Instant at,
    List<Transition> transitions,
    List<Skip> skipped) {
  /**
   * Checks that the family, policy and instant are present and copies the lists.
   *
   * @param family the family planned for
   * @param policy the retention policy the plan follows
   * @param at the instant the plan was computed for
   * @param transitions the planned moves, in order
   * @param skipped the versions left alone, each with the reason
   */
  public LifecyclePlan {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(at, "at");
    transitions = List.copyOf(transitions);
    skipped = List.copyOf(skipped);
  }

  /** {@return whether the plan moves nothing} */
  public boolean isEmpty() {
    return transitions.isEmpty();
  }

  /**
   * {@return the plan as a JSON document: family, policy, at, transitions and skipped, in order}
   */
  public String toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode doc = f.objectNode();
    doc.put("family", family.name()).put("owner", family.owner().value())
        .put("policy", policy.toString()).put("at", at.toString());
    ArrayNode moves = doc.putArray("transitions");
    for (Transition t : transitions) {
      moves.addObject().put("image", t.image().value()).put("from", t.from().wireName())
          .put("to", t.to().wireName()).put("rule", t.rule()).put("reason", t.reason());
    }
    ArrayNode left = doc.putArray("skipped");
    for (Skip s : skipped) {
      left.addObject().put("image", s.image().value()).put("rule", s.rule())
          .put("reason", s.reason());
    }
    return Render.json(doc);
  }

  /** {@return the plan as Markdown: a heading, a table of transitions, one of skipped versions} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder();
    out.append("## Lifecycle plan for ").append(Render.cell(family.toString())).append("\n\n")
        .append("Policy: ").append(policy).append(". At: ").append(at).append(".\n\n");
    if (transitions.isEmpty()) {
      out.append("No transitions.\n");
    } else {
      out.append("| Image | From | To | Rule | Reason |\n|---|---|---|---|---|\n");
      for (Transition t : transitions) {
        out.append("| ").append(t.image()).append(" | ").append(t.from().wireName())
            .append(" | ").append(t.to().wireName()).append(" | ").append(t.rule())
            .append(" | ").append(Render.cell(t.reason())).append(" |\n");
      }
    }
    if (!skipped.isEmpty()) {
      out.append("\nLeft alone:\n\n| Image | Rule | Reason |\n|---|---|---|\n");
      for (Skip s : skipped) {
        out.append("| ").append(s.image()).append(" | ").append(s.rule()).append(" | ")
            .append(Render.cell(s.reason())).append(" |\n");
      }
    }
    return out.toString();
  }
}
