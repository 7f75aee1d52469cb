package dev.imagegov.store.memory;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A cloud-shaped catalog, image {@code n} a pure function of {@code n}, dense enough that every
 * list shape of a consumer holds several pages already at a few thousand images: {@link #OWNERS}
 * owner projects, {@link #CONSUMERS} consumer projects, 1% of images public, every other one
 * shared with 3 distinct consumers who accepted it, 12 custom properties (among them {@code
 * os_distro} of 8 values), 3 tags of 10, 16 names, one of 4 disk formats, 2 statuses. With the
 * caller's list query of each common shape, as core's parser builds it (which always adds {@code
 * os_hidden = false}).
 */
final class CloudMix {
  static final int OWNERS = 20;
  static final int CONSUMERS = 10;
  static final int PAGE = 25;
  static final List<String> DISTROS =
      List.of("ubuntu", "debian", "centos", "fedora", "rhel", "windows", "alpine", "rocky");
  static final List<String> TAGS =
      List.of("gold", "silver", "bronze", "gpu", "hpc", "web", "db", "edge", "ci", "lts");
  private static final List<String> DISK_FORMATS = List.of("qcow2", "raw", "vmdk", "iso");
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** The consumer whose lists are measured. */
  static final ProjectId CONSUMER = project(OWNERS + 3);

  /** The admin's project (it owns nothing). */
  static final ProjectId ADMIN = ProjectId.of("admin");

  /** The owner an {@code owner=P} query names. */
  static final ProjectId OWNER = project(5);

  private CloudMix() {}

  static ProjectId project(int p) {
    return ProjectId.of(String.format("p%04d", p));
  }

  /** A catalog holding images {@code 0} to {@code size - 1}. */
  static MemoryCatalog load(MemoryCatalog catalog, int size) {
    for (int n = 0; n < size; n++) {
      catalog.insert(image(n));
    }
    return catalog;
  }

  /** Image {@code n}. */
  static Image image(int n) {
    ImageId id = ImageId.of(new UUID(mix(n, 100), mix(n, 101)));
    Instant created = T0.plusSeconds(n);
    boolean isPublic = pick(n, 2, 100) == 0;
    String distro = DISTROS.get(pick(n, 8, DISTROS.size()));
    ImmutableMap.Builder<String, String> properties = ImmutableMap.builder();
    properties.put("os_distro", distro);
    properties.put("hw_disk_bus", "virtio");
    for (int k = 0; k < 10; k++) {
      properties.put("prop_" + k, "v" + pick(n, 60 + k, 4));
    }
    long bytes = 50_000_000L + (mix(n, 30) & 0xfffffffL);
    var b =
        Image.builder()
            .id(id)
            .name(distro + "-" + pick(n, 13, 2))
            .status(pick(n, 3, 10) == 0 ? ImageStatus.QUEUED : ImageStatus.ACTIVE)
            .visibility(isPublic ? Visibility.PUBLIC : Visibility.SHARED)
            .owner(project(pick(n, 1, OWNERS)))
            .diskFormat(DISK_FORMATS.get(pick(n, 5, DISK_FORMATS.size())))
            .containerFormat("bare")
            .size(bytes)
            .properties(properties.build())
            .createdAt(created)
            .updatedAt(created.plusSeconds(1 + pick(n, 9, 3600)));
    int t = pick(n, 14, TAGS.size());
    b.addTags(TAGS.get(t), TAGS.get((t + 3) % TAGS.size()), TAGS.get((t + 7) % TAGS.size()));
    if (!isPublic) {
      int first = pick(n, 10, CONSUMERS);
      for (int k = 0; k < 3; k++) {
        ProjectId project = project(OWNERS + (first + k * 3) % CONSUMERS);
        b.putMembers(
            project,
            Member.builder()
                .imageId(id)
                .project(project)
                .status(MemberStatus.ACCEPTED)
                .createdAt(created.plusSeconds(60 + k))
                .updatedAt(created.plusSeconds(120 + k))
                .build());
      }
    }
    return b.build();
  }

  /** The common list shapes, by the names {@code ListShapesBenchmark} gives them. */
  static final List<String> SHAPES =
      List.of(
          "default", "name_asc", "size", "name", "tag", "owner", "shared_accepted", "property");

  /**
   * The first page of {@code shape} as {@code admin} or as {@link #CONSUMER}, as core's parser
   * builds it.
   */
  static CatalogQuery query(String shape, boolean admin) {
    CatalogQuery.Builder q =
        CatalogQuery.builder()
            .seesAll(admin)
            .project(admin ? ADMIN : CONSUMER)
            .limit(PAGE)
            .addFilters(FieldFilter.eq(ImageField.OS_HIDDEN, false));
    switch (shape) {
      case "default":
        break;
      case "name_asc":
        q.addSort(SortKey.asc(ImageField.NAME));
        break;
      case "size":
        q.addSort(SortKey.desc(ImageField.SIZE));
        break;
      case "name":
        q.addFilters(FieldFilter.eq(ImageField.NAME, "ubuntu-1"));
        break;
      case "tag":
        q.addTags("gpu");
        break;
      case "owner":
        q.addFilters(FieldFilter.eq(ImageField.OWNER, OWNER.value()));
        break;
      case "shared_accepted":
        q.visibility(VisibilityFilter.SHARED).memberStatus(MemberStatus.ACCEPTED);
        break;
      case "property":
        q.putPropertyFilters("os_distro", "ubuntu");
        break;
      default:
        q.addSort(SortKey.desc(ImageField.valueOf(shape.toUpperCase(java.util.Locale.ROOT))));
        break;
    }
    return q.build();
  }

  static long mix(long n, long salt) {
    long z = n * 0x9E3779B97F4A7C15L + (salt + 1) * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  static int pick(long n, long salt, int bound) {
    return (int) Math.floorMod(mix(n, salt), (long) bound);
  }
}
