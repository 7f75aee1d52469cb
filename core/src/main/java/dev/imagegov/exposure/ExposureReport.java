package dev.imagegov.exposure;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.internal.Render;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The existing images the current {@link ExposureGuardrail} would not allow: public or community
 * images that their owner (acting as a non-admin) could not expose today. Setting the guardrail
 * never changes them; this report is what an operator reviews. Renders as JSON ({@link #toJson})
 * and Markdown ({@link #toMarkdown}). Immutable.
 *
 * @param guardrail the guardrail the images were judged against
 * @param disallowed the images it would not allow, in id order
 */
public record ExposureReport(ExposureGuardrail guardrail, List<Finding> disallowed) {
  /**
   * One exposed image the guardrail would not allow.
   *
   * @param image the image's id
   * @param owner the image's owner, if any
   * @param visibility its visibility (public or community)
   * @param reason the guardrail's refusal for its owner
   */
  public record Finding(
      ImageId image, Optional<ProjectId> owner, Visibility visibility, String reason) {
    /**
     * Checks that every component is present.
     *
     * @param image the image's id
     * @param owner the image's owner, if any
     * @param visibility its visibility (public or community)
     * @param reason the guardrail's refusal for its owner
     */
    public Finding {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(visibility, "visibility");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Checks the guardrail is present and copies the list.
   *
   * @param guardrail the guardrail the images were judged against
   * @param disallowed the images it would not allow, in id order
   */
  public ExposureReport {
    Objects.requireNonNull(guardrail, "guardrail");
    disallowed = List.copyOf(disallowed);
  }

  /** {@return the report as a JSON document: the guardrail and the disallowed images} */
  public String toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode doc = f.objectNode();
    doc.put("exposure", guardrail.mode().wireName());
    ArrayNode producers = doc.putArray("producers");
    guardrail.producers().stream().map(ProjectId::value).sorted().forEach(producers::add);
    ArrayNode images = doc.putArray("disallowed");
    for (Finding d : disallowed) {
      ObjectNode o = images.addObject().put("image", d.image().value());
      o.put("owner", d.owner().map(ProjectId::value).orElse(null));
      o.put("visibility", d.visibility().wireName()).put("reason", d.reason());
    }
    return Render.json(doc);
  }

  /** {@return the report as Markdown: the setting and a table of the disallowed images} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## Exposure report\n\nExposure: ")
        .append(guardrail.mode().wireName());
    if (guardrail.mode() == ExposureGuardrail.Mode.PRODUCERS_ONLY) {
      out.append(" (producers: ").append(guardrail.producers().stream().map(ProjectId::value)
          .sorted().reduce((a, b) -> a + ", " + b).orElse("none")).append(')');
    }
    out.append(".\n\n");
    if (disallowed.isEmpty()) {
      return out.append("Every exposed image is allowed.\n").toString();
    }
    out.append("| Image | Owner | Visibility | Reason |\n|---|---|---|---|\n");
    for (Finding d : disallowed) {
      out.append("| ").append(d.image()).append(" | ")
          .append(Render.cell(d.owner().map(ProjectId::value).orElse("(none)"))).append(" | ")
          .append(d.visibility().wireName()).append(" | ").append(Render.cell(d.reason()))
          .append(" |\n");
    }
    return out.toString();
  }
}
