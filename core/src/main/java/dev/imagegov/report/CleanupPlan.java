package dev.imagegov.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.internal.Render;
import dev.imagegov.model.StoreId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a cleanup does about a {@link HygieneReport}: the actions, in the report's order (at most
 * one per subject: a deletion wins over a deactivation), and the findings left alone because
 * their image is protected or in use. {@link Reports#apply} performs exactly the actions and
 * nothing else. Renders as JSON and Markdown. Immutable.
 *
 * @param at the instant of the report planned from
 * @param actions the actions, in order
 * @param skipped the actionable findings left alone, with reasons
 */
public record CleanupPlan(Instant at, List<CleanupAction> actions, List<CleanupSkip> skipped) {
  /**
   * Checks that the instant is present and copies the lists.
   *
   * @param at the instant of the report planned from
   * @param actions the actions, in order
   * @param skipped the findings left alone, with reasons
   */
  public CleanupPlan {
    Objects.requireNonNull(at, "at");
    actions = List.copyOf(actions);
    skipped = List.copyOf(skipped);
  }

  /** {@return whether the plan does nothing} */
  public boolean isEmpty() {
    return actions.isEmpty();
  }

  /** {@return the bytes per store the plan's deletions free (a deactivation frees none)} */
  public Map<StoreId, Long> freedBytes() {
    Map<StoreId, Long> bytes = new TreeMap<>();
    for (CleanupAction a : actions) {
      if (a.step() != CleanupStep.DEACTIVATE_IMAGE) {
        a.finding().bytes().forEach((s, n) -> bytes.merge(s, n, Long::sum));
      }
    }
    return bytes;
  }

  /** {@return the plan as a JSON document: at, freed bytes, actions and skipped, in order} */
  public String toJson() {
    ObjectNode doc = Render.object();
    doc.put("at", at.toString());
    doc.set("freed_bytes", Render.bytes(freedBytes()));
    ArrayNode list = doc.putArray("actions");
    for (CleanupAction a : actions) {
      list.addObject().put("step", a.step().name().toLowerCase(java.util.Locale.ROOT))
          .put("rule", a.finding().kind().rule()).put("subject", a.finding().subject())
          .put("evidence", a.finding().evidence());
    }
    ArrayNode left = doc.putArray("skipped");
    for (CleanupSkip s : skipped) {
      left.addObject().put("rule", s.finding().kind().rule())
          .put("subject", s.finding().subject()).put("reason", s.reason());
    }
    return Render.json(doc);
  }

  /** {@return the plan as Markdown: a table of actions, one of findings left alone} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## Cleanup plan\n\nAt: ").append(at).append(".\n\n");
    if (actions.isEmpty()) {
      out.append("No actions.\n");
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (CleanupAction a : actions) {
        rows.add(List.of(a.step().name().toLowerCase(java.util.Locale.ROOT),
            a.finding().kind().rule(), a.finding().subject(), a.finding().evidence()));
      }
      Render.table(out, List.of("Step", "Rule", "Subject", "Evidence"), rows);
      out.append("\nFrees ").append(Render.bytesText(freedBytes())).append(" bytes.\n");
    }
    if (!skipped.isEmpty()) {
      out.append("\nLeft alone:\n\n");
      List<List<String>> rows = new ArrayList<>();
      for (CleanupSkip s : skipped) {
        rows.add(List.of(s.finding().kind().rule(), s.finding().subject(), s.reason()));
      }
      Render.table(out, List.of("Rule", "Subject", "Reason"), rows);
    }
    return out.toString();
  }
}
