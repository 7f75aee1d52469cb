package dev.imagegov.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import dev.imagegov.testkit.gen.Catalogs;
import dev.imagegov.testkit.gen.Ids;
import dev.imagegov.testkit.gen.Images;
import dev.imagegov.testkit.gen.Queries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.core.stateful.Parallel;

/**
 * The contract of the {@link Catalog} port, as its Javadoc states it, for any implementation.
 * Extend this class in your store's tests, return a fresh, empty catalog from {@link
 * #newCatalog()}, and run it with JUnit 5:
 *
 * <pre>{@code
 * class MyCatalogContractTest extends CatalogContract {
 *   @Override
 *   protected Catalog newCatalog() {
 *     return new MyCatalog(...);
 *   }
 * }
 * }</pre>
 *
 * <p>The tests are grouped by guarantee ({@link Crud}: read, insert, delete; {@link Restore}:
 * undelete and finishDeletion; {@link
 * OptimisticConcurrency}: compare-and-set; {@link Query}; {@link Concurrency}:
 * linearizability), each named for the rule it checks; every failure message starts with the
 * guarantee that broke. Properties use QuickTheories on generated catalogs and queries and shrink
 * to a small counterexample; concurrency tests use plain threads and QuickTheories' {@link
 * Parallel#parallelCheck}. No test depends on timing.
 */
@org.junit.jupiter.api.extension.ExtendWith(StoreFailures.class)
public abstract class CatalogContract {
  /** {@return a fresh, empty catalog; called once or more per test} */
  protected abstract Catalog newCatalog();

  /**
   * The seed the properties draw their cases from. Empty (the default): a new seed each run,
   * which a failure names ({@code Seed was ...}; QuickTheories' {@code -DQT_SEED} replays it).
   * Override it to run the same cases every time, where the suite's outcome must be certain (a
   * test that the suite catches a seeded defect, say).
   *
   * @return the seed the properties draw their cases from
   */
  protected OptionalLong seed() {
    return OptionalLong.empty();
  }

  /** The properties' runner: drawing from {@link #seed()} when it is set. */
  final QuickTheory theory() {
    OptionalLong seed = seed();
    return seed.isPresent() ? qt().withFixedSeed(seed.getAsLong()) : qt();
  }

  /** {@return how many generated cases each property tries; override to run more (or fewer)} */
  protected int examples() {
    return 60;
  }

  /** {@return how many threads the concurrency tests use; at least 2} */
  protected int threads() {
    return 4;
  }

  static final ProjectId P0 = ProjectId.of("p0");
  static final ProjectId P1 = ProjectId.of("p1");
  static final ProjectId P2 = ProjectId.of("p2");
  static final ProjectId P3 = ProjectId.of("p3");
  static final Instant T0 = Images.T0;

  static final String READ = "Read";
  static final String INSERT = "Insert";
  static final String CAS = "Compare-and-set";
  static final String DELETE = "Delete";
  static final String QUERY = "Query";
  static final String ATOMICITY = "Atomicity";

  /** An active image numbered {@code n} owned by {@code owner}, created {@code n} seconds in. */
  static Image image(long n, ProjectId owner, Visibility visibility, long size) {
    return Image.builder()
        .id(Ids.imageId(n))
        .name("image-" + n)
        .owner(owner)
        .visibility(visibility)
        .status(ImageStatus.ACTIVE)
        .size(OptionalLong.of(size))
        .createdAt(T0.plusSeconds(n))
        .updatedAt(T0.plusSeconds(n))
        .build();
  }

  static Image withMember(Image image, ProjectId project, MemberStatus status) {
    return image.toBuilder()
        .putMembers(
            project,
            Member.pending(image.id(), project, image.createdAt())
                .withStatus(status, image.createdAt()))
        .build();
  }

  static void fails(String guarantee, ErrorCode code, ThrowingCallable call) {
    Throwable thrown = null;
    try {
      call.call();
    } catch (Throwable t) {
      thrown = t;
    }
    if (thrown == null) {
      throw new AssertionError(guarantee + ": expected " + code + " but the call succeeded");
    }
    if (!(thrown instanceof GovernanceException)) {
      throw new AssertionError(
          guarantee + ": expected a GovernanceException " + code + " but got " + thrown, thrown);
    }
    if (((GovernanceException) thrown).code() != code) {
      throw new AssertionError(guarantee + ": expected " + code + " but got " + thrown, thrown);
    }
  }

  static List<Image> live(Catalog catalog) {
    return CatalogOps.liveImages(catalog);
  }

  static Map<ImageId, Image> byId(List<Image> images) {
    Map<ImageId, Image> m = new LinkedHashMap<>();
    images.forEach(i -> m.put(i.id(), i));
    return m;
  }

  static CatalogQuery adminQuery() {
    return CatalogQuery.builder()
        .seesAll(true)
        .visibility(VisibilityFilter.ALL)
        .limit(1000)
        .build();
  }

  static String describe(List<Image> images) {
    return Images.describe(images);
  }

  static List<String> ids(List<Image> images) {
    return images.stream().map(i -> Ids.shortName(i.id())).collect(Collectors.toList());
  }

  /**
   * Every group relies on {@link #newCatalog()} giving a fresh, empty catalog that shares nothing
   * with the others (a catalog reused across tests makes their results depend on their order).
   */
  @Test
  void newCatalogGivesAnEmptyCatalogThatSharesNothingWithTheNext() {
    Catalog first = newCatalog();
    assertThat(first.size()).as("newCatalog(): a fresh catalog is empty").isZero();
    Image image = first.insert(image(1, P0, Visibility.SHARED, 10));
    Catalog second = newCatalog();
    assertThat(second.size())
        .as("newCatalog(): a second catalog is empty after an insert into the first")
        .isZero();
    assertThat(second.find(image.id()))
        .as("newCatalog(): a second catalog does not hold the first one's image")
        .isEmpty();
  }

  /** Read, insert, delete, size and forEach. */
  @Nested
  @DisplayName("Crud: read, insert (version 1, ids never reused), delete (tombstones)")
  class Crud {
    @Test
    void insertStoresTheImageAtVersionOne() {
      Catalog catalog = newCatalog();
      Image image = image(1, P0, Visibility.SHARED, 10);
      Image stored = catalog.insert(image);
      assertThat(stored)
          .as("%s: insert returns the image stored at version 1", INSERT)
          .isEqualTo(image.withVersion(1));
      assertThat(catalog.find(image.id()))
          .as("%s: find returns the latest committed version of a live image", READ)
          .contains(image.withVersion(1));
    }

    @Test
    void insertIgnoresTheVersionItIsGiven() {
      Catalog catalog = newCatalog();
      Image stored = catalog.insert(image(1, P0, Visibility.PRIVATE, 10).withVersion(7));
      assertThat(stored.version())
          .as("%s: a new image is stored at version 1", INSERT)
          .isEqualTo(1);
      assertThat(catalog.find(stored.id()).map(Image::version))
          .as("%s: a new image is stored at version 1", INSERT)
          .contains(1L);
    }

    @Test
    void findOfAnUnknownIdIsEmpty() {
      Catalog catalog = newCatalog();
      catalog.insert(image(1, P0, Visibility.PUBLIC, 1));
      assertThat(catalog.find(Ids.imageId(2))).as("%s: an unknown id has no image", READ).isEmpty();
      assertThat(catalog.tombstone(Ids.imageId(2)))
          .as("%s: an unknown id has no tombstone", READ)
          .isEmpty();
      assertThat(catalog.isKnown(Ids.imageId(2)))
          .as("%s: an unknown id is not known", READ)
          .isFalse();
    }

    @Test
    void insertRefusesALiveId() {
      Catalog catalog = newCatalog();
      Image first = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      fails(
          INSERT + " (a live id is refused)",
          StoreErrorCode.DUPLICATE_IMAGE_ID,
          () -> catalog.insert(image(1, P1, Visibility.PUBLIC, 99)));
      assertThat(catalog.find(first.id()))
          .as("%s: a refused insert changes nothing", INSERT)
          .contains(first);
      assertThat(catalog.size()).as("%s: a refused insert changes nothing", INSERT).isEqualTo(1);
    }

    @Test
    void insertNeverReusesTheIdOfADeletedImage() {
      Catalog catalog = newCatalog();
      Image first = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      catalog.delete(first.id(), 1, ImageStatus.DELETED, T0.plusSeconds(60));
      fails(
          INSERT + " (OSSN-0075: the id of a deleted image is never reused)",
          StoreErrorCode.DUPLICATE_IMAGE_ID,
          () -> catalog.insert(image(1, P1, Visibility.PUBLIC, 99)));
      assertThat(catalog.find(first.id()))
          .as("%s: a refused insert of a deleted id leaves it deleted", INSERT)
          .isEmpty();
      assertThat(catalog.isKnown(first.id())).as("%s: a deleted id stays known", DELETE).isTrue();
    }

    @Test
    void insertRefusesADeletedStatus() {
      Catalog catalog = newCatalog();
      Image deleted =
          image(1, P0, Visibility.PRIVATE, 10).toBuilder().status(ImageStatus.DELETED).build();
      assertThatThrownBy(() -> catalog.insert(deleted))
          .as("%s: an image with a deleted status is a bad argument", INSERT)
          .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class);
      assertThat(catalog.isKnown(deleted.id()))
          .as("%s: a refused insert changes nothing", INSERT)
          .isFalse();
    }

    @Test
    void deleteLeavesATombstoneAndHidesTheImage() {
      Catalog catalog = newCatalog();
      Image image = catalog.insert(image(1, P0, Visibility.PUBLIC, 10));
      Instant at = T0.plusSeconds(60);
      Tombstone tombstone = catalog.delete(image.id(), 1, ImageStatus.DELETED, at);
      Tombstone expected = Tombstone.of(image.id(), image.owner(), ImageStatus.DELETED, at);
      assertThat(tombstone).as("%s: delete returns the tombstone", DELETE).isEqualTo(expected);
      assertThat(catalog.tombstone(image.id()))
          .as("%s: the tombstone is kept", DELETE)
          .contains(expected);
      assertThat(catalog.find(image.id()))
          .as("%s: find never returns a deleted image", READ)
          .isEmpty();
      assertThat(catalog.size()).as("%s: size counts live images only", DELETE).isZero();
      assertThat(live(catalog)).as("%s: forEach visits live images only", DELETE).isEmpty();
      assertThat(catalog.query(adminQuery()))
          .as("%s: a deleted image is never listed", QUERY)
          .isEmpty();
    }

    @Test
    void deleteKeepsPendingDeleteAsTheFinalStatus() {
      Catalog catalog = newCatalog();
      Image image = catalog.insert(image(1, P0, Visibility.PUBLIC, 10));
      catalog.delete(image.id(), 1, ImageStatus.PENDING_DELETE, T0);
      assertThat(catalog.tombstone(image.id()).map(Tombstone::status))
          .as("%s: the tombstone keeps the final status it was given", DELETE)
          .contains(ImageStatus.PENDING_DELETE);
      assertThat(catalog.find(image.id())).as("%s: pending_delete is deleted", READ).isEmpty();
    }

    @Test
    void deleteWithAStaleVersionFailsAndChangesNothing() {
      Catalog catalog = newCatalog();
      Image v1 = catalog.insert(image(1, P0, Visibility.PUBLIC, 10));
      Image v2 = catalog.compareAndSet(1, v1.toBuilder().name("renamed").build()).orElseThrow();
      fails(
          DELETE + " (checks the version like compare-and-set)",
          StoreErrorCode.STALE_VERSION,
          () -> catalog.delete(v1.id(), 1, ImageStatus.DELETED, T0));
      assertThat(catalog.find(v1.id()))
          .as("%s: a stale delete changes nothing", DELETE)
          .contains(v2);
      assertThat(catalog.tombstone(v1.id()))
          .as("%s: a stale delete leaves no tombstone", DELETE)
          .isEmpty();
    }

    @Test
    void deleteOfAnUnknownImageIsNotFound() {
      Catalog catalog = newCatalog();
      fails(
          DELETE + " (only a live image can be deleted)",
          StoreErrorCode.IMAGE_NOT_FOUND,
          () -> catalog.delete(Ids.imageId(1), 1, ImageStatus.DELETED, T0));
      assertThat(catalog.isKnown(Ids.imageId(1)))
          .as("%s: a refused delete leaves no tombstone", DELETE)
          .isFalse();
    }

    @Test
    void deleteOfADeletedImageIsNotFound() {
      Catalog catalog = newCatalog();
      Image image = catalog.insert(image(1, P0, Visibility.PUBLIC, 10));
      Tombstone first = catalog.delete(image.id(), 1, ImageStatus.DELETED, T0);
      fails(
          DELETE + " (a deleted image is not live)",
          StoreErrorCode.IMAGE_NOT_FOUND,
          () -> catalog.delete(image.id(), 1, ImageStatus.DELETED, T0.plusSeconds(5)));
      assertThat(catalog.tombstone(image.id()))
          .as("%s: the first tombstone stays", DELETE)
          .contains(first);
    }

    @Test
    void sizeAndForEachCoverExactlyTheLiveImages() {
      Catalog catalog = newCatalog();
      for (int n = 1; n <= 5; n++) {
        catalog.insert(image(n, n % 2 == 0 ? P0 : P1, Visibility.PRIVATE, n));
      }
      catalog.delete(Ids.imageId(2), 1, ImageStatus.DELETED, T0);
      catalog.delete(Ids.imageId(4), 1, ImageStatus.DELETED, T0);
      Image renamed =
          catalog
              .compareAndSet(
                  1, catalog.find(Ids.imageId(3)).orElseThrow().toBuilder().name("x").build())
              .orElseThrow();
      assertThat(catalog.size()).as("%s: size is the number of live images", READ).isEqualTo(3);
      List<Image> seen = live(catalog);
      assertThat(ids(seen))
          .as("%s: forEach visits every live image once", READ)
          .containsExactlyInAnyOrder("#1", "#3", "#5");
      assertThat(seen).as("%s: forEach visits the latest versions", READ).contains(renamed);
    }

    @Test
    void findReturnsEveryGeneratedImageAsInserted() {
      theory().withExamples(examples())
          .withShrinkCycles(100)
          .forAll(Images.images().sometimesUnowned())
          .checkAssert(
              image -> {
                Catalog catalog = newCatalog();
                Image stored = catalog.insert(image);
                assertThat(stored)
                    .as("%s: insert stores every attribute, at version 1", INSERT)
                    .isEqualTo(image.withVersion(1));
                assertThat(catalog.find(image.id()))
                    .as("%s: find returns the image as inserted", READ)
                    .contains(image.withVersion(1));
              });
    }
  }

  /** Compare-and-set. */
  @Nested
  @DisplayName(
      "OptimisticConcurrency: compare-and-set succeeds once per version, else changes nothing")
  class OptimisticConcurrency {
    @Test
    void compareAndSetStoresTheReplacementAtTheNextVersion() {
      Catalog catalog = newCatalog();
      Image v1 = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      Image replacement = v1.toBuilder().name("renamed").visibility(Visibility.SHARED).build();
      CompareAndSetResult result = catalog.compareAndSet(1, replacement);
      assertThat(result)
          .as("%s: a compare-and-set from the stored version answers Stored", CAS)
          .isInstanceOf(CompareAndSetResult.Stored.class);
      assertThat(result.orElseThrow())
          .as("%s: the replacement is stored at expectedVersion + 1", CAS)
          .isEqualTo(replacement.withVersion(2));
      assertThat(catalog.find(v1.id()))
          .as("%s: find returns the replacement", READ)
          .contains(replacement.withVersion(2));
    }

    @Test
    void compareAndSetIgnoresTheReplacementsOwnVersion() {
      Catalog catalog = newCatalog();
      Image v1 = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      Image v2 =
          catalog
              .compareAndSet(1, v1.toBuilder().name("renamed").build().withVersion(99))
              .orElseThrow();
      assertThat(v2.version()).as("%s: the catalog assigns the version", CAS).isEqualTo(2);
    }

    @Test
    void versionsGrowByOneWithEveryChange() {
      Catalog catalog = newCatalog();
      Image current = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      for (int n = 1; n <= 5; n++) {
        current =
            catalog
                .compareAndSet(current.version(), current.toBuilder().minDisk(n).build())
                .orElseThrow();
        assertThat(current.version())
            .as("%s: each compare-and-set adds one to the version", CAS)
            .isEqualTo(n + 1);
      }
    }

    @Test
    void staleCompareAndSetFailsAndChangesNothing() {
      Catalog catalog = newCatalog();
      Image v1 = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      catalog.insert(image(2, P1, Visibility.PUBLIC, 5));
      Image v2 = catalog.compareAndSet(1, v1.toBuilder().name("renamed").build()).orElseThrow();
      List<Image> before = catalog.query(adminQuery());
      assertThat(catalog.compareAndSet(1, v1.toBuilder().owner(P2).size(500).name("lost").build()))
          .as("%s: a stale version is answered Stale, with the stored version, not thrown", CAS)
          .isEqualTo(new CompareAndSetResult.Stale(v1.id(), 1, 2));
      assertThat(catalog.find(v1.id()))
          .as("%s: a stale compare-and-set changes nothing", CAS)
          .contains(v2);
      assertThat(catalog.query(adminQuery()))
          .as("%s: a stale compare-and-set changes no list", CAS)
          .isEqualTo(before);
    }

    @Test
    void compareAndSetFromAFutureVersionIsStale() {
      Catalog catalog = newCatalog();
      Image v1 = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      assertThat(catalog.compareAndSet(2, v1.toBuilder().name("early").build()))
          .as("%s: only the stored version matches; a future one is Stale", CAS)
          .isEqualTo(new CompareAndSetResult.Stale(v1.id(), 2, 1));
      assertThat(catalog.find(v1.id())).as("%s: nothing changed", CAS).contains(v1);
    }

    @Test
    void compareAndSetOfAnUnknownImageIsNotFound() {
      Catalog catalog = newCatalog();
      assertThat(catalog.compareAndSet(1, image(1, P0, Visibility.PRIVATE, 10)))
          .as("%s: no live image has the id: Missing, not thrown", CAS)
          .isEqualTo(new CompareAndSetResult.Missing(Ids.imageId(1)));
      assertThat(catalog.isKnown(Ids.imageId(1)))
          .as("%s: a refused compare-and-set creates nothing", CAS)
          .isFalse();
    }

    @Test
    void compareAndSetOfADeletedImageIsNotFound() {
      Catalog catalog = newCatalog();
      Image v1 = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      catalog.delete(v1.id(), 1, ImageStatus.DELETED, T0);
      assertThat(catalog.compareAndSet(1, v1.toBuilder().name("revived").build()))
          .as("%s: a deleted image is not live: Missing", CAS)
          .isEqualTo(new CompareAndSetResult.Missing(v1.id()));
      assertThat(catalog.find(v1.id())).as("%s: a deleted image stays deleted", CAS).isEmpty();
    }

    @Test
    void compareAndSetRefusesADeletedStatus() {
      Catalog catalog = newCatalog();
      Image v1 = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      assertThatThrownBy(
              () ->
                  catalog.compareAndSet(
                      1, v1.toBuilder().status(ImageStatus.PENDING_DELETE).build()))
          .as("%s: a deleted status is for delete, not compare-and-set", CAS)
          .isInstanceOfAny(IllegalArgumentException.class, NullPointerException.class);
      assertThat(catalog.find(v1.id()))
          .as("%s: a refused compare-and-set changes nothing", CAS)
          .contains(v1);
    }
  }

  /** A pending-delete image kept, restored ({@code undelete}) or finished ({@code finishDeletion}). */
  @Nested
  @DisplayName("Restore: a pending-delete image is kept until undelete or finishDeletion")
  class Restore {
    /** A shared image with a member, a property and a location, changed once (version 2). */
    private Image kept(Catalog catalog) {
      Image v1 = catalog.insert(withMember(image(1, P0, Visibility.SHARED, 10), P1,
          MemberStatus.ACCEPTED));
      return catalog.compareAndSet(1, v1.toBuilder()
          .putProperties("os_distro", "debian")
          .addLocations(dev.imagegov.model.Location.builder()
              .store(dev.imagegov.model.StoreId.of("file")).url("file:///data/1").build())
          .build()).orElseThrow();
    }

    @Test
    void pendingDeleteTombstoneKeepsTheImageAsItWas() {
      Catalog catalog = newCatalog();
      Image image = kept(catalog);
      Tombstone t = catalog.delete(image.id(), image.version(), ImageStatus.PENDING_DELETE, T0);
      assertThat(t.retained())
          .as("%s: a pending_delete tombstone keeps the image as it was", DELETE)
          .contains(image);
      assertThat(catalog.tombstone(image.id()).flatMap(Tombstone::retained))
          .as("%s: the kept image is read back with the tombstone", DELETE)
          .contains(image);
      Tombstone gone = catalog.delete(catalog.insert(image(2, P0, Visibility.PUBLIC, 1)).id(), 1,
          ImageStatus.DELETED, T0);
      assertThat(gone.retained()).as("%s: a deleted tombstone keeps nothing", DELETE).isEmpty();
    }

    @Test
    void undeleteRestoresThePendingDeleteImageAsItWas() {
      Catalog catalog = newCatalog();
      Image image = kept(catalog);
      catalog.delete(image.id(), image.version(), ImageStatus.PENDING_DELETE, T0);
      Instant at = T0.plusSeconds(30);
      Image restored = catalog.undelete(image.id(), at);
      assertThat(restored.withVersion(image.version()))
          .as("undelete: the image comes back as it was, updated at the restore")
          .isEqualTo(image.toBuilder().updatedAt(at).build());
      assertThat(restored.version())
          .as("undelete: the restored version is greater than any the image had")
          .isGreaterThan(image.version());
      assertThat(catalog.find(image.id())).as("undelete: the image is live").contains(restored);
      assertThat(catalog.tombstone(image.id())).as("undelete: the tombstone is gone").isEmpty();
      assertThat(catalog.size()).as("undelete: size counts it again").isEqualTo(1);
      assertThat(catalog.query(adminQuery())).as("undelete: it is listed again")
          .containsExactly(restored);
      assertThat(catalog.compareAndSet(restored.version(), restored.toBuilder().name("again")
          .build()).stored())
          .as("undelete: a compare-and-set from the restored version succeeds")
          .isPresent();
    }

    @Test
    void undeleteOfALiveImageIsRefusedAndChangesNothing() {
      Catalog catalog = newCatalog();
      Image image = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      fails("undelete (only a pending_delete image)", StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
          () -> catalog.undelete(image.id(), T0));
      assertThat(catalog.find(image.id())).as("undelete: a refusal changes nothing")
          .contains(image);
    }

    @Test
    void undeleteOfADeletedImageIsRefused() {
      Catalog catalog = newCatalog();
      Image image = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      Tombstone t = catalog.delete(image.id(), 1, ImageStatus.DELETED, T0);
      fails("undelete (a deleted image cannot come back)", StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
          () -> catalog.undelete(image.id(), T0));
      assertThat(catalog.tombstone(image.id())).as("undelete: a refusal changes nothing")
          .contains(t);
      assertThat(catalog.find(image.id())).as("undelete: a refusal changes nothing").isEmpty();
    }

    @Test
    void undeleteOfAnUnknownIdIsNotFound() {
      Catalog catalog = newCatalog();
      fails("undelete (an unknown id)", StoreErrorCode.IMAGE_NOT_FOUND,
          () -> catalog.undelete(Ids.imageId(1), T0));
      assertThat(catalog.isKnown(Ids.imageId(1))).as("undelete: a refusal changes nothing")
          .isFalse();
    }

    @Test
    void pendingDeletesListsExactlyTheImagesPendingDelete() {
      Catalog catalog = newCatalog();
      Image live = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      Image pending = catalog.insert(image(2, P0, Visibility.PRIVATE, 10));
      Image deleted = catalog.insert(image(3, P0, Visibility.PRIVATE, 10));
      Image finished = catalog.insert(image(4, P0, Visibility.PRIVATE, 10));
      Image restored = catalog.insert(image(5, P0, Visibility.PRIVATE, 10));
      catalog.delete(pending.id(), 1, ImageStatus.PENDING_DELETE, T0);
      catalog.delete(deleted.id(), 1, ImageStatus.DELETED, T0);
      catalog.delete(finished.id(), 1, ImageStatus.PENDING_DELETE, T0);
      catalog.finishDeletion(finished.id());
      catalog.delete(restored.id(), 1, ImageStatus.PENDING_DELETE, T0);
      catalog.undelete(restored.id(), T0.plusSeconds(1));
      assertThat(catalog.pendingDeletes())
          .as("pendingDeletes: the pending-delete images only (not %s live, deleted, finished or"
              + " restored)", live.id())
          .containsExactly(pending.id());
      List<ImageId> listed = catalog.pendingDeletes();
      catalog.undelete(pending.id(), T0.plusSeconds(2));
      assertThat(listed)
          .as("pendingDeletes: a list not backed by the catalog (a later restore leaves it)")
          .containsExactly(pending.id());
      assertThat(catalog.pendingDeletes()).as("pendingDeletes: after the restore").isEmpty();
    }

    @Test
    void finishDeletionMakesTheTombstoneDeletedAndRestoreImpossible() {
      Catalog catalog = newCatalog();
      Image image = kept(catalog);
      Instant at = T0.plusSeconds(7);
      catalog.delete(image.id(), image.version(), ImageStatus.PENDING_DELETE, at);
      Tombstone finished = catalog.finishDeletion(image.id());
      Tombstone expected = Tombstone.of(image.id(), image.owner(), ImageStatus.DELETED, at);
      assertThat(finished).as("finishDeletion: deleted, at the deletion's time").isEqualTo(expected);
      assertThat(finished.retained()).as("finishDeletion: the image is no longer kept").isEmpty();
      assertThat(catalog.tombstone(image.id())).as("finishDeletion: the tombstone is kept")
          .contains(expected);
      assertThat(catalog.tombstone(image.id()).flatMap(Tombstone::retained))
          .as("finishDeletion: the read-back tombstone keeps no image")
          .isEmpty();
      fails("undelete (after finishDeletion)", StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
          () -> catalog.undelete(image.id(), T0));
      fails("finishDeletion (twice)", StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
          () -> catalog.finishDeletion(image.id()));
      fails(INSERT + " (ids are never reused, finished or not)",
          StoreErrorCode.DUPLICATE_IMAGE_ID, () -> catalog.insert(image(1, P0, Visibility.PRIVATE,
              10)));
    }

    @Test
    void finishDeletionOfALiveOrUnknownImageIsRefused() {
      Catalog catalog = newCatalog();
      Image image = catalog.insert(image(1, P0, Visibility.PRIVATE, 10));
      fails("finishDeletion (a live image)", StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
          () -> catalog.finishDeletion(image.id()));
      assertThat(catalog.find(image.id())).as("finishDeletion: a refusal changes nothing")
          .contains(image);
      fails("finishDeletion (an unknown id)", StoreErrorCode.IMAGE_NOT_FOUND,
          () -> catalog.finishDeletion(Ids.imageId(2)));
    }

    @Test
    void aRestoredImageCanBeDeletedAndRestoredAgain() {
      Catalog catalog = newCatalog();
      Image image = kept(catalog);
      catalog.delete(image.id(), image.version(), ImageStatus.PENDING_DELETE, T0);
      Image first = catalog.undelete(image.id(), T0.plusSeconds(1));
      catalog.delete(image.id(), first.version(), ImageStatus.PENDING_DELETE, T0.plusSeconds(2));
      Image second = catalog.undelete(image.id(), T0.plusSeconds(3));
      assertThat(second.version()).as("undelete: versions keep growing").isGreaterThan(
          first.version());
      assertThat(catalog.find(image.id())).contains(second);
    }
  }

  /** Query. */
  @Nested
  @DisplayName("Query: answers exactly what QueryEvaluator answers over the live images")
  class Query {
    private void check(Catalog catalog, CatalogQuery query, String context) {
      List<Image> images = live(catalog);
      Map<ImageId, Image> index = byId(images);
      List<Image> expected;
      try {
        expected = QueryEvaluator.evaluate(query, images, id -> Optional.ofNullable(index.get(id)));
      } catch (GovernanceException e) {
        fails(QUERY + " (the marker names no live image)", e.code(), () -> catalog.query(query));
        return;
      }
      List<Image> actual = catalog.query(query);
      assertThat(ids(actual))
          .as(
              "%s: %s must list what QueryEvaluator lists, in order, over the live images%s\n%s",
              QUERY, Queries.describe(query), context, describe(images))
          .containsExactlyElementsOf(ids(expected));
      assertThat(actual).as("%s: listed rows are the latest versions", QUERY).isEqualTo(expected);
    }

    @Test
    void queryAnswersWhatTheEvaluatorAnswersOnGeneratedCatalogs() {
      theory().withExamples(examples() * 3)
          .withShrinkCycles(300)
          .forAll(Catalogs.catalogs(12), Queries.catalogQueries(), integers().between(0, 14))
          .checkAssert((images, query, marker) -> checkWithMarker(images, query, marker, ""));
    }

    @Test
    void queryAnswersWhatTheEvaluatorAnswersForLineages() {
      theory().withExamples(examples() * 3)
          .withShrinkCycles(300)
          .forAll(Catalogs.withGroupAnswers(12), Queries.lineageQueries(), integers().between(0, 14))
          .checkAssert((images, query, marker) ->
              checkWithMarker(images, query, marker, " (hierarchical sharing)"));
    }

    /**
     * {@link #check} on a new catalog holding {@code images}, the query starting after image
     * {@code marker} when that names one of them (0 or beyond: no marker).
     */
    private void checkWithMarker(
        List<Image> images, CatalogQuery query, int marker, String context) {
      Catalog catalog = newCatalog();
      images.forEach(catalog::insert);
      CatalogQuery q =
          marker == 0 || marker > images.size()
              ? query
              : CatalogQuery.builder().from(query).marker(Ids.imageId(marker)).build();
      check(catalog, q, context);
    }

    @Test
    void imagesOfferedToAGroupAreListedBelowItWithEachProjectsOwnAnswer() {
      Catalog catalog = newCatalog();
      catalog.insert(withMember(image(1, P0, Visibility.SHARED, 1), P1, MemberStatus.PENDING));
      Image answered = withMember(image(2, P0, Visibility.SHARED, 1), P1, MemberStatus.PENDING);
      catalog.insert(answered.replacingMembers(Map.of(
          P1, answered.members().get(P1),
          P2, Member.builder().from(answered.members().get(P1)).project(P2).via(P1)
              .status(MemberStatus.ACCEPTED).build())));
      Image dormant = withMember(image(3, P0, Visibility.SHARED, 1), P3, MemberStatus.PENDING);
      catalog.insert(dormant.replacingMembers(Map.of(
          P3, dormant.members().get(P3),
          P2, Member.builder().from(dormant.members().get(P3)).project(P2).via(P1)
              .status(MemberStatus.ACCEPTED).build())));
      for (MemberStatus unanswered : List.of(MemberStatus.PENDING, MemberStatus.ACCEPTED)) {
        for (Optional<MemberStatus> status : List.of(Optional.<MemberStatus>empty(),
            Optional.of(MemberStatus.PENDING), Optional.of(MemberStatus.ACCEPTED))) {
          CatalogQuery below = CatalogQuery.builder().project(P2).lineage(List.of(P1))
              .unansweredStatus(unanswered).memberStatus(status).limit(100).build();
          check(catalog, below, " (below the group)");
          check(catalog, below.toBuilder().lineage(List.of()).build(), " (moved out)");
        }
      }
      assertThat(ids(catalog.query(CatalogQuery.builder().project(P2).lineage(List.of(P1))
          .memberStatus(MemberStatus.ACCEPTED).limit(100).build())))
          .as("%s: a project's answer to a group's offer is its status; an answer whose group is"
              + " no member grants nothing", QUERY)
          .containsExactly(ids(List.of(answered)).get(0));
      assertThat(catalog.query(CatalogQuery.builder().project(P2).limit(100).build()))
          .as("%s: outside the group's subtree nothing is listed", QUERY).isEmpty();
    }

    @Test
    void queryAnswersWhatTheEvaluatorAnswersAfterChanges() {
      theory().withExamples(examples() * 2)
          .withShrinkCycles(300)
          .forAll(
              Catalogs.catalogs(8),
              lists().of(CatalogOps.ops()).ofSizeBetween(1, 10),
              Queries.catalogQueries())
          .checkAssert(
              (images, ops, query) -> {
                Catalog catalog = newCatalog();
                images.forEach(catalog::insert);
                List<ImageId> known = new ArrayList<>();
                images.forEach(i -> known.add(i.id()));
                for (CatalogOps.Op op : ops) {
                  CatalogOps.apply(catalog, known, op);
                }
                check(catalog, query, " after " + ops);
              });
    }

    @Test
    void pagesWalkedWithMarkersListEveryRowExactlyOnce() {
      theory().withExamples(examples() * 2)
          .withShrinkCycles(300)
          .forAll(Catalogs.catalogs(12), Queries.catalogQueries(), integers().between(1, 4))
          .checkAssert(
              (images, query, pageSize) -> {
                Catalog catalog = newCatalog();
                images.forEach(catalog::insert);
                CatalogQuery all = CatalogQuery.builder().from(query).limit(1000).build();
                List<String> expected = ids(catalog.query(all));
                List<String> walked = new ArrayList<>();
                CatalogQuery page = CatalogQuery.builder().from(query).limit(pageSize).build();
                for (int n = 0; n <= images.size() + 1; n++) {
                  List<Image> rows = catalog.query(page);
                  walked.addAll(ids(rows));
                  if (rows.size() < pageSize) {
                    break;
                  }
                  page =
                      CatalogQuery.builder()
                          .from(page)
                          .marker(rows.get(rows.size() - 1).id())
                          .build();
                }
                assertThat(walked)
                    .as(
                        "%s: walking %s in pages of %d with markers lists every row exactly once,"
                            + " in order\n%s",
                        QUERY, Queries.describe(query), pageSize, describe(images))
                    .containsExactlyElementsOf(expected);
              });
    }

    @Test
    void aMarkerThatNamesNoImageIsInvalid() {
      Catalog catalog = newCatalog();
      catalog.insert(image(1, P0, Visibility.PUBLIC, 1));
      fails(
          QUERY + " (an unknown marker)",
          StoreErrorCode.INVALID_MARKER,
          () ->
              catalog.query(
                  CatalogQuery.builder().from(adminQuery()).marker(Ids.imageId(9)).build()));
    }

    @Test
    void aMarkerThatNamesADeletedImageIsInvalid() {
      Catalog catalog = newCatalog();
      catalog.insert(image(1, P0, Visibility.PUBLIC, 1));
      catalog.insert(image(2, P0, Visibility.PUBLIC, 1));
      catalog.delete(Ids.imageId(2), 1, ImageStatus.DELETED, T0);
      fails(
          QUERY + " (a deleted image is no marker)",
          StoreErrorCode.INVALID_MARKER,
          () ->
              catalog.query(
                  CatalogQuery.builder().from(adminQuery()).marker(Ids.imageId(2)).build()));
    }

    @Test
    void sharedImagesAreListedOnlyForMembersOfTheAskedStatus() {
      Catalog catalog = newCatalog();
      catalog.insert(withMember(image(1, P0, Visibility.SHARED, 1), P1, MemberStatus.ACCEPTED));
      catalog.insert(withMember(image(2, P0, Visibility.SHARED, 1), P1, MemberStatus.PENDING));
      catalog.insert(withMember(image(3, P0, Visibility.SHARED, 1), P1, MemberStatus.REJECTED));
      catalog.insert(withMember(image(4, P0, Visibility.PRIVATE, 1), P1, MemberStatus.ACCEPTED));
      for (MemberStatus status : MemberStatus.values()) {
        CatalogQuery q = CatalogQuery.builder().project(P1).memberStatus(status).limit(100).build();
        check(catalog, q, "");
      }
      check(catalog, CatalogQuery.builder().project(P1).limit(100).build(), "");
    }

    /**
     * A membership's expiry is stored and read back, survives a compare-and-set, and a query
     * judged at an instant leaves out the shared images whose membership has expired by then.
     */
    @Test
    void expiredMembershipsAreStoredAndLeftOutOfQueriesJudgedAfterThem() {
      Catalog catalog = newCatalog();
      java.time.Instant end = T0.plusSeconds(60);
      Image expiring = withMember(image(1, P0, Visibility.SHARED, 1), P1, MemberStatus.ACCEPTED);
      Member row = expiring.members().get(P1).toBuilder().expiresAt(end).build();
      Image stored = catalog.insert(expiring.toBuilder().members(Map.of(P1, row)).build());
      catalog.insert(withMember(image(2, P0, Visibility.SHARED, 1), P1, MemberStatus.ACCEPTED));
      assertThat(catalog.find(stored.id()).orElseThrow().members().get(P1).expiresAt())
          .as("%s: a membership's expiry is stored", READ)
          .contains(end);
      Image later = stored.toBuilder().name("renamed").build();
      assertThat(catalog.compareAndSet(1, later)).isInstanceOf(CompareAndSetResult.Stored.class);
      assertThat(catalog.find(stored.id()).orElseThrow().members().get(P1).expiresAt())
          .as("compareAndSet: a membership's expiry is kept")
          .contains(end);
      for (java.time.Instant at : List.of(T0, end.minusNanos(1), end, end.plusSeconds(1))) {
        check(catalog, CatalogQuery.builder().project(P1).membershipsAt(at).limit(100).build(),
            " (memberships judged at " + at + ")");
        check(catalog, CatalogQuery.builder().project(P1).membershipsAt(at)
            .memberStatus(MemberStatus.ACCEPTED).limit(100).build(),
            " (accepted memberships judged at " + at + ")");
      }
      check(catalog, CatalogQuery.builder().project(P1).limit(100).build(),
          " (memberships judged at no instant)");
      assertThat(catalog.query(CatalogQuery.builder().project(P1).membershipsAt(end).limit(100)
              .build()))
          .as("%s: a membership that expires at the instant judged is no membership", QUERY)
          .extracting(Image::id)
          .containsExactly(Ids.imageId(2));
    }

    @Test
    void everyRequiredTagMustBePresent() {
      Catalog catalog = newCatalog();
      catalog.insert(image(1, P0, Visibility.PUBLIC, 1).toBuilder().addTags("a", "b").build());
      catalog.insert(image(2, P0, Visibility.PUBLIC, 1).toBuilder().addTags("a").build());
      catalog.insert(image(3, P0, Visibility.PUBLIC, 1));
      check(catalog, CatalogQuery.builder().project(P1).addTags("a").build(), "");
      check(catalog, CatalogQuery.builder().project(P1).addTags("a", "b").build(), "");
    }

    @Test
    void sortsFollowTheirDirection() {
      Catalog catalog = newCatalog();
      for (int n = 1; n <= 4; n++) {
        catalog.insert(image(n, P0, Visibility.PUBLIC, 10 * (n % 3)));
      }
      check(catalog, CatalogQuery.builder().project(P1).build(), " (default: created_at desc)");
      check(
          catalog,
          CatalogQuery.builder().project(P1).addSort(SortKey.asc(ImageField.SIZE)).build(),
          "");
      check(
          catalog,
          CatalogQuery.builder().project(P1).addSort(SortKey.desc(ImageField.SIZE)).build(),
          "");
    }

    @Test
    void killedImagesAreNeverListed() {
      Catalog catalog = newCatalog();
      catalog.insert(
          image(1, P0, Visibility.PUBLIC, 1).toBuilder().status(ImageStatus.KILLED).build());
      catalog.insert(image(2, P0, Visibility.PUBLIC, 1));
      check(catalog, adminQuery(), "");
    }
  }

  /** Linearizability under concurrent use. */
  @Nested
  @DisplayName("Concurrency: every method is linearizable")
  class Concurrency {
    private <T> List<T> runTogether(int n, java.util.function.IntFunction<T> task)
        throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<T>> futures = new ArrayList<>();
        for (int t = 0; t < n; t++) {
          int me = t;
          futures.add(
              pool.submit(
                  () -> {
                    start.await(30, TimeUnit.SECONDS);
                    return task.apply(me);
                  }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
          results.add(f.get(60, TimeUnit.SECONDS));
        }
        return results;
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void exactlyOneOfConcurrentCompareAndSetsFromOneVersionWins() throws Exception {
      Catalog catalog = newCatalog();
      Image current = catalog.insert(image(1, P0, Visibility.PRIVATE, 0));
      for (int round = 0; round < 50; round++) {
        Image base = current;
        List<Optional<Image>> outcomes =
            runTogether(
                threads(),
                t -> {
                  CompareAndSetResult r =
                      catalog.compareAndSet(
                          base.version(),
                          base.toBuilder()
                              .name("round-" + base.version() + "-thread-" + t)
                              .size(t)
                              .build());
                  if (r.isMissing()) {
                    throw new AssertionError(CAS + ": a live image was answered Missing");
                  }
                  return r.stored();
                });
        List<Image> winners =
            outcomes.stream().flatMap(Optional::stream).collect(Collectors.toList());
        assertThat(winners)
            .as(
                "%s: under contention exactly one of %d updates based on version %d succeeds",
                CAS, threads(), base.version())
            .hasSize(1);
        current = catalog.find(base.id()).orElseThrow();
        assertThat(current)
            .as("%s: the winner's replacement is what is stored", CAS)
            .isEqualTo(winners.get(0));
      }
    }

    @Test
    void exactlyOneOfConcurrentInsertsOfOneIdWins() throws Exception {
      Catalog catalog = newCatalog();
      for (int round = 1; round <= 30; round++) {
        long n = round;
        List<Boolean> outcomes =
            runTogether(
                threads(),
                t -> {
                  try {
                    catalog.insert(image(n, t % 2 == 0 ? P0 : P1, Visibility.PRIVATE, 1));
                    return true;
                  } catch (GovernanceException e) {
                    if (e.code() != StoreErrorCode.DUPLICATE_IMAGE_ID) {
                      throw e;
                    }
                    return false;
                  }
                });
        assertThat(outcomes.stream().filter(b -> b).count())
            .as("%s: exactly one of concurrent inserts of one id succeeds", INSERT)
            .isEqualTo(1);
        assertThat(catalog.size()).as("%s: the id is counted once", READ).isEqualTo(round);
      }
    }

    @Test
    void retryLoopsLoseNoUpdate() throws Exception {
      Catalog catalog = newCatalog();
      Image seed =
          catalog.insert(CatalogModel.image(Ids.imageId(1), new CatalogModel.Row(1, P0, 0, 0)));
      int perThread = 100;
      runTogether(
          threads(),
          t -> {
            for (int k = 0; k < perThread; k++) {
              new CatalogModel.Increment(seed.id()).run(catalog);
            }
            return null;
          });
      Image last = catalog.find(seed.id()).orElseThrow();
      int total = threads() * perThread;
      assertThat(last.properties().get(CatalogModel.COUNTER))
          .as("%s: %d compare-and-set retry loops of +1 lose no update", CAS, total)
          .isEqualTo(Integer.toString(total));
      assertThat(last.version())
          .as("%s: each committed update adds exactly one version", CAS)
          .isEqualTo(1L + total);
    }

    @Test
    void readersNeverSeeAHalfAppliedChange() throws Exception {
      Catalog catalog = newCatalog();
      Image seed =
          catalog.insert(image(1, P0, Visibility.PUBLIC, 0).toBuilder().name("size-0").build());
      catalog.insert(image(2, P1, Visibility.PUBLIC, 0));
      AtomicBoolean done = new AtomicBoolean();
      ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
      AtomicInteger agreeingReads = new AtomicInteger();
      CatalogQuery listing =
          CatalogQuery.builder().seesAll(true).visibility(VisibilityFilter.ALL).limit(10).build();
      runTogether(
          Math.max(2, threads()),
          t -> {
            if (t == 0) {
              Image current = seed;
              for (int k = 1; k <= 400; k++) {
                current =
                    catalog
                        .compareAndSet(
                            current.version(),
                            current.toBuilder()
                                .name("size-" + k)
                                .size(k)
                                .owner(k % 2 == 0 ? P0 : P1)
                                .build())
                        .orElseThrow();
              }
              done.set(true);
              return null;
            }
            while (!done.get() && violations.size() < 5) {
              Image before = catalog.find(seed.id()).orElseThrow();
              if (!before.name().orElse("").equals("size-" + before.size().orElse(0))) {
                violations.add("find returned a half-applied image " + Images.describe(before));
              } else {
                agreeingReads.incrementAndGet();
              }
              for (Image row : catalog.query(listing)) {
                if (!row.name().orElse("").startsWith("size-")) {
                  continue;
                }
                if (!row.name().get().equals("size-" + row.size().orElse(0))) {
                  violations.add("query listed a half-applied image " + Images.describe(row));
                }
              }
            }
            return null;
          });
      assertThat(violations)
          .as(
              "%s: a reader sees an image wholly before or wholly after a change (%d whole reads)",
              ATOMICITY, agreeingReads.get())
          .isEmpty();
    }

    @Test
    void exactlyOneOfConcurrentUndeletesAndFinishedDeletionsWins() throws Exception {
      Catalog catalog = newCatalog();
      for (int round = 1; round <= 20; round++) {
        Image image = catalog.insert(image(round, P0, Visibility.PRIVATE, round));
        catalog.delete(image.id(), 1, ImageStatus.PENDING_DELETE, T0);
        List<Boolean> won =
            runTogether(
                threads(),
                t -> {
                  try {
                    if (t % 2 == 0) {
                      catalog.undelete(image.id(), T0.plusSeconds(t));
                    } else {
                      catalog.finishDeletion(image.id());
                    }
                    return true;
                  } catch (GovernanceException e) {
                    if (e.code() != StoreErrorCode.IMAGE_NOT_PENDING_DELETE) {
                      throw e;
                    }
                    return false;
                  }
                });
        assertThat(won.stream().filter(w -> w).count())
            .as("%s: of concurrent restores and finished deletions of one image exactly one"
                + " succeeds", ATOMICITY)
            .isEqualTo(1);
        assertThat(catalog.find(image.id()).isPresent())
            .as("%s: the image is live exactly when no finished deletion won", ATOMICITY)
            .isNotEqualTo(catalog.tombstone(image.id()).isPresent());
      }
    }

    @Test
    void concurrentOperationsEndInAStateSomeSequentialOrderExplains() {
      Parallel parallel = new Parallel(60, TimeUnit.SECONDS);
      Gen<List<org.quicktheories.core.stateful.Command<Catalog, CatalogModel.State>>> commands =
          lists().of(CatalogModel.commands()).ofSizeBetween(2, 6);
      theory().withExamples(examples())
          .withShrinkCycles(50)
          .forAll(commands)
          .checkAssert(
              cmds -> {
                try {
                  parallel.parallelCheck(
                      CatalogModel.initial(),
                      cmds,
                      state -> CatalogModel.load(CatalogContract.this::newCatalog, state),
                      CatalogModel::read,
                      Math.max(2, threads()));
                } catch (AssertionError e) {
                  throw new AssertionError(
                      ATOMICITY
                          + ": running "
                          + cmds
                          + " (first in sequence, then concurrently)"
                          + " must end in a state some sequential order of them explains: "
                          + e.getMessage(),
                      e);
                }
              });
    }
  }
}
