package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import dev.imagegov.testkit.fixture.CloudMix;
import java.util.List;

/**
 * The testkit's {@link CloudMix} made dense enough that every list shape of a consumer holds
 * several pages already at a few thousand images ({@link #OWNERS} owner projects, {@link
 * #CONSUMERS} consumer projects), with the caller's list query of each common shape, as core's
 * parser builds it (which always adds {@code os_hidden = false}).
 */
final class CloudLists {
  static final int OWNERS = 20;
  static final int CONSUMERS = 10;
  static final int PAGE = 25;
  static final List<String> DISTROS = CloudMix.DISTROS;
  static final List<String> TAGS = CloudMix.TAGS;
  private static final CloudMix MIX = CloudMix.of(OWNERS, CONSUMERS);

  /** The consumer whose lists are measured. */
  static final ProjectId CONSUMER = MIX.consumer(3);

  /** The admin's project (it owns nothing). */
  static final ProjectId ADMIN = ProjectId.of("admin");

  /** The owner an {@code owner=P} query names. */
  static final ProjectId OWNER = project(5);

  private CloudLists() {}

  static ProjectId project(int p) {
    return CloudMix.project(p);
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
    return MIX.image(n);
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

  /** A consumer project below {@link #PARENT} and {@link #DOMAIN}, a direct member of nothing. */
  static final ProjectId GROUP_CONSUMER = ProjectId.of("child-consumer");

  /** The parent project above {@link #GROUP_CONSUMER}. */
  static final ProjectId PARENT = ProjectId.of("parent-project");

  /** The domain above {@link #PARENT}. */
  static final ProjectId DOMAIN = ProjectId.of("domain");

  /**
   * A catalog holding images {@code 0} to {@code size - 1}, each shared image of which one in
   * three is also offered to {@link #PARENT} and one in three to {@link #DOMAIN}; of those
   * offers, {@link #GROUP_CONSUMER} has accepted half (a group answer) and leaves the others
   * unanswered (pending).
   */
  static MemoryCatalog loadGrouped(MemoryCatalog catalog, int size) {
    for (int n = 0; n < size; n++) {
      Image image = image(n);
      int group = CloudMix.pick(n, 40, 3);
      if (!image.members().isEmpty() && group < 2) {
        ProjectId via = group == 0 ? PARENT : DOMAIN;
        Member offer =
            Member.builder()
                .imageId(image.id())
                .project(via)
                .status(MemberStatus.ACCEPTED)
                .createdAt(image.createdAt())
                .updatedAt(image.createdAt())
                .build();
        Image.Builder b = image.toBuilder().putMembers(via, offer);
        if (CloudMix.pick(n, 41, 2) == 0) {
          b.putMembers(
              GROUP_CONSUMER,
              offer.toBuilder().project(GROUP_CONSUMER).via(via).build());
        }
        image = b.build();
      }
      catalog.insert(image);
    }
    return catalog;
  }

  /**
   * The first page of {@code shape} ({@code default}, {@code shared_accepted} or {@code
   * pending}) as {@link #GROUP_CONSUMER}, whose lineage is {@link #PARENT} then {@link #DOMAIN}.
   */
  static CatalogQuery groupQuery(String shape) {
    CatalogQuery.Builder q =
        CatalogQuery.builder()
            .project(GROUP_CONSUMER)
            .addLineage(PARENT, DOMAIN)
            .limit(PAGE)
            .addFilters(FieldFilter.eq(ImageField.OS_HIDDEN, false));
    switch (shape) {
      case "default":
        break;
      case "shared_accepted":
        q.visibility(VisibilityFilter.SHARED).memberStatus(MemberStatus.ACCEPTED);
        break;
      case "pending":
        q.memberStatus(MemberStatus.PENDING);
        break;
      default:
        throw new IllegalArgumentException(shape);
    }
    return q.build();
  }
}
