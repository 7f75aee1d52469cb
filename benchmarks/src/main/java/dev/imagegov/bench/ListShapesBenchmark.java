package dev.imagegov.bench;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.ImageField;
import dev.imagegov.store.memory.MemoryCatalog;
import java.time.Instant;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One page of each common list query through {@code ImageGovernance}, as a consumer and as an
 * admin, first page and deep page (the marker of the row at half the list), on a {@code
 * MemoryCatalog} indexing {@code name}, {@code size} and the custom property {@code os_distro},
 * holding a cloud-shaped catalog: 50 owner projects, 200 consumer projects, every image shared
 * with 3 consumers who accepted it (1% of images public), 12 custom properties and 3 tags per
 * image, 32 names (one in 32 images carries a given name). A fresh {@code Caller} per request.
 *
 * <p>The shapes: {@code default} (no parameter), {@code sort=name:asc}, {@code sort_key=size},
 * {@code name=X}, {@code tag=T}, {@code owner=P}, {@code visibility=shared&member_status=accepted}
 * and {@code os_distro=ubuntu}; and {@code sort_key=updated_at}, a sort key this catalog does not
 * index (see store-memory's README), to measure the growth of what is not indexed. The set-up
 * finds each shape's deep marker by walking the list once and checks that no first page is
 * empty.
 */
public class ListShapesBenchmark extends ListPageBenchmark {
  static final int OWNERS = 50;
  static final int CONSUMERS = 200;
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final List<String> DISTROS =
      List.of("ubuntu", "debian", "centos", "fedora", "rhel", "windows", "alpine", "rocky");
  private static final List<String> TAGS =
      List.of("gold", "silver", "bronze", "gpu", "hpc", "web", "db", "edge", "ci", "lts");

  /** The query. */
  @Param({
    "default", "name_asc", "size", "name", "tag", "owner", "shared_accepted", "property",
    "updated_at"
  })
  public String shape;

  /** Who asks. */
  @Param({"consumer", "admin"})
  public String role;

  /** Loads the catalog, builds the request and finds the deep marker. */
  @Setup(Level.Trial)
  public void load() {
    MemoryCatalog catalog =
        MemoryCatalog.builder()
            .sortIndexes(List.of(ImageField.NAME, ImageField.SIZE))
            .propertyIndexes(List.of("os_distro"))
            .build();
    for (int n = 0; n < images; n++) {
      catalog.insert(image(n));
    }
    governance = ImageGovernance.builder().catalog(catalog).build();
    ListRequest base = request(shape);
    ImageList first = governance.images().list(caller(), base);
    if (first.images().isEmpty()) {
      throw new IllegalStateException(shape + " as " + role + ": an empty first page");
    }
    choosePage(base);
  }

  @Override
  Caller caller() {
    return role.equals("admin")
        ? Caller.admin(Dataset.projectName(OWNERS + CONSUMERS))
        : Caller.member(Dataset.projectName(OWNERS + 7));
  }

  private static ListRequest request(String shape) {
    ListRequest r = ListRequest.empty();
    switch (shape) {
      case "default":
        return r;
      case "name_asc":
        return r.with("sort", "name:asc");
      case "size":
        return r.with("sort_key", "size");
      case "name":
        return r.with("name", "ubuntu-3");
      case "tag":
        return r.with("tag", "gpu");
      case "owner":
        return r.with("owner", Dataset.projectName(3));
      case "shared_accepted":
        return r.with("visibility", "shared").with("member_status", "accepted");
      case "property":
        return r.with("os_distro", "ubuntu");
      case "updated_at":
        return r.with("sort_key", "updated_at");
      default:
        throw new IllegalArgumentException(shape);
    }
  }

  /** Image {@code n}: a pure function of {@code n}. */
  static Image image(int n) {
    ImageId id = Dataset.imageId(n);
    Instant created = T0.plusSeconds(n);
    boolean isPublic = Dataset.pick(n, 2, 100) == 0;
    ImmutableMap.Builder<String, String> properties = ImmutableMap.builder();
    properties.put("os_distro", DISTROS.get(Dataset.pick(n, 8, DISTROS.size())));
    properties.put("hw_disk_bus", "virtio");
    for (int k = 0; k < 10; k++) {
      properties.put("prop_" + k, "v" + Dataset.pick(n, 60 + k, 4));
    }
    long bytes = 50_000_000L + (Dataset.mix(n, 30) & 0xfffffffL);
    var b =
        Image.builder()
            .id(id)
            .name(DISTROS.get(Dataset.pick(n, 8, DISTROS.size())) + "-" + Dataset.pick(n, 13, 4))
            .status(ImageStatus.ACTIVE)
            .visibility(isPublic ? Visibility.PUBLIC : Visibility.SHARED)
            .owner(Dataset.project(Dataset.pick(n, 1, OWNERS)))
            .diskFormat("qcow2")
            .containerFormat("bare")
            .size(bytes)
            .virtualSize(bytes * 4)
            .properties(properties.build())
            .createdAt(created)
            .updatedAt(created.plusSeconds(1 + Dataset.pick(n, 9, 3600)));
    int t = Dataset.pick(n, 14, TAGS.size());
    b.addTags(TAGS.get(t), TAGS.get((t + 3) % TAGS.size()), TAGS.get((t + 7) % TAGS.size()));
    if (!isPublic) {
      int first = Dataset.pick(n, 10, CONSUMERS);
      for (int k = 0; k < 3; k++) {
        ProjectId project = Dataset.project(OWNERS + (first + k * 67) % CONSUMERS);
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
}
