package dev.imagegov.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.internal.Render;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The effect of a {@link WhatIf} change on every project's storage headroom and every store's
 * free bytes, computed without making it, and what the change would run into (a refusal over a
 * limit, a full store, an overcommitted store). Renders as JSON and Markdown. Immutable.
 *
 * @param change the change considered
 * @param projects one line per project, in id order
 * @param stores one line per enabled store, in configuration order
 * @param notes what the change would run into, in words
 */
public record WhatIfReport(WhatIf change, List<ProjectEffect> projects, List<StoreEffect> stores,
    List<String> notes) {

  /**
   * One project's storage before and after.
   *
   * @param project the project
   * @param limitBefore its storage limit in bytes now, -1 for none
   * @param limitAfter its storage limit after the change, -1 for none
   * @param usageBefore what it stores and reserves now, in bytes
   * @param usageAfter what it would store and reserve after the change
   */
  public record ProjectEffect(ProjectId project, long limitBefore, long limitAfter,
      long usageBefore, long usageAfter) {
    /**
     * Checks that the project is present.
     *
     * @param project the project
     * @param limitBefore its storage limit now, -1 for none
     * @param limitAfter its storage limit after, -1 for none
     * @param usageBefore its usage now
     * @param usageAfter its usage after
     */
    public ProjectEffect {
      Objects.requireNonNull(project, "project");
    }

    /** {@return the bytes it may still store now (negative: over), empty for no limit} */
    public OptionalLong headroomBefore() {
      return headroom(limitBefore, usageBefore);
    }

    /** {@return the bytes it could still store after the change, empty for no limit} */
    public OptionalLong headroomAfter() {
      return headroom(limitAfter, usageAfter);
    }

    /** {@return whether the change moves its usage or its limit} */
    public boolean changes() {
      return limitBefore != limitAfter || usageBefore != usageAfter;
    }
  }

  /**
   * One store's bytes before and after.
   *
   * @param store the store
   * @param total its capacity ({@link CapacityReport#UNBOUNDED} if it has no bound)
   * @param usedBefore the bytes it uses now
   * @param usedAfter the bytes it would use after the change
   * @param limitsBefore the sum of the projects' storage limits now, -1 if one has none
   * @param limitsAfter the sum after the change, -1 if one has none
   */
  public record StoreEffect(StoreId store, long total, long usedBefore, long usedAfter,
      long limitsBefore, long limitsAfter) {
    /**
     * Checks that the store is present.
     *
     * @param store the store
     * @param total its capacity
     * @param usedBefore the bytes it uses now
     * @param usedAfter the bytes it would use after
     * @param limitsBefore the sum of limits now, -1 if unbounded
     * @param limitsAfter the sum of limits after, -1 if unbounded
     */
    public StoreEffect {
      Objects.requireNonNull(store, "store");
    }

    /** {@return the bytes it can still take now} */
    public long freeBefore() {
      return Math.max(0, total - usedBefore);
    }

    /** {@return the bytes it could still take after the change} */
    public long freeAfter() {
      return Math.max(0, total - usedAfter);
    }
  }

  /**
   * Checks that the change is present and copies the lists.
   *
   * @param change the change considered
   * @param projects one line per project
   * @param stores one line per enabled store
   * @param notes what the change would run into
   */
  public WhatIfReport {
    Objects.requireNonNull(change, "change");
    projects = List.copyOf(projects);
    stores = List.copyOf(stores);
    notes = List.copyOf(notes);
  }

  private static OptionalLong headroom(long limit, long usage) {
    return limit < 0 ? OptionalLong.empty() : OptionalLong.of(limit - usage);
  }

  private static String text(OptionalLong bytes) {
    return bytes.isPresent() ? String.valueOf(bytes.getAsLong()) : "unlimited";
  }

  private static String limits(long sum) {
    return sum < 0 ? "unlimited" : String.valueOf(sum);
  }

  /** {@return the report as a JSON document: the change, projects, stores and notes} */
  public String toJson() {
    ObjectNode doc = Render.object();
    doc.put("change", change.describe());
    ArrayNode p = doc.putArray("projects");
    for (ProjectEffect e : projects) {
      p.addObject().put("project", e.project().value()).put("limit_before", e.limitBefore())
          .put("limit_after", e.limitAfter()).put("usage_before", e.usageBefore())
          .put("usage_after", e.usageAfter());
    }
    ArrayNode s = doc.putArray("stores");
    for (StoreEffect e : stores) {
      s.addObject().put("store", e.store().value()).put("free_before", e.freeBefore())
          .put("free_after", e.freeAfter()).put("limits_before", e.limitsBefore())
          .put("limits_after", e.limitsAfter());
    }
    ArrayNode n = doc.putArray("notes");
    notes.forEach(n::add);
    return Render.json(doc);
  }

  /** {@return the report as Markdown: the change, a table of projects, one of stores, notes} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## What if: ").append(Render.cell(change.describe()))
        .append("\n\nNothing was changed.\n\n");
    List<List<String>> rows = new ArrayList<>();
    for (ProjectEffect e : projects) {
      rows.add(List.of(e.project().value(), String.valueOf(e.usageBefore()),
          String.valueOf(e.usageAfter()), text(e.headroomBefore()), text(e.headroomAfter())));
    }
    Render.table(out, List.of("Project", "Usage", "Usage after", "Headroom", "Headroom after"),
        rows);
    out.append('\n');
    rows = new ArrayList<>();
    for (StoreEffect e : stores) {
      boolean bounded = e.total() != CapacityReport.UNBOUNDED;
      rows.add(List.of(e.store().value(), bounded ? String.valueOf(e.freeBefore()) : "unbounded",
          bounded ? String.valueOf(e.freeAfter()) : "unbounded", limits(e.limitsBefore()),
          limits(e.limitsAfter())));
    }
    Render.table(out, List.of("Store", "Free", "Free after", "Sum of limits",
        "Sum of limits after"), rows);
    if (notes.isEmpty()) {
      return out.append("\nThe change runs into no limit.\n").toString();
    }
    out.append('\n');
    for (String note : notes) {
      out.append("- ").append(Render.cell(note)).append('\n');
    }
    return out.toString();
  }
}
