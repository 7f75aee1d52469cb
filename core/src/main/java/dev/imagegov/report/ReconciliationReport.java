package dev.imagegov.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.usage.UsageKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Usage recomputed from the catalog compared with what the usage port has recorded: every
 * drift, per project, kind and (for stored bytes) store, and whether it was repaired. Only
 * committed usage is compared: reservations of work in progress are the port's alone. Renders
 * as JSON and Markdown. Immutable.
 *
 * @param at the instant of the report
 * @param projects how many projects were compared
 * @param drifts every difference, by project, kind and store
 * @param repaired whether the usage port was corrected to the recomputed figures
 */
public record ReconciliationReport(Instant at, int projects, List<Drift> drifts,
    boolean repaired) {
  /**
   * One difference between recomputed and recorded usage.
   *
   * @param project the project
   * @param kind the kind of usage
   * @param store the store, for stored bytes; empty for the other kinds
   * @param expected the usage the catalog's images account for
   * @param recorded the committed usage the usage port holds
   */
  public record Drift(ProjectId project, UsageKind kind, Optional<StoreId> store, long expected,
      long recorded) {
    /**
     * Checks that every component is present.
     *
     * @param project the project
     * @param kind the kind of usage
     * @param store the store, for stored bytes
     * @param expected the usage the catalog accounts for
     * @param recorded the usage the port holds
     */
    public Drift {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(store, "store");
    }

    /** {@return how much the port holds beyond the catalog's figure (negative: too little)} */
    public long excess() {
      return recorded - expected;
    }
  }

  private static final Comparator<Drift> ORDER = Comparator
      .comparing((Drift d) -> d.project().value())
      .thenComparing(Drift::kind)
      .thenComparing(d -> d.store().map(StoreId::value).orElse(""));

  /**
   * Checks that every component is present, copies and orders the drifts.
   *
   * @param at the instant of the report
   * @param projects how many projects were compared
   * @param drifts every difference
   * @param repaired whether the port was corrected
   */
  public ReconciliationReport {
    Objects.requireNonNull(at, "at");
    List<Drift> sorted = new ArrayList<>(drifts);
    sorted.sort(ORDER);
    drifts = List.copyOf(sorted);
  }

  /** {@return whether the port and the catalog agree} */
  public boolean isReconciled() {
    return drifts.isEmpty();
  }

  /** {@return the report as a JSON document: at, projects compared, repaired, drifts} */
  public String toJson() {
    ObjectNode doc = Render.object();
    doc.put("at", at.toString()).put("projects", projects).put("repaired", repaired);
    ArrayNode list = doc.putArray("drifts");
    for (Drift d : drifts) {
      ObjectNode n = list.addObject().put("project", d.project().value())
          .put("kind", d.kind().name().toLowerCase(Locale.ROOT));
      d.store().ifPresent(s -> n.put("store", s.value()));
      n.put("expected", d.expected()).put("recorded", d.recorded());
    }
    return Render.json(doc);
  }

  /** {@return the report as Markdown: a summary line, then a table of drifts} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## Usage reconciliation\n\nAt: ").append(at)
        .append(". Projects compared: ").append(projects).append(".\n\n");
    if (drifts.isEmpty()) {
      return out.append("No drift: the usage port matches the catalog.\n").toString();
    }
    List<List<String>> rows = new ArrayList<>();
    for (Drift d : drifts) {
      rows.add(List.of(d.project().value(), d.kind().name().toLowerCase(Locale.ROOT),
          d.store().map(StoreId::value).orElse("—"), String.valueOf(d.expected()),
          String.valueOf(d.recorded())));
    }
    Render.table(out, List.of("Project", "Kind", "Store", "Expected", "Recorded"), rows);
    out.append(repaired ? "\nRepaired: the usage port now holds the expected figures.\n"
        : "\nNot repaired.\n");
    return out.toString();
  }
}
