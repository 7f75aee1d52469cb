package dev.imagegov.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link Access#verifyIsolation}: every access the governance grants the verified
 * projects, with the rule behind each, every disagreement with the oracle, and the checks an
 * operator runs against a real cloud to confirm the isolation. {@link #clean()} holds when the
 * governance and the oracle agree on every pair. Renders as JSON ({@link #toJson}), Markdown
 * ({@link #toMarkdown}: for each consumer what it can boot and why, for each private or shared
 * image who can see it) and a shell script of {@code openstack image show} checks ({@link
 * #toOperatorScript}). Immutable.
 *
 * @param oracle the name of the oracle the governance was checked against
 * @param images the number of live images verified
 * @param pairsChecked how many (project, image) pairs were examined (the rest are unrelated: no
 *     rule could justify them and the governance's index walk did not offer them)
 * @param pairsSkipped how many pairs were skipped because their image changed during the run (a
 *     concurrent write): nothing is said about them; 0 on a quiet catalog
 * @param projects the projects verified, in the order they were verified
 * @param grants every action the governance allows a verified project, by project then image
 * @param findings every disagreement between the governance and the oracle, in the same order
 * @param privateImages each private or shared image, with the verified projects that can see it
 * @param checks the {@code image show} checks an operator runs as each project: for each private
 *     or shared image, found as each project the oracle lets get it, not found as each project
 *     the governance lets get it without a rule and as the unrelated project it was checked for
 */
public record IsolationReport(
    String oracle,
    int images,
    long pairsChecked,
    long pairsSkipped,
    List<ProjectId> projects,
    List<Grant> grants,
    List<Finding> findings,
    List<PrivateImage> privateImages,
    List<OperatorCheck> checks) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Checks every component is present and copies the lists.
   *
   * @param oracle the name of the oracle the governance was checked against
   * @param images the number of live images verified
   * @param pairsChecked how many (project, image) pairs were examined
   * @param pairsSkipped how many pairs were skipped because their image changed during the run
   * @param projects the projects verified, in the order they were verified
   * @param grants every action the governance allows a verified project
   * @param findings every disagreement between the governance and the oracle
   * @param privateImages each private or shared image, with the projects that can see it
   * @param checks the {@code image show} checks an operator runs as each project
   */
  public IsolationReport {
    Objects.requireNonNull(oracle, "oracle");
    projects = List.copyOf(projects);
    grants = List.copyOf(grants);
    findings = List.copyOf(findings);
    privateImages = List.copyOf(privateImages);
    checks = List.copyOf(checks);
  }

  /**
   * An action the governance lets a project take on an image.
   *
   * @param project the project
   * @param image the image
   * @param action the action allowed
   * @param rule the oracle's rule that justifies it, or {@code no sharing rule} (then a finding
   *     names it too)
   */
  public record Grant(ProjectId project, ImageId image, IsolationAction action, String rule) {
    /**
     * Checks every component is present.
     *
     * @param project the project
     * @param image the image
     * @param action the action allowed
     * @param rule the rule that justifies it
     */
    public Grant {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(rule, "rule");
    }
  }

  /** What is wrong with one (project, image, action). */
  public enum Kind {
    /** The governance allows an access that no sharing rule justifies (an over-grant). */
    UNJUSTIFIED_ACCESS("unjustified_access"),
    /** A sharing rule justifies an access that the governance refuses. */
    REFUSED_ACCESS("refused_access"),
    /** The catalog's listing index and the by-id visibility disagree on whether it is seen. */
    INDEX_DISAGREES("index_disagrees");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** {@return the name reports use} */
    public String wireName() {
      return wireName;
    }
  }

  /**
   * One disagreement.
   *
   * @param kind what is wrong
   * @param project the project
   * @param image the image
   * @param action the action concerned ({@link IsolationAction#GET} for an index disagreement)
   * @param detail what the governance answered and what the oracle says
   */
  public record Finding(
      Kind kind, ProjectId project, ImageId image, IsolationAction action, String detail) {
    /**
     * Checks every component is present.
     *
     * @param kind what is wrong
     * @param project the project
     * @param image the image
     * @param action the action concerned
     * @param detail what the governance answered and what the oracle says
     */
    public Finding {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(action, "action");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * A private or shared image and the verified projects that can show it by id.
   *
   * @param image the image
   * @param owner its owner, if any
   * @param visibility private or shared
   * @param seenBy each verified project the governance lets get it, with the rule
   */
  public record PrivateImage(
      ImageId image, Optional<ProjectId> owner, Visibility visibility,
      Map<ProjectId, String> seenBy) {
    /**
     * Checks every component is present and copies the map (its order kept).
     *
     * @param image the image
     * @param owner its owner, if any
     * @param visibility private or shared
     * @param seenBy each verified project that can get it, with the rule
     */
    public PrivateImage {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(visibility, "visibility");
      seenBy = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(seenBy));
    }
  }

  /**
   * One check against a real cloud: {@code openstack image show <image>} run as {@code project}
   * must find the image, or must answer that it does not exist.
   *
   * @param project the project whose credentials run the command
   * @param image the image asked for
   * @param found whether the command must find it, as the oracle's rules say (otherwise: 404)
   */
  public record OperatorCheck(ProjectId project, ImageId image, boolean found) {
    /**
     * Checks every component is present.
     *
     * @param project the project whose credentials run the command
     * @param image the image asked for
     * @param found whether the command must find it
     */
    public OperatorCheck {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(image, "image");
    }

    /** {@return the command line, with the expected answer as a comment} */
    public String command() {
      return "openstack --os-project-id " + project + " image show " + image
          + "  # must answer: " + (found ? "found" : "not found");
    }
  }

  /** {@return whether the governance and the oracle agree on every pair} */
  public boolean clean() {
    return findings.isEmpty();
  }

  /**
   * {@return the grants of {@code project}, in image order}
   *
   * @param project the project asked about
   */
  public List<Grant> grantsOf(ProjectId project) {
    List<Grant> out = new ArrayList<>();
    for (Grant g : grants) {
      if (g.project().equals(project)) {
        out.add(g);
      }
    }
    return out;
  }

  /** {@return the report as a JSON document} */
  public String toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode doc = f.objectNode();
    doc.put("oracle", oracle).put("images", images).put("pairs_checked", pairsChecked)
        .put("pairs_skipped", pairsSkipped)
        .put("clean", clean());
    ArrayNode found = doc.putArray("findings");
    for (Finding x : findings) {
      found.addObject().put("kind", x.kind().wireName()).put("project", x.project().value())
          .put("image", x.image().value()).put("action", x.action().wireName())
          .put("detail", x.detail());
    }
    ObjectNode consumers = doc.putObject("consumers");
    for (Map.Entry<ProjectId, Map<ImageId, Map<IsolationAction, String>>> p
        : byProject().entrySet()) {
      ArrayNode rows = consumers.putArray(p.getKey().value());
      p.getValue().forEach((image, actions) -> {
        ObjectNode row = rows.addObject().put("image", image.value());
        ObjectNode a = row.putObject("actions");
        actions.forEach((action, rule) -> a.put(action.wireName(), rule));
      });
    }
    ArrayNode priv = doc.putArray("private_images");
    for (PrivateImage i : privateImages) {
      ObjectNode o = priv.addObject().put("image", i.image().value());
      o.put("owner", i.owner().map(ProjectId::value).orElse(null));
      o.put("visibility", i.visibility().wireName());
      ObjectNode seen = o.putObject("seen_by");
      i.seenBy().forEach((p, rule) -> seen.put(p.value(), rule));
    }
    ArrayNode cmds = doc.putArray("checks");
    for (OperatorCheck c : checks) {
      cmds.addObject().put("project", c.project().value()).put("image", c.image().value())
          .put("expect", c.found() ? "found" : "not found");
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new AssertionError("a tree of strings and numbers always serialises", e);
    }
  }

  /**
   * {@return the report as Markdown: the findings, then for each consumer what it can boot and
   * why, then for each private or shared image who can see it}
   */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## Isolation verification\n\n")
        .append("Oracle: ").append(oracle).append("; ").append(images).append(" images, ")
        .append(pairsChecked).append(" (project, image) pairs checked");
    if (pairsSkipped > 0) {
      out.append(", ").append(pairsSkipped)
          .append(" skipped because their image changed during the run");
    }
    out.append(".\n\n### Findings\n\n");
    if (findings.isEmpty()) {
      out.append("None: every access is justified and every justified access is allowed.\n");
    } else {
      out.append("| Kind | Project | Image | Action | Detail |\n|---|---|---|---|---|\n");
      for (Finding x : findings) {
        row(out, x.kind().wireName(), x.project().value(), x.image().value(),
            x.action().wireName(), x.detail());
      }
    }
    out.append("\n### What each consumer can boot, and why\n");
    for (Map.Entry<ProjectId, Map<ImageId, Map<IsolationAction, String>>> p
        : byProject().entrySet()) {
      out.append("\n#### ").append(cell(p.getKey().value())).append("\n\n");
      StringBuilder rows = new StringBuilder();
      p.getValue().forEach((image, actions) -> {
        String why = actions.get(IsolationAction.BOOT);
        if (why != null) {
          row(rows, image.value(), why);
        }
      });
      out.append(rows.length() == 0
          ? "Nothing.\n"
          : "| Image | Why |\n|---|---|\n" + rows);
    }
    out.append("\n### Who can see each private or shared image\n\n");
    if (privateImages.isEmpty()) {
      out.append("No private or shared image.\n");
    } else {
      out.append("| Image | Owner | Visibility | Seen by |\n|---|---|---|---|\n");
      for (PrivateImage i : privateImages) {
        StringBuilder seen = new StringBuilder();
        i.seenBy().forEach((p, rule) -> seen.append(seen.length() == 0 ? "" : ", ")
            .append(p.value()).append(" (").append(rule).append(')'));
        row(out, i.image().value(), i.owner().map(ProjectId::value).orElse("(none)"),
            i.visibility().wireName(), seen.length() == 0 ? "nobody" : seen.toString());
      }
    }
    return out.toString();
  }

  /**
   * {@return a shell script of {@link #checks()}: one {@code openstack image show} per line, each
   * with the answer it must give}
   */
  public String toOperatorScript() {
    StringBuilder out = new StringBuilder(
        "#!/bin/sh\n# Isolation checks: run each command with credentials scoped to the project"
            + " it names.\n");
    for (OperatorCheck c : checks) {
      out.append(c.command()).append('\n');
    }
    return out.toString();
  }

  /** The grants grouped by project (every verified one), then image, keeping their order. */
  private Map<ProjectId, Map<ImageId, Map<IsolationAction, String>>> byProject() {
    Map<ProjectId, Map<ImageId, Map<IsolationAction, String>>> out = new LinkedHashMap<>();
    for (ProjectId p : projects) {
      out.put(p, new LinkedHashMap<>());
    }
    for (Grant g : grants) {
      out.computeIfAbsent(g.project(), p -> new LinkedHashMap<>())
          .computeIfAbsent(g.image(), i -> new java.util.EnumMap<>(IsolationAction.class))
          .put(g.action(), g.rule());
    }
    return out;
  }

  private static void row(StringBuilder out, String... cells) {
    out.append('|');
    for (String c : cells) {
      out.append(' ').append(cell(c)).append(" |");
    }
    out.append('\n');
  }

  /** Text safe in a Markdown table cell: pipes escaped, line breaks as spaces. */
  private static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
  }
}
