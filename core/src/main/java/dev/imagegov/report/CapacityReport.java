package dev.imagegov.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.internal.Render;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every enabled store's capacity and how it is consumed, with the capacity rules' findings.
 * Renders as JSON and Markdown. Immutable.
 *
 * @param at the instant of the report
 * @param stores one line per enabled store, in configuration order
 * @param reserved the stored bytes that open reservations (uploads, imports and copies in
 *     progress) hold in the usage port, over every project; the port does not say which store
 *     they go to, so each store's own {@link StoreCapacity#inFlight} is beside it
 * @param findings the capacity findings, by rule, then store, then project
 */
public record CapacityReport(Instant at, List<StoreCapacity> stores, long reserved,
    List<CapacityFinding> findings) {
  /** A store's total capacity when it reports no bound (the memory store's default). */
  public static final long UNBOUNDED = Long.MAX_VALUE;

  /**
   * One store's capacity and consumption.
   *
   * @param store the store
   * @param total the bytes it can hold ({@link #UNBOUNDED} if it has no bound)
   * @param used the bytes it reports in use (its blobs and writes in progress)
   * @param blobBytes the bytes of its completely written blobs
   * @param referencedBytes the bytes the catalog's locations in this store count (an image's
   *     size once per location, so a copy to a second store counts there)
   * @param inFlight the bytes of writes in progress ({@code used - blobBytes}, never below 0)
   * @param limits the sum over projects of their storage limits, or -1 if a project has none
   */
  public record StoreCapacity(StoreId store, long total, long used, long blobBytes,
      long referencedBytes, long inFlight, long limits) {
    /**
     * Checks that the store is present.
     *
     * @param store the store
     * @param total the bytes it can hold
     * @param used the bytes it reports in use
     * @param blobBytes the bytes of its completely written blobs
     * @param referencedBytes the bytes the catalog's locations in it count
     * @param inFlight the bytes of writes in progress
     * @param limits the sum of the projects' storage limits, or -1 if unbounded
     */
    public StoreCapacity {
      Objects.requireNonNull(store, "store");
    }

    /** {@return the bytes that can still be written} */
    public long free() {
      return Math.max(0, total - used);
    }
  }

  /**
   * One capacity finding.
   *
   * @param rule the rule that found it
   * @param store the store concerned, if the rule is about one
   * @param project the project concerned, if the rule is about one
   * @param evidence what was observed, in words
   */
  public record CapacityFinding(CapacityRule rule, Optional<StoreId> store,
      Optional<ProjectId> project, String evidence) {
    /**
     * Checks that every component is present.
     *
     * @param rule the rule that found it
     * @param store the store concerned, if any
     * @param project the project concerned, if any
     * @param evidence what was observed, in words
     */
    public CapacityFinding {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(evidence, "evidence");
    }
  }

  private static final Comparator<CapacityFinding> ORDER =
      Comparator.comparing(CapacityFinding::rule)
          .thenComparing(f -> f.store().map(StoreId::value).orElse(""))
          .thenComparing(f -> f.project().map(ProjectId::value).orElse(""));

  /**
   * Checks that every component is present, copies the lists and orders the findings.
   *
   * @param at the instant of the report
   * @param stores one line per enabled store
   * @param reserved the stored bytes open reservations hold, over every project
   * @param findings the capacity findings
   */
  public CapacityReport {
    Objects.requireNonNull(at, "at");
    stores = List.copyOf(stores);
    List<CapacityFinding> sorted = new ArrayList<>(findings);
    sorted.sort(ORDER);
    findings = List.copyOf(sorted);
  }

  /**
   * {@return the findings of {@code rule}, in order}
   *
   * @param rule the rule asked for
   */
  public List<CapacityFinding> findings(CapacityRule rule) {
    return findings.stream().filter(f -> f.rule() == rule).toList();
  }

  /** {@return the report as a JSON document: at, stores, findings} */
  public String toJson() {
    ObjectNode doc = Render.object();
    doc.put("at", at.toString()).put("reserved", reserved);
    ArrayNode list = doc.putArray("stores");
    for (StoreCapacity s : stores) {
      ObjectNode n = list.addObject().put("store", s.store().value());
      if (s.total() == UNBOUNDED) {
        n.putNull("total");
      } else {
        n.put("total", s.total());
      }
      n.put("used", s.used()).put("blob_bytes", s.blobBytes())
          .put("referenced_bytes", s.referencedBytes()).put("in_flight", s.inFlight());
      if (s.limits() < 0) {
        n.putNull("limits");
      } else {
        n.put("limits", s.limits());
      }
    }
    ArrayNode found = doc.putArray("findings");
    for (CapacityFinding f : findings) {
      ObjectNode n = found.addObject().put("rule", f.rule().rule());
      f.store().ifPresent(s -> n.put("store", s.value()));
      f.project().ifPresent(p -> n.put("project", p.value()));
      n.put("evidence", f.evidence());
    }
    return Render.json(doc);
  }

  /** {@return the report as Markdown: a table of stores, one of findings} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## Store capacity\n\nAt: ").append(at).append(".\n\n");
    List<List<String>> rows = new ArrayList<>();
    for (StoreCapacity s : stores) {
      rows.add(List.of(s.store().value(), s.total() == UNBOUNDED ? "unbounded"
              : String.valueOf(s.total()), String.valueOf(s.used()),
          String.valueOf(s.referencedBytes()), String.valueOf(s.inFlight()),
          s.limits() < 0 ? "unlimited" : String.valueOf(s.limits())));
    }
    Render.table(out, List.of("Store", "Capacity", "Used", "Referenced", "In flight",
        "Sum of limits"), rows);
    out.append("\nReserved by work in progress: ").append(reserved).append(" bytes.\n\n");
    if (findings.isEmpty()) {
      return out.append("No findings.\n").toString();
    }
    rows = new ArrayList<>();
    for (CapacityFinding f : findings) {
      rows.add(List.of(f.rule().rule(), f.store().map(StoreId::value).orElse("—"),
          f.project().map(ProjectId::value).orElse("—"), f.evidence()));
    }
    Render.table(out, List.of("Rule", "Store", "Project", "Evidence"), rows);
    return out.toString();
  }
}
