package dev.imagegov.quota;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegov.internal.Render;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Per-project limits whose sum cannot exhaust any store ({@link Quotas#recommend}), with the
 * figures they come from, rendered as a {@code glance-api.conf} diff ({@link #toGlanceConfDiff}),
 * as Keystone unified-limit commands ({@link #toLimitCommands}), as JSON and as Markdown, or as a
 * {@link LimitSource} to configure directly ({@link #toLimitSource}). Immutable.
 *
 * <p>Why the sum must fit the smallest store: every location counts against its owner's storage
 * limit (size times locations, so a copy-image to a second store is charged again), and any
 * project may place all of its limit in any one enabled store. So the projects' limits together
 * can fill a store only if they sum beyond its usable bytes; the recommendation splits the
 * smallest store's usable bytes ({@link #budget}) by weight, each share rounded down to whole
 * MiB (the unit of {@code image_size_total}).
 *
 * @param projects one line per project, in id order
 * @param stores the stores fitted, and the staging store last
 * @param budget the bytes the storage limits share (the smallest usable store); -1 if no store
 *     fitted has a bound
 * @param binding the store whose usable bytes are the budget, if any is bounded
 * @param userStorageQuota the one {@code user_storage_quota} for every project, in bytes (the
 *     budget split equally, since the option has no per-project value); -1 for none
 * @param images {@code image_count_total} per project
 * @param uploads {@code image_count_uploading} per project
 * @param members {@code image_member_quota}
 * @param copies the stores each image is expected to be kept in
 * @param current the options in force: {@code user_storage_quota} and {@code image_member_quota}
 *     as {@code glance-api.conf} writes them
 */
public record QuotaRecommendation(
    List<ProjectLimits> projects,
    List<StoreBudget> stores,
    long budget,
    Optional<StoreId> binding,
    long userStorageQuota,
    long images,
    long uploads,
    int members,
    int copies,
    List<String> current) {

  /**
   * The limits recommended for one project.
   *
   * @param project the project
   * @param weight its weight in the split
   * @param storage its storage limit in bytes ({@code image_size_total}), -1 for none
   * @param stage its staging limit in bytes ({@code image_stage_total}), -1 for none
   * @param stored what it stores now (committed, every location), in bytes
   */
  public record ProjectLimits(ProjectId project, int weight, long storage, long stage,
      long stored) {
    /**
     * Checks that the project is present.
     *
     * @param project the project
     * @param weight its weight
     * @param storage its storage limit in bytes, -1 for none
     * @param stage its staging limit in bytes, -1 for none
     * @param stored what it stores now
     */
    public ProjectLimits {
      Objects.requireNonNull(project, "project");
    }

    /**
     * {@return the distinct image bytes the storage limit holds when every image is kept in
     * {@code copies} stores; -1 for none}
     *
     * @param copies the stores each image is kept in
     */
    public long distinct(int copies) {
      return storage < 0 ? -1 : storage / copies;
    }

    /** {@return whether the project already stores more than the recommended limit} */
    public boolean isOver() {
      return storage >= 0 && stored > storage;
    }
  }

  /**
   * How one store bounds the limits.
   *
   * @param store the store
   * @param total its capacity in bytes ({@link Long#MAX_VALUE} if unbounded)
   * @param used the bytes it reports in use
   * @param uncharged the used bytes no project's limit accounts for (unowned images, stray data,
   *     writes in progress)
   * @param usable the bytes limits may share: capacity less the reserve and the uncharged bytes;
   *     -1 if unbounded
   */
  public record StoreBudget(StoreId store, long total, long used, long uncharged, long usable) {
    /**
     * Checks that the store is present.
     *
     * @param store the store
     * @param total its capacity
     * @param used the bytes in use
     * @param uncharged the used bytes no limit accounts for
     * @param usable the bytes limits may share, -1 if unbounded
     */
    public StoreBudget {
      Objects.requireNonNull(store, "store");
    }
  }

  /**
   * Checks that every component is present and copies the lists.
   *
   * @param projects one line per project
   * @param stores the stores fitted, then the staging store
   * @param budget the bytes the storage limits share, -1 if unbounded
   * @param binding the store whose usable bytes are the budget
   * @param userStorageQuota the one legacy storage quota, in bytes, -1 for none
   * @param images {@code image_count_total}
   * @param uploads {@code image_count_uploading}
   * @param members {@code image_member_quota}
   * @param copies the stores each image is expected to be kept in
   * @param current the options in force, as {@code glance-api.conf} lines
   */
  public QuotaRecommendation {
    projects = List.copyOf(projects);
    stores = List.copyOf(stores);
    Objects.requireNonNull(binding, "binding");
    current = List.copyOf(current);
  }

  /** {@return the sum of the recommended storage limits, in bytes; -1 if one has none} */
  public long total() {
    long sum = 0;
    for (ProjectLimits p : projects) {
      if (p.storage() < 0) {
        return -1;
      }
      sum += p.storage();
    }
    return sum;
  }

  /**
   * {@return the recommendation as unified limits: size and stage limits per project, nothing
   * for any other project (so a project created later cannot break the sum), the counts as
   * registered defaults}
   */
  public LimitSource toLimitSource() {
    StaticLimits.Builder b = StaticLimits.builder()
        .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, budget < 0 ? -1 : 0)
        .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, budget < 0 ? -1 : 0)
        .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, images)
        .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, uploads);
    for (ProjectLimits p : projects) {
      b.project(p.project(), UnifiedLimit.IMAGE_SIZE_TOTAL, mib(p.storage()));
      b.project(p.project(), UnifiedLimit.IMAGE_STAGE_TOTAL, mib(p.stage()));
    }
    return b.build();
  }

  private static long mib(long bytes) {
    return bytes < 0 ? -1 : bytes / UnifiedLimit.MIB;
  }

  /**
   * {@return a unified diff of {@code glance-api.conf}'s {@code [DEFAULT]} section from the
   * options in force to the recommended {@code user_storage_quota} and {@code
   * image_member_quota}}
   */
  public String toGlanceConfDiff() {
    List<String> wanted = List.of("user_storage_quota = " + storageText(userStorageQuota),
        "image_member_quota = " + members);
    StringBuilder out = new StringBuilder("--- glance-api.conf\n+++ glance-api.conf\n")
        .append("@@ -1,").append(current.size() + 1).append(" +1,").append(wanted.size() + 1)
        .append(" @@\n [DEFAULT]\n");
    for (int i = 0; i < wanted.size(); i++) {
      if (current.get(i).equals(wanted.get(i))) {
        out.append(' ').append(wanted.get(i)).append('\n');
      } else {
        out.append('-').append(current.get(i)).append('\n')
            .append('+').append(wanted.get(i)).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * {@code user_storage_quota} as Glance's grammar writes bytes: in the largest binary unit that
   * divides it; 0 (Glance's "no quota") for none, and a budget of nothing as {@code 1B}, the
   * least Glance can express.
   */
  static String storageText(long bytes) {
    if (bytes < 0) {
      return "0";
    }
    if (bytes == 0) {
      return "1B";
    }
    String[] units = {"TB", "GB", "MB", "KB"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (40 - 10 * i);
      if (bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return bytes + "B";
  }

  /**
   * {@return the OpenStack client commands that register the limits: size and stage registered
   * as 0 (Glance's answer for a project without its own limit), counts registered for every
   * project, and one {@code limit create} per project for size and stage}
   */
  public String toLimitCommands() {
    StringBuilder out = new StringBuilder();
    if (budget < 0) {
      out.append("# No store fitted has a bound: the size and stage limits are left unlimited.\n");
    }
    registered(out, UnifiedLimit.IMAGE_SIZE_TOTAL, budget < 0 ? -1 : 0);
    registered(out, UnifiedLimit.IMAGE_STAGE_TOTAL, budget < 0 ? -1 : 0);
    registered(out, UnifiedLimit.IMAGE_COUNT_TOTAL, images);
    registered(out, UnifiedLimit.IMAGE_COUNT_UPLOADING, uploads);
    for (ProjectLimits p : projects) {
      project(out, p.project(), UnifiedLimit.IMAGE_SIZE_TOTAL, mib(p.storage()));
      project(out, p.project(), UnifiedLimit.IMAGE_STAGE_TOTAL, mib(p.stage()));
    }
    return out.toString();
  }

  private static void registered(StringBuilder out, UnifiedLimit resource, long limit) {
    out.append("openstack registered limit create --service glance --default-limit ")
        .append(limit).append(' ').append(resource.resourceName()).append('\n');
  }

  private static void project(StringBuilder out, ProjectId project, UnifiedLimit resource,
      long limit) {
    out.append("openstack limit create --service glance --project ").append(project.value())
        .append(" --resource-limit ").append(limit).append(' ')
        .append(resource.resourceName()).append('\n');
  }

  /** {@return the recommendation as a JSON document: budget, stores, projects, counts} */
  public String toJson() {
    ObjectNode doc = Render.object();
    doc.put("budget", budget);
    binding.ifPresent(s -> doc.put("binding_store", s.value()));
    doc.put("copies", copies).put("user_storage_quota", userStorageQuota)
        .put("image_count_total", images).put("image_count_uploading", uploads)
        .put("image_member_quota", members);
    ArrayNode s = doc.putArray("stores");
    for (StoreBudget b : stores) {
      s.addObject().put("store", b.store().value()).put("total", b.total())
          .put("used", b.used()).put("uncharged", b.uncharged()).put("usable", b.usable());
    }
    ArrayNode p = doc.putArray("projects");
    for (ProjectLimits l : projects) {
      p.addObject().put("project", l.project().value()).put("weight", l.weight())
          .put("image_size_total", l.storage()).put("image_stage_total", l.stage())
          .put("stored", l.stored()).put("distinct", l.distinct(copies));
    }
    return Render.json(doc);
  }

  /** {@return the recommendation as Markdown: the stores, the projects, then both renderings} */
  public String toMarkdown() {
    StringBuilder out = new StringBuilder("## Quota recommendation\n\n");
    out.append(budget < 0 ? "No store fitted has a bound: storage stays unlimited.\n\n"
        : "Budget: " + budget + " bytes, the usable bytes of "
            + binding.map(StoreId::value).orElse("—") + ". Copies per image: " + copies
            + ".\n\n");
    List<List<String>> rows = new ArrayList<>();
    for (StoreBudget b : stores) {
      rows.add(List.of(b.store().value(),
          b.total() == Long.MAX_VALUE ? "unbounded" : String.valueOf(b.total()),
          String.valueOf(b.used()), String.valueOf(b.uncharged()),
          b.usable() < 0 ? "unbounded" : String.valueOf(b.usable())));
    }
    Render.table(out, List.of("Store", "Capacity", "Used", "Uncharged", "Usable"), rows);
    out.append('\n');
    rows = new ArrayList<>();
    for (ProjectLimits l : projects) {
      rows.add(List.of(l.project().value(), String.valueOf(l.weight()), text(l.storage()),
          text(l.stage()), text(l.distinct(copies)),
          l.stored() + (l.isOver() ? " (over)" : "")));
    }
    Render.table(out, List.of("Project", "Weight", "image_size_total", "image_stage_total",
        "Distinct bytes", "Stored now"), rows);
    out.append("\nSum of storage limits: ").append(text(total())).append(" bytes. Per project: ")
        .append(images).append(" images, ").append(uploads).append(" uploads at a time; ")
        .append(members).append(" members per image.\n\n### glance-api.conf\n\n```diff\n")
        .append(toGlanceConfDiff()).append("```\n\n### Unified limits\n\n```sh\n")
        .append(toLimitCommands()).append("```\n");
    return out.toString();
  }

  private static String text(long bytes) {
    return bytes < 0 ? "unlimited" : String.valueOf(bytes);
  }
}
