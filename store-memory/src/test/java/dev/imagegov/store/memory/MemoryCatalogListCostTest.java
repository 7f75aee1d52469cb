package dev.imagegov.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.Sets;
import dev.imagegov.model.Image;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.ImageField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cost of each common list query, counted in index rows examined ({@link
 * MemoryCatalog#examined}, load-independent and exact), does not grow with the catalog: on the
 * {@link CloudLists} at {@value #SMALL} and {@value #LARGE} images ({@value #LARGE} / {@value
 * #SMALL} = 8), the first page and the deep page (after the row at half the list) of each shape,
 * as a consumer and as an admin, examine at most 1.5 times as many rows at the larger size. A
 * cost of O(page + log n) examines a number of rows independent of n; one that filters a share
 * of the catalog grows 8 times.
 */
class MemoryCatalogListCostTest {
  static final int SMALL = 4_000;
  static final int LARGE = 32_000;

  /** Every Glance sort key, and {@code owner} so that a consumer's {@code owner=P} is a range. */
  private static final Set<ImageField> GLANCE_AND_OWNER =
      Sets.union(MemoryCatalog.GLANCE_SORT_INDEXES, Set.of(ImageField.OWNER));

  private static final Map<Integer, MemoryCatalog> DEFAULTS = new LinkedHashMap<>();
  private static final Map<Integer, MemoryCatalog> GLANCE_SORTS = new LinkedHashMap<>();
  private static final Map<Integer, MemoryCatalog> GROUPED = new LinkedHashMap<>();

  @BeforeAll
  static void load() {
    for (int size : new int[] {SMALL, LARGE}) {
      DEFAULTS.put(size, CloudLists.load(withDistro(MemoryCatalog.builder()).build(), size));
      GLANCE_SORTS.put(
          size,
          CloudLists.load(
              withDistro(MemoryCatalog.builder())
                  .sortIndexes(GLANCE_AND_OWNER)
                  .build(),
              size));
      GROUPED.put(size, CloudLists.loadGrouped(withDistro(MemoryCatalog.builder()).build(), size));
    }
  }

  private static MemoryCatalog.Builder withDistro(MemoryCatalog.Builder b) {
    return b.propertyIndexes(List.of("os_distro"));
  }

  @Test
  void everyCommonListShapeExaminesAsManyRowsAtEightTimesTheImages() {
    List<String> grown = new ArrayList<>();
    List<String> table = new ArrayList<>();
    for (String shape : CloudLists.SHAPES) {
      for (boolean admin : new boolean[] {false, true}) {
        for (boolean deep : new boolean[] {false, true}) {
          check(
              DEFAULTS,
              shape + " admin=" + admin,
              CloudLists.query(shape, admin),
              deep,
              grown,
              table);
        }
      }
    }
    assertThat(grown).as("shapes whose cost grew, of:%n%s", String.join("\n", table)).isEmpty();
  }

  /**
   * Every sort key Glance offers ({@code sort_key} of {@code status}, {@code container_format},
   * {@code disk_format}, {@code id}, {@code updated_at}, besides {@code name}, {@code size} and
   * {@code created_at}) costs O(page + log n) once {@link MemoryCatalog#GLANCE_SORT_INDEXES} are
   * indexed; and with {@code owner} indexed too, a consumer's {@code owner=P} reads exactly the
   * rows it lists.
   */
  @Test
  void everyGlanceSortKeyExaminesAsManyRowsAtEightTimesTheImagesWhenIndexed() {
    List<String> grown = new ArrayList<>();
    List<String> table = new ArrayList<>();
    for (String shape :
        List.of(
            "status", "container_format", "disk_format", "id", "updated_at", "name", "size",
            "owner")) {
      for (boolean admin : new boolean[] {false, true}) {
        for (boolean deep : new boolean[] {false, true}) {
          check(
              GLANCE_SORTS,
              shape + " admin=" + admin,
              CloudLists.query(shape, admin),
              deep,
              grown,
              table);
        }
      }
    }
    assertThat(grown).as("sorts whose cost grew, of:%n%s", String.join("\n", table)).isEmpty();
    CatalogQuery owner = CloudLists.query("owner", false);
    assertThat(GLANCE_SORTS.get(LARGE).examined(owner)).isEqualTo(CloudLists.PAGE);
  }

  /**
   * Hierarchical sharing keeps listing O(page + log n): a consumer that is a member of images
   * only through its parent project and its domain (some offers accepted, the others
   * unanswered, so pending) lists by default, {@code visibility=shared&member_status=accepted}
   * and {@code member_status=pending} examining as many rows at eight times the images.
   */
  @Test
  void aGroupMembersListsExamineAsManyRowsAtEightTimesTheImages() {
    List<String> grown = new ArrayList<>();
    List<String> table = new ArrayList<>();
    for (String shape : List.of("default", "shared_accepted", "pending")) {
      for (boolean deep : new boolean[] {false, true}) {
        check(GROUPED, shape + " via group", CloudLists.groupQuery(shape), deep, grown, table);
      }
    }
    assertThat(grown)
        .as("group shapes whose cost grew, of:%n%s", String.join("\n", table))
        .isEmpty();
  }

  /**
   * What the default indexes leave unindexed, so that it grows with the catalog (as the module's
   * README says): a sort on a key that is not configured examines every row the caller may list.
   */
  @Test
  void aSortOnAnUnconfiguredKeyExaminesEveryRowTheCallerMayList() {
    for (boolean admin : new boolean[] {false, true}) {
      CatalogQuery query = CloudLists.query("updated_at", admin);
      long small = DEFAULTS.get(SMALL).examined(query);
      long large = DEFAULTS.get(LARGE).examined(query);
      assertThat(large).as("admin=%s: %d rows at %d", admin, small, SMALL).isGreaterThan(7 * small);
    }
  }

  private static void check(
      Map<Integer, MemoryCatalog> catalogs,
      String label,
      CatalogQuery first,
      boolean deep,
      List<String> grown,
      List<String> table) {
    long[] examined = new long[2];
    int i = 0;
    for (Map.Entry<Integer, MemoryCatalog> e : catalogs.entrySet()) {
      MemoryCatalog catalog = e.getValue();
      CatalogQuery query = page(catalog, first, deep);
      assertThat(catalog.query(query))
          .as("%s deep=%s at %d: a full page", label, deep, e.getKey())
          .hasSize(CloudLists.PAGE);
      examined[i++] = catalog.examined(query);
    }
    String row =
        String.format(
            "%s deep=%s: %d rows at %d, %d at %d",
            label, deep, examined[0], SMALL, examined[1], LARGE);
    table.add(row);
    System.out.println(row);
    if (examined[1] * 2 > examined[0] * 3) {
      grown.add(row);
    }
  }

  /** {@code first}, or the page after the row at half of its whole list when {@code deep}. */
  private static CatalogQuery page(MemoryCatalog catalog, CatalogQuery first, boolean deep) {
    if (!deep) {
      return first;
    }
    List<Image> all = catalog.query(first.toBuilder().limit(Integer.MAX_VALUE).build());
    return first.toBuilder().marker(all.get(all.size() / 2).id()).build();
  }
}
