package dev.imagegov.store.memory;

import static dev.imagegov.store.memory.TestImages.ALICE;
import static dev.imagegov.store.memory.TestImages.BOB;
import static dev.imagegov.store.memory.TestImages.CAROL;
import static dev.imagegov.store.memory.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The indexes share one slot per image: a write that moves the image in no index swaps the
 * version in place, any other write moves it, and either way every kept order answers as the
 * evaluator does (a slot changed in place under a sorted set would corrupt it). A write touches
 * only the index entries whose key or selector it changes: counted by the catalog's {@code
 * indexWrites} probe (entries added or removed), with the default sort indexes ({@code
 * created_at}, {@code name}, {@code size}: three families, each holding a private image once by
 * visibility and once by owner).
 */
final class MemoryCatalogSlotTest {
  private static final List<CatalogQuery> QUERIES = List.of(
      CatalogQuery.builder().seesAll(true).limit(100).build(),
      CatalogQuery.builder().seesAll(true).limit(100).addSort(SortKey.asc(ImageField.NAME)).build(),
      CatalogQuery.builder().seesAll(true).limit(100).addSort(SortKey.desc(ImageField.SIZE)).build(),
      CatalogQuery.builder().project(ALICE).limit(100).build());

  private static void answersAsTheEvaluator(MemoryCatalog catalog) {
    List<Image> all = new ArrayList<>();
    catalog.forEach(all::add);
    for (CatalogQuery q : QUERIES) {
      assertThat(catalog.query(q)).as("%s", q)
          .containsExactlyElementsOf(QueryEvaluator.evaluate(q, all, id -> Optional.empty()));
    }
  }

  private static MemoryCatalog catalogOfTen() {
    return catalogOfTen(new MemoryCatalog());
  }

  private static MemoryCatalog catalogOfTen(MemoryCatalog catalog) {
    for (long n = 1; n <= 10; n++) {
      catalog.insert(image(n, n % 2 == 0 ? ALICE : BOB, n % 3 == 0 ? Visibility.PUBLIC
          : Visibility.PRIVATE, n).toBuilder().name("img-" + (n % 4)).size(n * 10).build());
    }
    return catalog;
  }

  private static Image stored(MemoryCatalog catalog, long n) {
    return catalog.find(TestImages.id(n)).orElseThrow();
  }

  private static void write(MemoryCatalog catalog, Image next) {
    Image current = stored(catalog, Long.parseLong(next.id().value().substring(
        next.id().value().length() - 12), 16));
    assertThat(catalog.compareAndSet(current.version(), next))
        .isInstanceOf(dev.imagegov.spi.CompareAndSetResult.Stored.class);
  }

  @Test
  void aPropertyChangeSwapsTheVersionAndListsTheNewOne() {
    MemoryCatalog catalog = catalogOfTen();
    Image changed = stored(catalog, 4).toBuilder().putProperties("os_distro", "debian").build();
    write(catalog, changed);
    assertThat(catalog.query(QUERIES.get(0))).filteredOn(i -> i.id().equals(changed.id()))
        .singleElement().satisfies(i -> assertThat(i.properties()).containsEntry("os_distro", "debian"));
    answersAsTheEvaluator(catalog);
  }

  @Test
  void changingASortValueCreationTimeOwnerOrVisibilityMovesTheImage() {
    MemoryCatalog catalog = catalogOfTen();
    write(catalog, stored(catalog, 2).toBuilder().name("aaa").build());
    write(catalog, stored(catalog, 3).toBuilder().size(1).build());
    write(catalog, stored(catalog, 5).toBuilder()
        .createdAt(TestImages.T0.plusSeconds(1000)).build());
    write(catalog, stored(catalog, 6).toBuilder().owner(BOB).build());
    write(catalog, stored(catalog, 7).toBuilder().visibility(Visibility.PUBLIC).build());
    answersAsTheEvaluator(catalog);
    ImageId moved = TestImages.id(5);
    assertThat(catalog.query(QUERIES.get(0)).get(0).id()).isEqualTo(moved);
  }

  /** The index entries {@code next} adds or removes when written over its stored version. */
  private static long entriesMoved(MemoryCatalog catalog, Image next) {
    long before = catalog.indexWrites();
    write(catalog, next);
    return catalog.indexWrites() - before;
  }

  @Test
  void aPropertyPatchLeavesTheIndexEntriesAsTheyWereAndARenameMovesTheEntry() {
    MemoryCatalog catalog = catalogOfTen();
    Image image = stored(catalog, 4); // private, owned by alice
    assertThat(entriesMoved(catalog, image.toBuilder().putProperties("os_distro", "debian")
        .updatedAt(image.updatedAt().plusSeconds(5)).build())).isZero();
    answersAsTheEvaluator(catalog);
    // The name family's two entries (private, alice) are each taken out and put back.
    assertThat(entriesMoved(catalog, stored(catalog, 4).toBuilder().name("aaa").build()))
        .isEqualTo(4);
    answersAsTheEvaluator(catalog);
    CatalogQuery byName = QUERIES.get(1);
    assertThat(catalog.query(byName).get(0).id()).isEqualTo(image.id());
  }

  @Test
  void aVisibilityChangeMovesOnlyTheVisibilityEntries() {
    MemoryCatalog catalog = catalogOfTen();
    // In each of the three families: out of the private index, into the public one; the owner
    // entries stay.
    assertThat(entriesMoved(catalog,
        stored(catalog, 4).toBuilder().visibility(Visibility.PUBLIC).build())).isEqualTo(6);
    answersAsTheEvaluator(catalog);
  }

  @Test
  void anOwnerChangeMovesOnlyTheOwnerEntries() {
    MemoryCatalog catalog = catalogOfTen();
    assertThat(entriesMoved(catalog, stored(catalog, 4).toBuilder().owner(CAROL).build()))
        .isEqualTo(6);
    answersAsTheEvaluator(catalog);
    assertThat(catalog.query(CatalogQuery.builder().project(CAROL)
        .visibility(VisibilityFilter.PRIVATE).limit(100).build()))
        .extracting(Image::id).containsExactly(TestImages.id(4));
  }

  @Test
  void aNewMemberAddsOnlyItsMembershipEntries() {
    MemoryCatalog catalog = catalogOfTen();
    Image shared = TestImages.withMember(
        stored(catalog, 4).toBuilder().visibility(Visibility.SHARED).build(),
        BOB, MemberStatus.ACCEPTED);
    write(catalog, shared);
    // One membership index per family gets the image; the visibility, owner and bob's entries
    // stay.
    assertThat(entriesMoved(catalog,
        TestImages.withMember(stored(catalog, 4), CAROL, MemberStatus.PENDING))).isEqualTo(3);
    // Carol's answer moves her entry from the pending index to the accepted one.
    Image pending = stored(catalog, 4);
    Map<ProjectId, Member> answered = new LinkedHashMap<>(pending.members());
    answered.put(CAROL, answered.get(CAROL).toBuilder().status(MemberStatus.ACCEPTED).build());
    assertThat(entriesMoved(catalog, pending.replacingMembers(answered))).isEqualTo(6);
    answersAsTheEvaluator(catalog);
    assertThat(catalog.query(CatalogQuery.builder().project(CAROL)
        .memberStatus(MemberStatus.ACCEPTED).limit(100).build()))
        .extracting(Image::id).contains(TestImages.id(4));
  }

  @Test
  void aTagOrIndexedPropertyChangeMovesOnlyItsOwnEntries() {
    MemoryCatalog catalog =
        catalogOfTen(MemoryCatalog.builder().propertyIndexes(List.of("os_distro")).build());
    assertThat(entriesMoved(catalog, stored(catalog, 4).toBuilder().addTags("golden").build()))
        .isEqualTo(1);
    assertThat(entriesMoved(catalog,
        stored(catalog, 4).toBuilder().putProperties("os_distro", "debian").build())).isEqualTo(1);
    Map<String, String> properties = new LinkedHashMap<>(stored(catalog, 4).properties());
    properties.put("os_distro", "ubuntu");
    properties.put("other", "x");
    assertThat(entriesMoved(catalog,
        stored(catalog, 4).toBuilder().properties(properties).build())).isEqualTo(2);
    answersAsTheEvaluator(catalog);
    assertThat(catalog.query(CatalogQuery.builder().seesAll(true).limit(100)
        .putPropertyFilters("os_distro", "ubuntu").addTags("golden").build()))
        .extracting(Image::id).containsExactly(TestImages.id(4));
  }
}
