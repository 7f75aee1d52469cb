package dev.imagegov.store.memory;

import static dev.imagegov.store.memory.TestImages.ALICE;
import static dev.imagegov.store.memory.TestImages.BOB;
import static dev.imagegov.store.memory.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The indexes share one slot per image: a write that moves the image in no index swaps the
 * version in place, any other write moves it, and either way every kept order answers as the
 * evaluator does (a slot changed in place under a sorted set would corrupt it).
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
    MemoryCatalog catalog = new MemoryCatalog();
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
}
