package dev.imagegov.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.internal.Render;
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
 * drift, per project, kind and (for stored bytes) store, and whether it was repaired; and every
 * open reservation the catalog shows no work in progress for (a reservation a crashed or lost
 * piece of work left open). Repair corrects committed usage only: a reservation is released by
 * the work that holds it (a shared usage store's lease lapses), never by a report. Renders as
 * JSON and Markdown. Immutable.
 *
 * @param at the instant of the report
 * @param projects how many projects were compared
 * @param drifts every difference, by project, kind and store
 * @param reservations the reservations held beyond the work in progress, by project and kind
 * @param repaired whether the usage port was corrected to the recomputed figures
 */
public record ReconciliationReport(Instant at, int projects, List<Drift> drifts,
    List<HeldReservation> reservations, boolean repaired) {
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

  /**
   * What a project's open reservations hold of one kind beyond the work in progress the catalog
   * shows for it.
   *
   * @param project the project
   * @param kind the kind of usage reserved
   * @param held what its open reservations hold of the kind
   * @param inProgress how many of its images are being uploaded, staged, imported or copied
   */
  public record HeldReservation(ProjectId project, UsageKind kind, long held, long inProgress) {
    /**
     * Checks that every component is present.
     *
     * @param project the project
     * @param kind the kind of usage reserved
     * @param held what its open reservations hold of the kind
     * @param inProgress how many of its images are in progress
     */
    public HeldReservation {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(kind, "kind");
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
   * @param reservations the reservations held beyond the work in progress
   * @param repaired whether the port was corrected
   */
  public ReconciliationReport {
    Objects.requireNonNull(at, "at");
    List<Drift> sorted = new ArrayList<>(drifts);
    sorted.sort(ORDER);
    drifts = List.copyOf(sorted);
    List<HeldReservation> held = new ArrayList<>(reservations);
    held.sort(Comparator.comparing((HeldReservation r) -> r.project().value())
        .thenComparing(HeldReservation::kind));
    reservations = List.copyOf(held);
  }

  /** {@return whether the port and the catalog agree: no drift and no reservation left open} */
  public boolean isReconciled() {
    return drifts.isEmpty() && reservations.isEmpty();
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
    ArrayNode held = doc.putArray("reservations");
    for (HeldReservation r : reservations) {
      held.addObject().put("project", r.project().value())
          .put("kind", r.kind().name().toLowerCase(Locale.ROOT)).put("held", r.held())
          .put("in_progress", r.inProgress());
    }
    return Render.json(doc);
  }

  /** {@return the report as Markdown: a summary line, then a table of drifts} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## Usage reconciliation\n\nAt: ").append(at)
        .append(". Projects compared: ").append(projects).append(".\n\n");
    if (drifts.isEmpty()) {
      out.append("No drift: the usage port matches the catalog.\n");
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (Drift d : drifts) {
        rows.add(List.of(d.project().value(), d.kind().name().toLowerCase(Locale.ROOT),
            d.store().map(StoreId::value).orElse("—"), String.valueOf(d.expected()),
            String.valueOf(d.recorded())));
      }
      Render.table(out, List.of("Project", "Kind", "Store", "Expected", "Recorded"), rows);
      out.append(repaired ? "\nRepaired: the usage port now holds the expected figures.\n"
          : "\nNot repaired.\n");
    }
    if (!reservations.isEmpty()) {
      out.append("\nReservations held beyond the work in progress:\n\n");
      List<List<String>> rows = new ArrayList<>();
      for (HeldReservation r : reservations) {
        rows.add(List.of(r.project().value(), r.kind().name().toLowerCase(Locale.ROOT),
            String.valueOf(r.held()), String.valueOf(r.inProgress())));
      }
      Render.table(out, List.of("Project", "Kind", "Held", "Images in progress"), rows);
    }
    return out.toString();
  }
}
