package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.access.Caller;
import dev.imagegov.model.ImageId;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.ImageField;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.fixture.CloudMix;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * One page of each common list query through {@code ImageGovernance}, as a consumer and as an
 * admin, first page and deep page (the marker of the row at half the list), on a {@code
 * MemoryCatalog} indexing {@code name}, {@code size} and the custom property {@code os_distro},
 * holding the testkit's cloud-shaped {@link CloudMix} of 50 owner projects and 200 consumer
 * projects (every image shared with 3 consumers who accepted it, 1% public, 12 custom properties
 * and 3 tags per image, 16 names: one in 16 images carries a given name). A fresh {@code Caller}
 * per request.
 *
 * <p>The shapes: {@code default} (no parameter), {@code sort=name:asc}, {@code sort_key=size},
 * {@code name=X}, {@code tag=T}, {@code owner=P}, {@code visibility=shared&member_status=accepted}
 * and {@code os_distro=ubuntu}; and {@code sort_key=updated_at}, a sort key this catalog does not
 * index (see store-memory's README), to measure the growth of what is not indexed. The set-up
 * finds each shape's deep marker by walking the list once and checks that no first page is
 * empty.
 */
public class ListShapesBenchmark extends ListPageBenchmark {
  /** The catalog: 50 owners, 200 consumers. */
  static final CloudMix MIX = CloudMix.of(50, 200);

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
      catalog.insert(MIX.image(n));
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
        ? Caller.admin(CloudMix.projectName(MIX.owners() + MIX.consumers()))
        : Caller.member(MIX.consumer(7).value());
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
        return r.with("name", "ubuntu-1");
      case "tag":
        return r.with("tag", "gpu");
      case "owner":
        return r.with("owner", CloudMix.projectName(3));
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
}
