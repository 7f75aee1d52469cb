package dev.imagegov.store.memory;

import static dev.imagegov.store.memory.TestImages.ALICE;
import static dev.imagegov.store.memory.TestImages.BOB;
import static dev.imagegov.store.memory.TestImages.CAROL;
import static dev.imagegov.store.memory.TestImages.T0;
import static dev.imagegov.store.memory.TestImages.id;
import static dev.imagegov.store.memory.TestImages.image;
import static dev.imagegov.store.memory.TestImages.withMember;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MemoryCatalogTest {
  private final MemoryCatalog catalog = new MemoryCatalog();

  private static List<ImageId> ids(List<Image> images) {
    return images.stream().map(Image::id).toList();
  }

  // read and insert

  @Test
  void findOfUnknownIdIsEmpty() {
    assertThat(catalog.find(id(1))).isEmpty();
    assertThat(catalog.tombstone(id(1))).isEmpty();
    assertThat(catalog.isKnown(id(1))).isFalse();
  }

  @Test
  void insertStoresVersionOneWhateverTheGivenVersion() {
    Image stored = catalog.insert(image(1, ALICE).withVersion(42));

    assertThat(stored.version()).isEqualTo(1);
    assertThat(catalog.find(id(1))).contains(stored);
    assertThat(catalog.isKnown(id(1))).isTrue();
  }

  @Test
  void insertRefusesALiveId() {
    Image first = catalog.insert(image(1, ALICE));

    assertThatThrownBy(() -> catalog.insert(image(1, BOB)))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID))
        .hasMessage("Image ID " + id(1) + " already exists!");
    assertThat(catalog.find(id(1))).contains(first);
  }

  @Test
  void insertRefusesTheIdOfADeletedImage() {
    catalog.insert(image(1, ALICE));
    catalog.delete(id(1), 1, ImageStatus.DELETED, T0);

    assertThatThrownBy(() -> catalog.insert(image(1, ALICE)))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID));
    assertThat(catalog.find(id(1))).isEmpty();
    assertThat(catalog.size()).isZero();
  }

  @Test
  void insertRefusesADeletedStatus() {
    for (ImageStatus status : List.of(ImageStatus.DELETED, ImageStatus.PENDING_DELETE)) {
      Image deleted = image(1, ALICE).toBuilder().status(status).build();
      assertThatThrownBy(() -> catalog.insert(deleted))
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(catalog.isKnown(id(1))).isFalse();
  }

  // restore

  @Test
  void restoreKeepsTheGivenVersion() {
    Image restored = catalog.restore(image(1, ALICE).toBuilder().size(7).version(5).build());

    assertThat(catalog.find(id(1))).contains(restored);
    assertThat(restored.version()).isEqualTo(5);
    assertThat(catalog.compareAndSet(5, restored).orElseThrow().version()).isEqualTo(6);
  }

  @Test
  void restoredTombstoneBlocksTheId() {
    Tombstone tombstone = Tombstone.of(id(1), Optional.of(ALICE), ImageStatus.DELETED, T0);

    assertThat(catalog.restore(tombstone)).isEqualTo(tombstone);
    assertThat(catalog.tombstone(id(1))).contains(tombstone);
    assertThatThrownBy(() -> catalog.restore(image(1, ALICE).withVersion(1)))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID));
    assertThatThrownBy(() -> catalog.restore(tombstone))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID));
  }

  // compare-and-set

  @Test
  void compareAndSetStoresTheNextVersion() {
    catalog.insert(image(1, ALICE));

    Image renamed = catalog.compareAndSet(1, image(1, ALICE).toBuilder().name("ubuntu").build()).orElseThrow();

    assertThat(renamed.version()).isEqualTo(2);
    assertThat(renamed.name()).contains("ubuntu");
    assertThat(catalog.find(id(1))).contains(renamed);
    assertThat(catalog.compareAndSet(2, renamed.withVersion(99)).orElseThrow().version()).isEqualTo(3);
  }

  @Test
  void compareAndSetOnAStaleVersionFailsAndChangesNothing() {
    Image v1 = catalog.insert(image(1, ALICE));
    Image v2 = catalog.compareAndSet(1, v1.toBuilder().name("first").build()).orElseThrow();

    assertThat(catalog.compareAndSet(1, v1.toBuilder().owner(BOB).size(9).build()))
        .isEqualTo(new CompareAndSetResult.Stale(id(1), 1, 2));
    assertThat(catalog.find(id(1))).contains(v2);
  }

  @Test
  void compareAndSetOfAnUnknownOrDeletedImageIsMissing() {
    assertThat(catalog.compareAndSet(1, image(1, ALICE)))
        .isEqualTo(new CompareAndSetResult.Missing(id(1)));

    catalog.insert(image(2, ALICE));
    catalog.delete(id(2), 1, ImageStatus.PENDING_DELETE, T0);
    assertThat(catalog.compareAndSet(1, image(2, ALICE)))
        .isEqualTo(new CompareAndSetResult.Missing(id(2)));
    assertThat(catalog.find(id(2))).isEmpty();
  }

  @Test
  void compareAndSetRefusesADeletedStatus() {
    Image v1 = catalog.insert(image(1, ALICE));

    assertThatThrownBy(
            () -> catalog.compareAndSet(1, v1.toBuilder().status(ImageStatus.DELETED).build()).orElseThrow())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catalog.find(id(1))).contains(v1);
  }

  // delete

  @Test
  void deleteLeavesATombstoneAndForgetsTheImage() {
    catalog.insert(image(1, ALICE).toBuilder().size(100).build());
    Instant at = T0.plusSeconds(60);

    Tombstone tombstone = catalog.delete(id(1), 1, ImageStatus.PENDING_DELETE, at);

    assertThat(tombstone).isEqualTo(Tombstone.of(id(1), java.util.Optional.of(ALICE),
        ImageStatus.PENDING_DELETE, at));
    assertThat(catalog.tombstone(id(1))).contains(tombstone);
    assertThat(catalog.find(id(1))).isEmpty();
    assertThat(catalog.isKnown(id(1))).isTrue();
    assertThat(catalog.size()).isZero();
    assertThat(catalog.query(CatalogQuery.builder().seesAll(true).build())).isEmpty();
  }

  @Test
  void deleteOnAStaleVersionFailsAndChangesNothing() {
    Image v1 = catalog.insert(image(1, ALICE));

    assertThatThrownBy(() -> catalog.delete(id(1), 7, ImageStatus.DELETED, T0))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.STALE_VERSION));
    assertThat(catalog.find(id(1))).contains(v1);
    assertThat(catalog.tombstone(id(1))).isEmpty();
  }

  @Test
  void deleteOfAnUnknownOrDeletedImageIsNotFound() {
    assertThatThrownBy(() -> catalog.delete(id(1), 1, ImageStatus.DELETED, T0))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND));

    catalog.insert(image(2, ALICE));
    Tombstone first = catalog.delete(id(2), 1, ImageStatus.DELETED, T0);
    assertThatThrownBy(() -> catalog.delete(id(2), 1, ImageStatus.DELETED, T0.plusSeconds(1)))
        .isInstanceOfSatisfying(
            GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND));
    assertThat(catalog.tombstone(id(2))).contains(first);
  }

  @Test
  void deleteRefusesAFinalStatusThatIsNotDeleted() {
    catalog.insert(image(1, ALICE));

    assertThatThrownBy(() -> catalog.delete(id(1), 1, ImageStatus.KILLED, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(catalog.find(id(1))).isPresent();
  }

  // usage, size, forEach




  @Test
  void sizeAndForEachSeeTheLiveImagesOnly() {
    Image one = catalog.insert(image(1, ALICE));
    catalog.insert(image(2, BOB));
    Image three = catalog.insert(image(3, CAROL).toBuilder().status(ImageStatus.KILLED).build());
    catalog.delete(id(2), 1, ImageStatus.DELETED, T0);

    List<Image> seen = new ArrayList<>();
    catalog.forEach(seen::add);

    assertThat(catalog.size()).isEqualTo(2);
    assertThat(seen).containsExactlyInAnyOrder(one, three);
  }

  // query

  @Test
  void queryListsNewestFirstWithIdAsTieBreak() {
    catalog.insert(image(1, ALICE, Visibility.PUBLIC, 10));
    catalog.insert(image(2, ALICE, Visibility.PUBLIC, 30));
    catalog.insert(image(3, BOB, Visibility.PUBLIC, 30));
    catalog.insert(image(4, BOB, Visibility.PUBLIC, 20));

    List<Image> page = catalog.query(CatalogQuery.builder().project(CAROL).build());

    assertThat(ids(page)).containsExactly(id(3), id(2), id(4), id(1));
  }

  @Test
  void queryPagesStrictlyAfterTheMarkerInBothDirections() {
    for (int n = 1; n <= 5; n++) {
      catalog.insert(image(n, ALICE, Visibility.PUBLIC, n));
    }
    CatalogQuery newest = CatalogQuery.builder().limit(2).marker(id(4)).build();
    CatalogQuery oldest =
        CatalogQuery.builder().addSort(SortKey.asc(ImageField.CREATED_AT)).limit(2)
            .marker(id(2)).build();

    assertThat(ids(catalog.query(newest))).containsExactly(id(3), id(2));
    assertThat(ids(catalog.query(oldest))).containsExactly(id(3), id(4));
  }

  @Test
  void queryWithAnUnknownOrDeletedMarkerIsAnInvalidMarker() {
    catalog.insert(image(1, ALICE, Visibility.PUBLIC, 1));
    catalog.delete(id(1), 1, ImageStatus.DELETED, T0);

    for (ImageId marker : List.of(id(1), id(2))) {
      assertThatThrownBy(() -> catalog.query(CatalogQuery.builder().marker(marker).build()))
          .isInstanceOfSatisfying(
              GovernanceException.class,
              e -> assertThat(e.code()).isEqualTo(StoreErrorCode.INVALID_MARKER));
    }
  }

  @Test
  void queryNeverListsKilledImages() {
    catalog.insert(image(1, ALICE, Visibility.PUBLIC, 1).toBuilder()
        .status(ImageStatus.KILLED).build());

    assertThat(catalog.query(CatalogQuery.builder().seesAll(true).build())).isEmpty();
    assertThat(catalog.query(CatalogQuery.builder().project(ALICE).build())).isEmpty();
  }

  @Test
  void queryListsSharedImagesByMemberStatus() {
    Image shared = catalog.insert(
        withMember(image(1, ALICE, Visibility.SHARED, 1), BOB, MemberStatus.PENDING));
    CatalogQuery accepted = CatalogQuery.builder().project(BOB)
        .memberStatus(MemberStatus.ACCEPTED).build();
    CatalogQuery pending = CatalogQuery.builder().project(BOB)
        .memberStatus(MemberStatus.PENDING).build();
    assertThat(catalog.query(accepted)).isEmpty();
    assertThat(catalog.query(pending)).containsExactly(shared);

    Image acceptedImage = catalog.compareAndSet(1,
        shared.toBuilder().members(java.util.Map.of()).build()).orElseThrow();
    acceptedImage = catalog.compareAndSet(2,
        withMember(acceptedImage, BOB, MemberStatus.ACCEPTED)).orElseThrow();
    assertThat(catalog.query(accepted)).containsExactly(acceptedImage);
    assertThat(catalog.query(pending)).isEmpty();

    Image privateImage = catalog.compareAndSet(3,
        acceptedImage.toBuilder().visibility(Visibility.PRIVATE).build()).orElseThrow();
    assertThat(catalog.query(accepted)).isEmpty();
    assertThat(catalog.query(CatalogQuery.builder().project(ALICE).build()))
        .containsExactly(privateImage);
  }

  @Test
  void queryWithLimitZeroIsEmpty() {
    catalog.insert(image(1, ALICE, Visibility.PUBLIC, 1));

    assertThat(catalog.query(CatalogQuery.builder().limit(0).build())).isEmpty();
  }

  @Test
  void queryByOwnerFilterUsesAnyOwner() {
    Image alices = catalog.insert(image(1, ALICE, Visibility.PUBLIC, 1));
    catalog.insert(image(2, BOB, Visibility.PUBLIC, 2));
    catalog.insert(image(3, BOB, Visibility.PRIVATE, 3));

    CatalogQuery admin = CatalogQuery.builder().seesAll(true)
        .addFilters(FieldFilter.eq(ImageField.OWNER, "bob")).build();
    CatalogQuery carol = CatalogQuery.builder().project(CAROL)
        .addFilters(FieldFilter.eq(ImageField.OWNER, "alice")).build();
    CatalogQuery bob = CatalogQuery.builder().project(BOB).visibility(VisibilityFilter.ALL)
        .addFilters(FieldFilter.eq(ImageField.OWNER, "bob")).build();

    assertThat(ids(catalog.query(admin))).containsExactly(id(3), id(2));
    assertThat(catalog.query(carol)).containsExactly(alices);
    assertThat(ids(catalog.query(bob))).containsExactly(id(3), id(2));
  }
}
