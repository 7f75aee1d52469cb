package dev.imagegov.sharing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who can use one image, and why: the answer of {@link Sharing#whoCanUse} for its owner or an
 * admin. Each {@link Grant} names a project (or every project, for a public, community or unowned
 * image; or every admin) and the clause that gives it the image; {@link Grant#canUse()} says
 * whether a member-role user of that project may download or boot it now, as the download check
 * pipeline decides (deactivation, strict consent, the lifecycle state). Renders as JSON ({@link
 * #toJson}) and Markdown ({@link #toMarkdown}). Immutable.
 *
 * @param image the image's id
 * @param owner its owner, if any
 * @param visibility its visibility
 * @param grants the projects that can see it by id, owner first, then the broad grants, then the
 *     direct members in the order the image holds them, each group member followed by every
 *     project below it that holds the image through it (in the tenancy directory's order)
 */
public record WhoCanUse(
    ImageId image, Optional<ProjectId> owner, Visibility visibility, List<Grant> grants) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Why a project can see an image. */
  public enum Basis {
    /** The project owns the image. */
    OWNER,
    /** Every admin sees every image ({@code context_is_admin}). */
    ADMIN,
    /** The image has no owner: every project sees it by id. */
    UNOWNED,
    /** The image is public: every project sees and lists it. */
    PUBLIC,
    /** The image is community: every project sees it, and lists it when it asks. */
    COMMUNITY,
    /** The image is shared and the project is a member (with the grant's status). */
    MEMBER,
    /**
     * The image is shared with a parent project or domain above the project (hierarchical
     * sharing): the grant's {@code via} names that group, its status is the project's own answer,
     * or the status of an unanswered offer.
     */
    GROUP;

    /** {@return the basis's name in the JSON rendering} */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One project (or every project) that can see the image, and why.
   *
   * @param project the project; empty for every project (or every admin, for {@link Basis#ADMIN})
   * @param basis the clause that gives the project the image
   * @param status the membership's status ({@link Basis#MEMBER} and {@link Basis#GROUP} only)
   * @param via the group member through which the project holds the image ({@link Basis#GROUP}
   *     only): the nearest parent project or domain above it that is a member
   * @param expiresAt when the membership ends ({@link Basis#MEMBER}; for {@link Basis#GROUP}, when
   *     the group's membership ends), if it does
   * @param canUse whether a member-role user of the project may download or boot the image now
   * @param why a readable sentence: the basis, and when {@code canUse} is false the refusal
   */
  public record Grant(Optional<ProjectId> project, Basis basis, Optional<MemberStatus> status,
      Optional<ProjectId> via, Optional<Instant> expiresAt, boolean canUse, String why) {
    /**
     * Checks every component is present.
     *
     * @param project the project; empty for every project (or every admin)
     * @param basis the clause that gives the project the image
     * @param status the membership's status ({@link Basis#MEMBER} and {@link Basis#GROUP} only)
     * @param via the group through which the project holds the image ({@link Basis#GROUP} only)
     * @param expiresAt when the membership ends, if it does
     * @param canUse whether a member-role user of the project may download or boot the image now
     * @param why a readable sentence
     */
    public Grant {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(basis, "basis");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(via, "via");
      Objects.requireNonNull(expiresAt, "expiresAt");
      Objects.requireNonNull(why, "why");
    }
  }

  /**
   * Checks the components and copies the list.
   *
   * @param image the image's id
   * @param owner its owner, if any
   * @param visibility its visibility
   * @param grants the projects that can see it by id
   */
  public WhoCanUse {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(visibility, "visibility");
    grants = List.copyOf(grants);
  }

  /** {@return the answer as a JSON document: the image and its grants} */
  public String toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode doc = f.objectNode();
    doc.put("image", image.value());
    doc.put("owner", owner.map(ProjectId::value).orElse(null));
    doc.put("visibility", visibility.wireName());
    ArrayNode rows = doc.putArray("grants");
    for (Grant g : grants) {
      ObjectNode o = rows.addObject();
      o.put("project", g.project().map(ProjectId::value).orElse("*"));
      o.put("basis", g.basis().wireName());
      g.status().ifPresent(s -> o.put("status", s.wireName()));
      g.via().ifPresent(v -> o.put("via", v.value()));
      g.expiresAt().ifPresent(e -> o.put("expires_at", e.toString()));
      o.put("can_use", g.canUse()).put("why", g.why());
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError("a tree of strings always serialises", e);
    }
  }

  /** {@return the answer as Markdown: a heading and a table of the grants} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## Who can use image ").append(image)
        .append("\n\nOwner: ").append(cell(owner.map(ProjectId::value).orElse("(none)")))
        .append("; visibility: ").append(visibility.wireName()).append(".\n\n")
        .append("| Project | Basis | Status | Via | Expires | Can use | Why |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (Grant g : grants) {
      out.append("| ").append(cell(g.project().map(ProjectId::value).orElse("*")))
          .append(" | ").append(g.basis().wireName())
          .append(" | ").append(g.status().map(MemberStatus::wireName).orElse(""))
          .append(" | ").append(cell(g.via().map(ProjectId::value).orElse("")))
          .append(" | ").append(g.expiresAt().map(Instant::toString).orElse(""))
          .append(" | ").append(g.canUse() ? "yes" : "no")
          .append(" | ").append(cell(g.why())).append(" |\n");
    }
    return out.toString();
  }

  /** Text safe in a Markdown table cell: pipes escaped, line breaks as spaces. */
  static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
  }
}
