package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Images with every attribute the catalog stores, in every live status and visibility, owned by
 * projects of a small pool, with members of every status (also dormant ones on images that are not
 * shared), tags and custom properties. The version is 0: the catalog assigns versions.
 *
 * <pre>{@code
 * Gen<Image> shared = Images.images().withVisibility(Visibility.SHARED).ownedBy(project);
 * Gen<Image> anything = Images.images().inAnyStatus().sometimesUnowned();
 * }</pre>
 *
 * <p>Shrinks towards the first value of every choice: image #1, {@code queued}, {@code public},
 * owned by {@code p0}, without name, size, tags, properties or members, created at {@link #T0}.
 */
public final class Images {
  /** The instant generated creation times count from. */
  public static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  /** Statuses an image can be stored in (every status but the two deleted ones). */
  public static final List<ImageStatus> LIVE_STATUSES =
      List.of(
          ImageStatus.QUEUED,
          ImageStatus.ACTIVE,
          ImageStatus.SAVING,
          ImageStatus.UPLOADING,
          ImageStatus.IMPORTING,
          ImageStatus.DEACTIVATED,
          ImageStatus.KILLED);

  private Images() {}

  /** {@return live images of every status and visibility, owned by the default project pool} */
  public static Spec images() {
    return new Spec(
        Ids.imageIds(),
        Generate.pick(LIVE_STATUSES),
        Generate.enumValues(Visibility.class),
        Projects.pool(Projects.DEFAULT_POOL),
        Ownership.OWNED,
        Optional.empty(),
        true,
        100);
  }

  private enum Ownership {
    OWNED,
    SOMETIMES_UNOWNED,
    UNOWNED
  }

  /**
   * An image generator with constraints; immutable (every method returns a new spec) and itself a
   * {@link Gen}.
   */
  public static final class Spec implements Gen<Image> {
    private final Gen<ImageId> ids;
    private final Gen<ImageStatus> statuses;
    private final Gen<Visibility> visibilities;
    private final List<ProjectId> projects;
    private final Ownership ownership;
    private final Optional<Gen<Map<ProjectId, MemberStatus>>> members;
    private final boolean withMembers;
    private final int createdWithinSeconds;

    private Spec(
        Gen<ImageId> ids,
        Gen<ImageStatus> statuses,
        Gen<Visibility> visibilities,
        List<ProjectId> projects,
        Ownership ownership,
        Optional<Gen<Map<ProjectId, MemberStatus>>> members,
        boolean withMembers,
        int createdWithinSeconds) {
      this.ids = ids;
      this.statuses = statuses;
      this.visibilities = visibilities;
      this.projects = List.copyOf(projects);
      this.ownership = ownership;
      this.members = members;
      this.withMembers = withMembers;
      this.createdWithinSeconds = createdWithinSeconds;
    }

    /**
     * {@return images with this id}
     *
     * @param id the image's id
     */
    public Spec withId(ImageId id) {
      return withIds(Generate.constant(id));
    }

    /**
     * {@return images with ids from {@code ids}}
     *
     * @param ids draws the images' ids
     */
    public Spec withIds(Gen<ImageId> ids) {
      return new Spec(
          ids,
          statuses,
          visibilities,
          projects,
          ownership,
          members,
          withMembers,
          createdWithinSeconds);
    }

    /**
     * {@return images of exactly this visibility}
     *
     * @param visibility the images' visibility
     */
    public Spec withVisibility(Visibility visibility) {
      return withVisibilities(visibility);
    }

    /**
     * {@return images of one of these visibilities}
     *
     * @param visibilities the visibilities to draw from
     */
    public Spec withVisibilities(Visibility... visibilities) {
      return new Spec(
          ids,
          statuses,
          Generate.pick(Arrays.asList(visibilities)),
          projects,
          ownership,
          members,
          withMembers,
          createdWithinSeconds);
    }

    /**
     * {@return images in exactly this status (a deleted status makes images insert refuses)}
     *
     * @param status the images' status
     */
    public Spec withStatus(ImageStatus status) {
      return withStatuses(status);
    }

    /**
     * {@return images in one of these statuses}
     *
     * @param statuses the statuses to draw from
     */
    public Spec withStatuses(ImageStatus... statuses) {
      return new Spec(
          ids,
          Generate.pick(Arrays.asList(statuses)),
          visibilities,
          projects,
          ownership,
          members,
          withMembers,
          createdWithinSeconds);
    }

    /**
     * {@return images in every status, the deleted ones included (for code that handles
     * tombstones)}
     */
    public Spec inAnyStatus() {
      return new Spec(
          ids,
          Generate.enumValues(ImageStatus.class),
          visibilities,
          projects,
          ownership,
          members,
          withMembers,
          createdWithinSeconds);
    }

    /**
     * {@return images owned by {@code owner}}
     *
     * @param owner the owning project
     */
    public Spec ownedBy(ProjectId owner) {
      return ownedByOneOf(List.of(owner));
    }

    /**
     * {@return images owned by {@code owner}}
     *
     * @param owner the owning project's id
     */
    public Spec ownedBy(String owner) {
      return ownedBy(ProjectId.of(owner));
    }

    /**
     * {@return images owned by one of {@code owners}; members are drawn from the same pool}
     *
     * @param owners the projects owners are drawn from
     */
    public Spec ownedByOneOf(List<ProjectId> owners) {
      return new Spec(
          ids,
          statuses,
          visibilities,
          owners,
          Ownership.OWNED,
          members,
          withMembers,
          createdWithinSeconds);
    }

    /**
     * {@return images whose owner and members come from {@code pool}, as before}
     *
     * @param pool the projects owners and members are drawn from
     */
    public Spec withProjects(List<ProjectId> pool) {
      return new Spec(
          ids, statuses, visibilities, pool, ownership, members, withMembers, createdWithinSeconds);
    }

    /** {@return images without an owner (visible to everyone by id)} */
    public Spec unowned() {
      return new Spec(
          ids,
          statuses,
          visibilities,
          projects,
          Ownership.UNOWNED,
          members,
          withMembers,
          createdWithinSeconds);
    }

    /** {@return images owned by a pool project, or about one in eight unowned} */
    public Spec sometimesUnowned() {
      return new Spec(
          ids,
          statuses,
          visibilities,
          projects,
          Ownership.SOMETIMES_UNOWNED,
          members,
          withMembers,
          createdWithinSeconds);
    }

    /** {@return images without members} */
    public Spec withoutMembers() {
      return new Spec(
          ids,
          statuses,
          visibilities,
          projects,
          ownership,
          Optional.empty(),
          false,
          createdWithinSeconds);
    }

    /**
     * {@return images whose memberships are drawn from {@code memberships} (the owner is left out)}
     *
     * @param memberships draws the member projects and their statuses
     */
    public Spec withMemberships(Gen<Map<ProjectId, MemberStatus>> memberships) {
      return new Spec(
          ids,
          statuses,
          visibilities,
          projects,
          ownership,
          Optional.of(memberships),
          true,
          createdWithinSeconds);
    }

    /**
     * {@return images with exactly these memberships (the owner is left out)}
     *
     * @param memberships the member projects and their statuses
     */
    public Spec withMembers(Map<ProjectId, MemberStatus> memberships) {
      return withMemberships(Generate.constant(Map.copyOf(memberships)));
    }

    /**
     * {@return images created within {@code seconds} of {@link #T0} (small spans give ties)}
     *
     * @param seconds the span after {@link #T0}, in seconds
     */
    public Spec createdWithin(int seconds) {
      return new Spec(
          ids, statuses, visibilities, projects, ownership, members, withMembers, seconds);
    }

    @Override
    public Image generate(RandomnessSource in) {
      ImageId id = ids.generate(in);
      ImageStatus status = statuses.generate(in);
      Visibility visibility = visibilities.generate(in);
      Optional<ProjectId> owner = owner(in);
      Optional<String> name = Names.optionalNames().generate(in);
      OptionalLong size =
          integers().between(0, 3).generate(in) == 0
              ? OptionalLong.empty()
              : OptionalLong.of(longs().between(0, 1000).generate(in));
      int minDisk = integers().between(0, 3).generate(in);
      boolean isProtected = integers().between(0, 4).generate(in) == 4;
      boolean osHidden = integers().between(0, 4).generate(in) == 4;
      Optional<String> diskFormat =
          Generate.pick(List.of("", "qcow2", "raw", "iso"))
              .map(f -> f.isEmpty() ? Optional.<String>empty() : Optional.of(f))
              .generate(in);
      Set<String> tags = Tags.tags().generate(in);
      Map<String, String> properties = PropertyMaps.properties().generate(in);
      Map<ProjectId, MemberStatus> memberships =
          withMembers
              ? members.orElseGet(() -> Members.memberships(projects, 3)).generate(in)
              : Map.of();
      long created = longs().between(0, createdWithinSeconds).generate(in);
      long updated = created + longs().between(0, 10).generate(in);
      Instant createdAt = T0.plusSeconds(created);
      Map<ProjectId, Member> rows = new LinkedHashMap<>();
      memberships.forEach(
          (p, s) -> {
            if (!owner.map(p::equals).orElse(false)) {
              rows.put(p, Member.pending(id, p, createdAt).withStatus(s, createdAt));
            }
          });
      return Image.builder()
          .id(id)
          .name(name)
          .status(status)
          .visibility(visibility)
          .owner(owner)
          .size(size)
          .minDisk(minDisk)
          .isProtected(isProtected)
          .osHidden(osHidden)
          .diskFormat(diskFormat)
          .tags(tags)
          .properties(properties)
          .members(rows)
          .createdAt(createdAt)
          .updatedAt(T0.plusSeconds(updated))
          .build();
    }

    private Optional<ProjectId> owner(RandomnessSource in) {
      switch (ownership) {
        case UNOWNED:
          return Optional.empty();
        case SOMETIMES_UNOWNED:
          if (integers().between(0, 7).generate(in) == 7) {
            return Optional.empty();
          }
          return Optional.of(Projects.from(projects).generate(in));
        default:
          return Optional.of(Projects.from(projects).generate(in));
      }
    }

    @Override
    public String asString(Image image) {
      return describe(image);
    }
  }

  /**
   * A one-line description of an image with what governs access and listing: {@code #3{shared
   * active owner=p1 "alpha" members={p2:pending} tags=[a] size=10 created=+12s v1}}.
   *
   * @param image the image as stored
   * @return a one-line description of an image with what governs access and listing: {@code
   *     #3{shared active owner=p1 "alpha" members={p2:pending} tags=[a] size=10 created=+12s v1}}
   */
  public static String describe(Image image) {
    StringBuilder out = new StringBuilder(Ids.shortName(image.id())).append('{');
    out.append(image.visibility().wireName()).append(' ').append(image.status().wireName());
    out.append(" owner=").append(image.owner().map(ProjectId::value).orElse("-"));
    image.name().ifPresent(n -> out.append(" \"").append(n).append('"'));
    if (!image.members().isEmpty()) {
      Map<ProjectId, MemberStatus> m = new LinkedHashMap<>();
      image.members().forEach((p, row) -> m.put(p, row.status()));
      out.append(" members=").append(Members.describe(m));
      image.members().values().stream().filter(row -> !row.isDirect()).forEach(row ->
          out.append(" ").append(row.project()).append("-answers-").append(row.via().get()));
    }
    if (!image.tags().isEmpty()) {
      out.append(" tags=").append(image.tags());
    }
    if (!image.properties().isEmpty()) {
      out.append(" props=").append(image.properties());
    }
    image.size().ifPresent(s -> out.append(" size=").append(s));
    if (image.isProtected()) {
      out.append(" protected");
    }
    if (image.osHidden()) {
      out.append(" hidden");
    }
    out.append(" created=+")
        .append(image.createdAt().getEpochSecond() - T0.getEpochSecond())
        .append('s');
    if (image.version() != 0) {
      out.append(" v").append(image.version());
    }
    return out.append('}').toString();
  }

  /**
   * Descriptions of several images, one per line.
   *
   * @param images the images to describe
   * @return one line per image, in order
   */
  public static String describe(List<Image> images) {
    List<String> lines = new ArrayList<>();
    images.forEach(i -> lines.add("  " + describe(i)));
    return lines.isEmpty() ? "  (none)" : String.join("\n", lines);
  }
}
