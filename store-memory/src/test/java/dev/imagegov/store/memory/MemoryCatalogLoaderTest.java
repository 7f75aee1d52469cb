package dev.imagegov.store.memory;

import static dev.imagegov.store.memory.TestImages.ALICE;
import static dev.imagegov.store.memory.TestImages.BOB;
import static dev.imagegov.store.memory.TestImages.CAROL;
import static dev.imagegov.store.memory.TestImages.T0;
import static dev.imagegov.store.memory.TestImages.id;
import static dev.imagegov.store.memory.TestImages.image;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.Tombstone;
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
 * A bulk load ({@link MemoryCatalog#loader}) stores what {@code restore} would, refuses what it
 * refuses, fills empty catalogs only, and leaves indexes that later writes keep right.
 */
final class MemoryCatalogLoaderTest {
  private static final List<CatalogQuery> QUERIES = List.of(
      CatalogQuery.builder().seesAll(true).limit(1000).build(),
      CatalogQuery.builder().seesAll(true).limit(1000).addSort(SortKey.asc(ImageField.NAME)).build(),
      CatalogQuery.builder().seesAll(true).limit(1000).addSort(SortKey.desc(ImageField.SIZE)).build(),
      CatalogQuery.builder().project(ALICE).limit(1000).build(),
      CatalogQuery.builder().project(CAROL).limit(1000).build(),
      CatalogQuery.builder().seesAll(true).limit(1000).addTags("t1").build());

  private static void answersAsTheEvaluator(MemoryCatalog catalog) {
    List<Image> all = new ArrayList<>();
    catalog.forEach(all::add);
    for (CatalogQuery q : QUERIES) {
      assertThat(catalog.query(q)).as("%s", q)
          .containsExactlyElementsOf(QueryEvaluator.evaluate(q, all, id -> Optional.empty()));
    }
  }

  /** Image {@code n}: a mix of owners, visibilities, names, sizes, tags and memberships. */
  private static Image mixed(long n) {
    Image image = image(n, n % 2 == 0 ? ALICE : BOB,
        n % 3 == 0 ? Visibility.PUBLIC : Visibility.SHARED, n % 50).toBuilder()
        .name("img-" + (n % 7)).size(n % 11).addTags("t" + (n % 3)).version(n % 4 + 1).build();
    return image.visibility() == Visibility.SHARED
        ? TestImages.withMember(image, CAROL, MemberStatus.values()[(int) (n % 3)]) : image;
  }

  @Test
  void aBulkLoadedCatalogListsExactlyWhatTheEvaluatorListsAndLaterWritesKeepItRight() {
    MemoryCatalog catalog = new MemoryCatalog();
    MemoryCatalog.Loader loader = catalog.loader();
    // Added out of every index's order, so that every index sorts a shuffled run.
    for (long n = 1; n <= 300; n++) {
      loader.add(mixed((n * 137) % 300 + 1));
    }
    loader.add(Tombstone.of(id(1000), Optional.of(ALICE), ImageStatus.DELETED, T0));
    assertThat(catalog.find(id(5))).as("an added image is found before finish").isPresent();
    loader.finish();
    assertThat(catalog.size()).isEqualTo(300);
    assertThat(catalog.find(id(7))).contains(mixed(7));
    assertThat(catalog.tombstone(id(1000))).isPresent();
    answersAsTheEvaluator(catalog);

    Image seven = catalog.find(id(7)).orElseThrow();
    catalog.compareAndSet(seven.version(), seven.toBuilder().name("aaa").size(1000).build());
    Image eight = catalog.find(id(8)).orElseThrow();
    catalog.delete(eight.id(), eight.version(), ImageStatus.DELETED, T0);
    catalog.insert(mixed(301));
    answersAsTheEvaluator(catalog);
  }

  @Test
  void writesDuringABulkLoadAreListedInTheirLatestVersionOnceItIsFinished() {
    MemoryCatalog catalog = new MemoryCatalog();
    MemoryCatalog.Loader loader = catalog.loader();
    for (long n = 1; n <= 100; n++) {
      loader.add(mixed(n));
    }
    // What a journal replayed after the snapshot does: restores, updates (a move in every
    // order), deletes (of a loaded and of a restored image), a delete undone.
    catalog.restore(mixed(101));
    catalog.restore(mixed(102));
    Image seven = catalog.find(id(7)).orElseThrow();
    catalog.compareAndSet(seven.version(),
        seven.toBuilder().name("aaa").size(1000).createdAt(T0.plusSeconds(9999)).build());
    Image eight = catalog.find(id(8)).orElseThrow();
    catalog.delete(eight.id(), eight.version(), ImageStatus.DELETED, T0);
    Image restored = catalog.find(id(102)).orElseThrow();
    catalog.delete(restored.id(), restored.version(), ImageStatus.DELETED, T0);
    Image nine = catalog.find(id(9)).orElseThrow();
    catalog.delete(nine.id(), nine.version(), ImageStatus.PENDING_DELETE, T0);
    catalog.undelete(nine.id(), T0.plusSeconds(1));
    assertThat(catalog.query(QUERIES.get(0))).as("nothing is listed before finish").isEmpty();
    loader.finish();

    assertThat(catalog.size()).isEqualTo(100);
    assertThat(catalog.find(id(7)).orElseThrow().name()).contains("aaa");
    assertThat(catalog.find(id(8))).isEmpty();
    assertThat(catalog.find(id(102))).isEmpty();
    assertThat(catalog.find(id(9))).isPresent();
    answersAsTheEvaluator(catalog);
    // The indexes hold each live image once, in its latest version: later writes keep them right.
    Image latest = catalog.find(id(7)).orElseThrow();
    catalog.compareAndSet(latest.version(), latest.toBuilder().name("zzz").size(1).build());
    Image nineNow = catalog.find(id(9)).orElseThrow();
    catalog.delete(nineNow.id(), nineNow.version(), ImageStatus.DELETED, T0);
    answersAsTheEvaluator(catalog);
  }

  @Test
  void aBulkLoadRefusesAKnownIdAndFillsAnEmptyCatalogOnly() {
    MemoryCatalog catalog = new MemoryCatalog();
    MemoryCatalog.Loader loader = catalog.loader();
    loader.add(mixed(1));
    loader.add(Tombstone.of(id(2), Optional.of(ALICE), ImageStatus.DELETED, T0));
    assertThatThrownBy(() -> loader.add(mixed(1)))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID));
    assertThatThrownBy(() -> loader.add(mixed(2)))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID));
    assertThatThrownBy(() -> loader.add(mixed(3).withVersion(0)))
        .isInstanceOf(IllegalArgumentException.class);
    loader.finish();
    assertThat(catalog.size()).isEqualTo(1);
    assertThatThrownBy(() -> loader.add(mixed(4))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(catalog::loader).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aSecondBulkLoadIsRefusedUntilTheFirstIsFinished() {
    MemoryCatalog catalog = new MemoryCatalog();
    MemoryCatalog.Loader first = catalog.loader();
    assertThatThrownBy(catalog::loader).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another bulk load");
    first.add(mixed(1));
    first.finish();
    assertThat(catalog.size()).as("the first load, whole").isEqualTo(1);
    answersAsTheEvaluator(catalog);
  }

  @Test
  void aRefusedBulkLoadAddChangesNeitherTheCatalogNorTheBatch() {
    MemoryCatalog catalog = new MemoryCatalog();
    MemoryCatalog.Loader loader = catalog.loader();
    loader.add(mixed(1));
    assertThatThrownBy(() -> loader.add((Image) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> loader.add((Tombstone) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> loader.add(mixed(3).withVersion(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catalog.find(id(3))).as("a refused image is not stored").isEmpty();
    loader.finish();
    assertThatThrownBy(loader::finish).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> loader.add(mixed(4).withVersion(0)))
        .as("a finished load refuses first for being finished")
        .isInstanceOf(IllegalStateException.class);
    assertThat(catalog.size()).isEqualTo(1);
    assertThat(catalog.isKnown(id(3))).isFalse();
    answersAsTheEvaluator(catalog);
  }
}
