package dev.imagegov.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.internal.Render;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The hygiene of the catalog (or of one owner's images) at an instant: every finding, ordered by
 * kind, subject, store and evidence, so two reports of the same catalog are equal and render
 * alike. Renders as JSON ({@link #toJson}) and Markdown ({@link #toMarkdown}). Immutable.
 *
 * @param at the instant the report was made for
 * @param owner the one owner reported on, or empty for the whole catalog
 * @param findings every finding, in order
 */
public record HygieneReport(Instant at, Optional<ProjectId> owner, List<Finding> findings) {
  /**
   * Checks that every component is present, copies the findings and puts them in order.
   *
   * @param at the instant the report was made for
   * @param owner the one owner reported on, or empty for the whole catalog
   * @param findings every finding
   */
  public HygieneReport {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(owner, "owner");
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(Finding.ORDER);
    findings = List.copyOf(sorted);
  }

  /**
   * {@return the findings of {@code kind}, in order}
   *
   * @param kind the kind asked for
   */
  public List<Finding> findings(FindingKind kind) {
    return findings.stream().filter(f -> f.kind() == kind).toList();
  }

  /** {@return how many findings there are of each kind that has any, in the kinds' order} */
  public Map<FindingKind, Integer> counts() {
    Map<FindingKind, Integer> counts = new EnumMap<>(FindingKind.class);
    for (Finding f : findings) {
      counts.merge(f.kind(), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * {@return the bytes per store that deleting every duplicate within an owner would free (the
   * duplicates across owners are another owner's to decide)}
   */
  public Map<StoreId, Long> duplicateBytes() {
    Map<StoreId, Long> bytes = new TreeMap<>();
    for (Finding f : findings(FindingKind.DUPLICATE_IN_OWNER)) {
      f.bytes().forEach((s, n) -> bytes.merge(s, n, Long::sum));
    }
    return bytes;
  }

  /** {@return the report as a JSON document: at, scope, counts, findings in order} */
  public String toJson() {
    ObjectNode doc = Render.object();
    doc.put("at", at.toString()).put("scope", owner.map(ProjectId::value).orElse("all"));
    ObjectNode counts = doc.putObject("counts");
    counts().forEach((k, n) -> counts.put(k.rule(), n));
    doc.set("duplicate_bytes", Render.bytes(duplicateBytes()));
    ArrayNode list = doc.putArray("findings");
    for (Finding f : findings) {
      ObjectNode n = list.addObject().put("rule", f.kind().rule()).put("subject", f.subject());
      f.image().ifPresent(i -> n.put("image", i.value()));
      f.owner().ifPresent(o -> n.put("owner", o.value()));
      f.store().ifPresent(s -> n.put("store", s.value()));
      n.put("evidence", f.evidence());
      if (!f.bytes().isEmpty()) {
        n.set("bytes", Render.bytes(f.bytes()));
      }
    }
    return Render.json(doc);
  }

  /** {@return the report as Markdown: a summary table, then one table per kind found} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder();
    out.append("## Hygiene of ").append(owner.map(o -> "project " + o.value())
        .orElse("the catalog")).append("\n\nAt: ").append(at).append(".\n\n");
    if (findings.isEmpty()) {
      return out.append("No findings.\n").toString();
    }
    List<List<String>> summary = new ArrayList<>();
    counts().forEach((k, n) -> summary.add(List.of(k.rule(), String.valueOf(n))));
    Render.table(out, List.of("Rule", "Findings"), summary);
    Map<StoreId, Long> freed = duplicateBytes();
    if (!freed.isEmpty()) {
      out.append("\nDeleting the duplicates within owners frees ")
          .append(Render.bytesText(freed)).append(" bytes.\n");
    }
    for (FindingKind kind : counts().keySet()) {
      out.append("\n### ").append(kind.rule()).append("\n\n");
      List<List<String>> rows = new ArrayList<>();
      for (Finding f : findings(kind)) {
        rows.add(List.of(f.subject(), f.owner().map(ProjectId::value).orElse("—"),
            f.store().map(StoreId::value).orElse("—"), f.evidence(), Render.bytesText(f.bytes())));
      }
      Render.table(out, List.of("Subject", "Owner", "Store", "Evidence", "Bytes"), rows);
    }
    return out.toString();
  }
}
