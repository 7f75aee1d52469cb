package dev.imagegov.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.spi.usage.UsageCommit;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageStore.Reservation;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The usage port's combined calls on PostgreSQL: an image change and the usage it causes commit
 * in one transaction, both or neither. To show "neither", a commit's usage part is made to fail
 * inside the transaction (a reservation closed beforehand refuses to settle): the image change
 * must be rolled back with it, which two separate transactions could not do.
 */
class JdbcUsageCommitTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ProjectId P = ProjectId.of("p");
  private static final StoreId S = StoreId.of("s");

  private JdbcStore store;
  private JdbcCatalog catalog;
  private JdbcUsageStore usage;

  @BeforeEach
  void open() {
    store = TestDatabase.store("usage_commit");
    catalog = store.catalog();
    usage = store.usage();
    catalog.clear();
    usage.clear();
  }

  private static Image queued(long n) {
    return Image.builder()
        .id(ImageId.of(new UUID(11, n)))
        .owner(P)
        .status(ImageStatus.QUEUED)
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }

  private static Image active(Image image, long size) {
    return image.toBuilder()
        .status(ImageStatus.ACTIVE)
        .size(size)
        .addLocations(Location.of(S, "s://" + image.id()))
        .build();
  }

  private static UsageDelta stored(long bytes) {
    return new UsageDelta(P, ImmutableMap.of(S, bytes), 0, 0, 0);
  }

  private static UsageDelta images(long n) {
    return new UsageDelta(P, ImmutableMap.of(), 0, n, 0);
  }

  @Test
  void insertSettlesTheReservedImageWithTheRow() {
    Reservation r = usage.open(P);
    assertThat(r.tryGrow(UsageKind.IMAGES, 1, 1)).isTrue();

    Image stored = usage.insert(catalog, queued(1), UsageCommit.settled(r, List.of(images(1))));

    assertThat(stored.version()).isEqualTo(1);
    assertThat(catalog.find(stored.id())).isPresent();
    assertThat(usage.snapshot(P).committed(UsageKind.IMAGES))
        .as("the image is counted as committed")
        .isEqualTo(1);
    assertThat(usage.snapshot(P).reserved(UsageKind.IMAGES))
        .as("and no longer as reserved: never both")
        .isZero();
    assertThat(r.held(UsageKind.IMAGES)).as("the reservation learnt what it converted").isZero();
  }

  @Test
  void aDuplicateInsertChangesNoUsage() {
    usage.insert(catalog, queued(1), UsageCommit.recorded(List.of(images(1))));

    assertThatThrownBy(
            () -> usage.insert(catalog, queued(1), UsageCommit.recorded(List.of(images(1)))))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.DUPLICATE_IMAGE_ID));
    assertThat(usage.snapshot(P).committed(UsageKind.IMAGES)).isEqualTo(1);
  }

  @Test
  void compareAndSetCommitsTheImageAndItsUsageTogether() {
    Image image = catalog.insert(queued(1));
    Reservation r = usage.open(P);
    assertThat(r.tryGrow(UsageKind.STORED_BYTES, 100, 100)).isTrue();

    CompareAndSetResult result = usage.compareAndSet(
        catalog, image.version(), active(image, 100), UsageCommit.settled(r, List.of(stored(100))));

    assertThat(result).isInstanceOf(CompareAndSetResult.Stored.class);
    assertThat(catalog.find(image.id()).orElseThrow().status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(usage.snapshot(P).committed(UsageKind.STORED_BYTES)).isEqualTo(100);
    assertThat(usage.snapshot(P).reserved(UsageKind.STORED_BYTES)).isZero();
    assertThat(r.held(UsageKind.STORED_BYTES)).isZero();
  }

  @Test
  void aStaleCompareAndSetChangesNoUsage() {
    Image image = catalog.insert(queued(1));

    CompareAndSetResult result = usage.compareAndSet(catalog, image.version() + 1,
        active(image, 100), UsageCommit.recorded(List.of(stored(100))));

    assertThat(result.isStale()).isTrue();
    assertThat(usage.snapshot(P).committed(UsageKind.STORED_BYTES))
        .as("a refused change records no usage")
        .isZero();
  }

  @Test
  void aFailingUsageUpdateRollsTheImageChangeBack() {
    Image image = catalog.insert(queued(1));
    Reservation closed = usage.open(P);
    closed.close();

    assertThatThrownBy(() -> usage.compareAndSet(catalog, image.version(), active(image, 100),
            UsageCommit.settled(closed, List.of(stored(100)))))
        .isInstanceOf(IllegalStateException.class);

    Image now = catalog.find(image.id()).orElseThrow();
    assertThat(now.status())
        .as("the image change was in the usage's transaction and rolled back with it")
        .isEqualTo(ImageStatus.QUEUED);
    assertThat(now.version()).isEqualTo(image.version());
    assertThat(usage.snapshot(P).committed(UsageKind.STORED_BYTES)).isZero();
  }

  @Test
  void aFailingUsageUpdateRollsTheInsertBack() {
    Reservation closed = usage.open(P);
    closed.close();

    assertThatThrownBy(() -> usage.insert(catalog, queued(1),
            UsageCommit.settled(closed, List.of(images(1)))))
        .isInstanceOf(IllegalStateException.class);

    assertThat(catalog.isKnown(queued(1).id()))
        .as("the insert was rolled back with its usage")
        .isFalse();
  }

  @Test
  void deleteRecordsTheDecreaseWithTheTombstone() {
    Image image = active(catalog.insert(queued(1)), 100);
    image = catalog.compareAndSet(1, image).orElseThrow();
    usage.record(stored(100).plus(images(1)));

    usage.delete(catalog, image.id(), image.version(), ImageStatus.DELETED, T0,
        UsageCommit.recorded(List.of(stored(-100).plus(images(-1)))));

    assertThat(catalog.tombstone(image.id())).isPresent();
    assertThat(usage.snapshot(P).committed(UsageKind.STORED_BYTES)).isZero();
    assertThat(usage.snapshot(P).committed(UsageKind.IMAGES)).isZero();
  }

  @Test
  void aStaleDeleteChangesNoUsage() {
    Image image = catalog.insert(queued(1));
    usage.record(images(1));

    assertThatThrownBy(() -> usage.delete(catalog, image.id(), image.version() + 1,
            ImageStatus.DELETED, T0, UsageCommit.recorded(List.of(images(-1)))))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.STALE_VERSION));
    assertThat(catalog.find(image.id())).isPresent();
    assertThat(usage.snapshot(P).committed(UsageKind.IMAGES)).isEqualTo(1);
  }

  /** An active image of 100 bytes, deleted with {@code delayed_delete}: pending delete. */
  private Image pendingDelete() {
    Image image = active(catalog.insert(queued(1)), 100);
    image = catalog.compareAndSet(1, image).orElseThrow();
    catalog.delete(image.id(), image.version(), ImageStatus.PENDING_DELETE, T0);
    return image;
  }

  @Test
  void undeleteSettlesTheReservedUsageWithTheRestoredRow() {
    Image image = pendingDelete();
    Reservation r = usage.open(P);
    assertThat(r.tryGrow(UsageKind.IMAGES, 1, 1)).isTrue();
    assertThat(r.tryGrow(UsageKind.STORED_BYTES, 100, 100)).isTrue();

    Image restored = usage.undelete(catalog, image.id(), T0.plusSeconds(1),
        UsageCommit.settled(r, List.of(stored(100).plus(images(1)))));

    assertThat(restored.status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(catalog.find(image.id())).contains(restored);
    assertThat(usage.snapshot(P).committed(UsageKind.STORED_BYTES)).isEqualTo(100);
    assertThat(usage.snapshot(P).committed(UsageKind.IMAGES)).isEqualTo(1);
    assertThat(usage.snapshot(P).reserved(UsageKind.STORED_BYTES))
        .as("what was reserved is now committed, never both")
        .isZero();
    assertThat(r.held(UsageKind.IMAGES)).isZero();
  }

  @Test
  void aFailingUsageUpdateRollsTheRestoreBack() {
    Image image = pendingDelete();
    Reservation closed = usage.open(P);
    closed.close();

    assertThatThrownBy(() -> usage.undelete(catalog, image.id(), T0.plusSeconds(1),
            UsageCommit.settled(closed, List.of(stored(100).plus(images(1))))))
        .isInstanceOf(IllegalStateException.class);

    assertThat(catalog.find(image.id()))
        .as("the restore was in the usage's transaction and rolled back with it")
        .isEmpty();
    assertThat(catalog.tombstone(image.id()).orElseThrow().status())
        .isEqualTo(ImageStatus.PENDING_DELETE);
    assertThat(usage.snapshot(P).committed(UsageKind.IMAGES)).isZero();
    assertThat(usage.undelete(catalog, image.id(), T0.plusSeconds(2),
            UsageCommit.recorded(List.of(images(1)))).status())
        .as("and it can still be restored")
        .isEqualTo(ImageStatus.ACTIVE);
  }

  @Test
  void aRefusedUndeleteChangesNoUsage() {
    Image image = catalog.insert(queued(1));

    assertThatThrownBy(() -> usage.undelete(catalog, image.id(), T0,
            UsageCommit.recorded(List.of(images(1)))))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_PENDING_DELETE));
    assertThat(usage.snapshot(P).committed(UsageKind.IMAGES))
        .as("a live image is not restored, and no usage is recorded for it")
        .isZero();
  }

  @Test
  void aReservationOfAnotherUsageStoreIsSettledInItsOwnStep() {
    Image image = catalog.insert(queued(1));
    MemoryUsageStore other = new MemoryUsageStore();
    Reservation foreign = other.open(P);
    assertThat(foreign.tryGrow(UsageKind.STORED_BYTES, 100, -1)).isTrue();

    CompareAndSetResult result = usage.compareAndSet(catalog, image.version(), active(image, 100),
        UsageCommit.settled(foreign, List.of(stored(100))));

    assertThat(result).isInstanceOf(CompareAndSetResult.Stored.class);
    assertThat(foreign.held(UsageKind.STORED_BYTES))
        .as("the foreign reservation settled (the port's default: two steps)")
        .isZero();
  }
}
