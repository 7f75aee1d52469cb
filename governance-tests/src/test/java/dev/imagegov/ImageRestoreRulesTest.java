package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.CONSUMER_A;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static dev.imagegov.Fixtures.PRODUCER_READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagegov.access.AccessExplanation;
import dev.imagegov.access.Action;
import dev.imagegov.access.CheckKind;
import dev.imagegov.access.CheckStep;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.ImageRestored;
import dev.imagegov.events.StatusChanged;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.quota.StaticLimits;
import dev.imagegov.quota.UnifiedLimit;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.testkit.gen.Ids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Restoring a {@code pending_delete} image ({@code lifecycle().restore}, Glance's {@code
 * glance-scrubber --restore}) and the scrub finishing a deletion ({@code pending_delete} becomes
 * {@code deleted}): one example per rule, and a seeded walk that quota usage stays exact.
 */
class ImageRestoreRulesTest {
  private static final GovernanceConfig DELAYED =
      GovernanceConfig.builder().delayedDelete(true).scrubTime(Duration.ofHours(1)).build();
  private static final GovernanceConfig SCRUB_NOW =
      GovernanceConfig.builder().delayedDelete(true).build();
  /** Delayed delete, with a unified limit of one image per project (and no other limit). */
  private static final GovernanceConfig ONE_IMAGE = DELAYED.toBuilder()
      .unifiedLimits(StaticLimits.builder()
          .registered(UnifiedLimit.IMAGE_COUNT_TOTAL, 1)
          .registered(UnifiedLimit.IMAGE_SIZE_TOTAL, -1)
          .registered(UnifiedLimit.IMAGE_COUNT_UPLOADING, -1)
          .registered(UnifiedLimit.IMAGE_STAGE_TOTAL, -1)
          .build())
      .build();

  private static Image deletedLater(DataFixtures f, String text) {
    Image image = f.active(PRODUCER, text);
    f.governance.images().delete(PRODUCER, image.id());
    return image;
  }

  @Test
  void ownerRestoresAPendingDeleteImageAsItWas() {
    DataFixtures f = new DataFixtures(DELAYED);
    Image image = f.active(PRODUCER, "abc");
    f.governance.sharing().addMember(PRODUCER, image.id(), ProjectId.of("consumer-a"));
    Image before = f.stored(image.id());
    f.governance.images().delete(PRODUCER, image.id());
    assertThat(f.storedBytes("producer")).isZero();

    Image restored = f.governance.lifecycle().restore(PRODUCER, image.id());

    assertThat(restored.status()).isEqualTo(ImageStatus.ACTIVE);
    Image stored = f.stored(image.id());
    assertThat(stored.withVersion(before.version()))
        .isEqualTo(before.toBuilder().updatedAt(stored.updatedAt()).build());
    assertThat(f.fast.exists(BlobKey.of(image.id()))).as("its data was never removed").isTrue();
    assertThat(f.storedBytes("producer")).as("it counts against its owner again").isEqualTo(3);
    assertThat(f.governance.images().get(CONSUMER_A, image.id()).id()).isEqualTo(image.id());
    assertThat(f.events).filteredOn(e -> e instanceof ImageRestored).hasSize(1);
  }

  @Test
  void adminRestoresAnotherProjectsPendingDeleteImage() {
    DataFixtures f = new DataFixtures(DELAYED);
    Image image = deletedLater(f, "abc");
    assertThat(f.governance.lifecycle().restore(ADMIN, image.id()).id()).isEqualTo(image.id());
    assertThat(f.catalog.find(image.id())).isPresent();
  }

  @Test
  void anotherProjectCannotLearnThatAPendingDeleteImageExists() {
    DataFixtures f = new DataFixtures(DELAYED);
    Image image = f.queued(PRODUCER, Visibility.COMMUNITY);
    f.upload(PRODUCER, image.id(), "abc");
    f.governance.images().delete(PRODUCER, image.id());
    ImageId unknown = Ids.imageId(999);
    GovernanceException deleted = catchThrowableOfType(GovernanceException.class,
        () -> f.governance.lifecycle().restore(OUTSIDER, image.id()));
    GovernanceException never = catchThrowableOfType(GovernanceException.class,
        () -> f.governance.lifecycle().restore(OUTSIDER, unknown));
    assertThat(deleted.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND);
    assertThat(never.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND);
    assertThat(deleted.getMessage().replace(image.id().value(), "ID"))
        .isEqualTo(never.getMessage().replace(unknown.value(), "ID"));
    assertThat(f.catalog.tombstone(image.id()).map(Tombstone::status))
        .contains(ImageStatus.PENDING_DELETE);
  }

  @Test
  void aReaderOfTheOwnerProjectCannotRestore() {
    DataFixtures f = new DataFixtures(DELAYED);
    Image image = deletedLater(f, "abc");
    Expect.fails(RuleCode.POLICY_DENIED,
        () -> f.governance.lifecycle().restore(PRODUCER_READER, image.id()));
    assertThat(f.catalog.tombstone(image.id()).map(Tombstone::status))
        .as("delete_image denies the reader, so it may not undo the deletion either")
        .contains(ImageStatus.PENDING_DELETE);
  }

  @Test
  void explainRunsTheRestoreChecksInTheirOrder() {
    DataFixtures f = new DataFixtures(ONE_IMAGE);
    Image image = deletedLater(f, "abc");

    AccessExplanation allowed =
        f.governance.access().explain(PRODUCER, image.id(), Action.RESTORE);
    assertThat(allowed.allowed()).as(allowed.render()).isTrue();
    assertThat(allowed.steps()).extracting(CheckStep::kind).containsExactly(CheckKind.LOOKUP,
        CheckKind.VISIBILITY, CheckKind.STATE, CheckKind.POLICY, CheckKind.QUOTA);
    assertThat(f.catalog.tombstone(image.id()).map(Tombstone::status))
        .as("explain changes nothing")
        .contains(ImageStatus.PENDING_DELETE);

    assertThat(f.governance.access().explain(OUTSIDER, image.id(), Action.RESTORE).status())
        .isEqualTo(404);
    assertThat(f.governance.access().explain(PRODUCER_READER, image.id(), Action.RESTORE)
        .errorCode()).contains(RuleCode.POLICY_DENIED);
    f.active(PRODUCER, "the one image allowed");
    AccessExplanation full = f.governance.access().explain(PRODUCER, image.id(), Action.RESTORE);
    assertThat(full.errorCode()).as(full.render()).contains(RuleCode.LIMIT_EXCEEDED);
    assertThat(full.steps().get(full.steps().size() - 1).kind()).isEqualTo(CheckKind.QUOTA);
    Expect.fails(RuleCode.LIMIT_EXCEEDED,
        () -> f.governance.lifecycle().restore(PRODUCER, image.id()));

    Image live = f.active(ADMIN, "live");
    assertThat(f.governance.access().explain(ADMIN, live.id(), Action.RESTORE).errorCode())
        .contains(StoreErrorCode.IMAGE_NOT_PENDING_DELETE);
  }

  @Test
  void restoringALiveImageIsAConflict() {
    DataFixtures f = new DataFixtures(DELAYED);
    Image image = f.active(PRODUCER, "abc");
    Expect.fails(StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
        () -> f.governance.lifecycle().restore(PRODUCER, image.id()));
    Image shared = f.active(PRODUCER, "private one");
    Expect.notFound(() -> f.governance.lifecycle().restore(OUTSIDER, shared.id()));
  }

  @Test
  void restoringAnImageDeletedWithoutDelayedDeleteIsAConflict() {
    DataFixtures f = new DataFixtures();
    Image image = deletedLater(f, "abc");
    Expect.fails(StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
        () -> f.governance.lifecycle().restore(PRODUCER, image.id()));
    assertThat(f.catalog.find(image.id())).isEmpty();
  }

  @Test
  void theScrubMakesAPendingDeleteImageDeletedAndItCanNoLongerBeRestored() {
    DataFixtures f = new DataFixtures(SCRUB_NOW);
    Image image = deletedLater(f, "abc");
    dev.imagegov.data.ScrubReport report = f.data().scrub(ADMIN);
    assertThat(report.removed()).hasSize(1);
    assertThat(report.finished()).as("the report lists the finished deletion")
        .containsExactly(image.id());
    assertThat(f.data().scrub(ADMIN).finished()).as("once").isEmpty();
    assertThat(f.catalog.tombstone(image.id()).map(Tombstone::status))
        .contains(ImageStatus.DELETED);
    assertThat(f.fast.keys()).isEmpty();
    assertThat(f.events).filteredOn(e -> e instanceof StatusChanged)
        .map(e -> ((StatusChanged) e).from() + "->" + ((StatusChanged) e).to())
        .contains(ImageStatus.PENDING_DELETE + "->" + ImageStatus.DELETED);
    Expect.fails(StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
        () -> f.governance.lifecycle().restore(PRODUCER, image.id()));
  }

  @Test
  void aPendingDeleteImageWhoseDataIsGoneIsFinishedByTheScrub() throws java.io.IOException {
    DataFixtures f = new DataFixtures(SCRUB_NOW);
    Image image = deletedLater(f, "abc");
    Image young = f.active(PRODUCER, "kept");
    assertThat(f.fast.delete(BlobKey.of(image.id()))).as("its data went behind the catalog's back")
        .isTrue();

    dev.imagegov.data.ScrubReport report = f.data().scrub(ADMIN);

    assertThat(report.removed()).isEmpty();
    assertThat(report.finished()).containsExactly(image.id());
    assertThat(f.catalog.tombstone(image.id()).map(Tombstone::status))
        .as("no longer restorable without its data")
        .contains(ImageStatus.DELETED);
    Expect.fails(StoreErrorCode.IMAGE_NOT_PENDING_DELETE,
        () -> f.governance.lifecycle().restore(PRODUCER, image.id()));
    assertThat(f.catalog.find(young.id())).as("a live image is not touched").isPresent();
  }

  @Test
  void aPendingDeleteImageWithinScrubTimeIsNotFinishedEvenWithoutData() throws java.io.IOException {
    DataFixtures f = new DataFixtures(DELAYED);
    Image image = deletedLater(f, "abc");
    f.fast.delete(BlobKey.of(image.id()));

    assertThat(f.data().scrub(ADMIN).finished()).isEmpty();
    assertThat(f.catalog.tombstone(image.id()).map(Tombstone::status))
        .as("scrub_time has not passed: it can still be restored")
        .contains(ImageStatus.PENDING_DELETE);
  }

  @Test
  void anImageRestoredBeforeTheScrubKeepsItsData() throws java.io.IOException {
    DataFixtures f = new DataFixtures(DELAYED);
    Image image = deletedLater(f, "abc");
    assertThat(f.data().scrub(ADMIN).deferred()).as("within scrub_time").isEqualTo(1);
    f.governance.lifecycle().restore(PRODUCER, image.id());
    assertThat(f.data().scrub(ADMIN).removed()).isEmpty();
    assertThat(f.fast.exists(BlobKey.of(image.id()))).isTrue();
    assertThat(f.governance.data().download(PRODUCER, image.id()).stream().readAllBytes())
        .isEqualTo("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aRestoredDeactivatedImageStaysDeactivated() {
    DataFixtures f = new DataFixtures(DELAYED);
    Image image = f.active(PRODUCER, "abc");
    f.governance.images().deactivate(ADMIN, image.id());
    f.governance.images().delete(ADMIN, image.id());
    assertThat(f.governance.lifecycle().restore(PRODUCER, image.id()).status())
        .isEqualTo(ImageStatus.DEACTIVATED);
  }

  @Test
  void aRestoreOverTheImageCountLimitIsRefusedAndChangesNothing() {
    DataFixtures f = new DataFixtures(ONE_IMAGE);
    Image image = deletedLater(f, "abc");
    f.active(PRODUCER, "the one image allowed");
    Expect.fails(RuleCode.LIMIT_EXCEEDED,
        () -> f.governance.lifecycle().restore(PRODUCER, image.id()));
    assertThat(f.catalog.tombstone(image.id()).map(Tombstone::status))
        .contains(ImageStatus.PENDING_DELETE);
    assertThat(f.governance.quotas().usage(ADMIN, ProjectId.of("producer")).imageCount())
        .isEqualTo(1);
    assertThat(f.storedBytes("producer")).isEqualTo("the one image allowed".length());
  }

  /**
   * Bad input to restore (an unknown id, a live image, a finished deletion, a caller {@code
   * delete_image} denies, null) is refused with the error that names what was wrong, and changes
   * nothing: not the catalog, not the stores, not the usage, no event.
   */
  @Test
  void aRefusedRestoreNamesTheImageAndChangesNothing() {
    DataFixtures f = new DataFixtures(DELAYED);
    Image live = f.active(PRODUCER, "live");
    Image pending = deletedLater(f, "abc");
    Image liveBefore = f.stored(live.id());
    Tombstone pendingBefore = f.catalog.tombstone(pending.id()).orElseThrow();
    long storedBefore = f.storedBytes("producer");
    long countBefore = f.governance.quotas().usage(ADMIN, ProjectId.of("producer")).imageCount();
    List<String> blobsBefore = f.fast.keys().stream().map(BlobKey::value).sorted().toList();
    int eventsBefore = f.events.size();
    ImageId unknown = Ids.imageId(999);

    assertThat(refusal(() -> f.governance.lifecycle().restore(PRODUCER, unknown))).isNotNull()
        .satisfies(e -> assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_FOUND))
        .satisfies(e -> assertThat(e.getMessage()).contains(unknown.value()));
    assertThat(refusal(() -> f.governance.lifecycle().restore(PRODUCER, live.id()))).isNotNull()
        .satisfies(e -> assertThat(e.code()).isEqualTo(StoreErrorCode.IMAGE_NOT_PENDING_DELETE))
        .satisfies(e -> assertThat(e.getMessage()).contains(live.id().value()));
    assertThat(refusal(() -> f.governance.lifecycle().restore(PRODUCER_READER, pending.id())))
        .isNotNull()
        .satisfies(e -> assertThat(e.code()).isEqualTo(RuleCode.POLICY_DENIED));
    assertThatThrownBy(() -> f.governance.lifecycle().restore(PRODUCER, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> f.governance.lifecycle().restore(null, pending.id()))
        .isInstanceOf(NullPointerException.class);

    assertThat(f.stored(live.id())).as("the live image").isEqualTo(liveBefore);
    assertThat(f.catalog.tombstone(pending.id())).as("the pending-delete image's tombstone")
        .contains(pendingBefore);
    assertThat(f.catalog.isKnown(unknown)).as("the unknown id").isFalse();
    assertThat(f.fast.keys().stream().map(BlobKey::value).sorted().toList()).as("the blobs")
        .isEqualTo(blobsBefore);
    assertThat(f.storedBytes("producer")).as("stored bytes").isEqualTo(storedBefore);
    assertThat(f.governance.quotas().usage(ADMIN, ProjectId.of("producer")).imageCount())
        .as("image count").isEqualTo(countBefore);
    assertThat(f.events).as("events of refused restores").hasSize(eventsBefore);
  }

  private static GovernanceException refusal(ThrowingCallable call) {
    return catchThrowableOfType(GovernanceException.class, call);
  }

  /**
   * A seeded walk of creates, uploads, delayed deletes, restores and scrubs: after every step the
   * owner's usage is exactly what its live images make (count, and bytes per location).
   */
  @Test
  void usageStaysExactThroughDeletesRestoresAndScrubs() {
    for (long seed = 1; seed <= 12; seed++) {
      Random random = new Random(seed);
      DataFixtures f = new DataFixtures(random.nextBoolean() ? DELAYED : SCRUB_NOW);
      List<ImageId> ids = new ArrayList<>();
      for (int step = 0; step < 40; step++) {
        int op = random.nextInt(5);
        String what = "seed " + seed + ", step " + step + ", op " + op;
        try {
          if (op == 0 || ids.isEmpty()) {
            ids.add(f.active(PRODUCER, "x".repeat(1 + random.nextInt(9))).id());
          } else {
            ImageId id = ids.get(random.nextInt(ids.size()));
            if (op == 1) {
              f.governance.images().delete(PRODUCER, id);
            } else if (op == 2 || op == 3) {
              f.governance.lifecycle().restore(PRODUCER, id);
            } else {
              f.data().scrub(ADMIN);
            }
          }
        } catch (GovernanceException expected) {
          // A refused step changes nothing; the usage check below still holds.
        }
        long[] expected = new long[2];
        f.catalog.forEach(image -> {
          expected[0]++;
          expected[1] += image.size().orElse(0) * image.locations().size();
        });
        assertThat(f.governance.quotas().usage(ADMIN, ProjectId.of("producer")).imageCount())
            .as("image count, %s", what).isEqualTo(expected[0]);
        assertThat(f.storedBytes("producer")).as("stored bytes, %s", what)
            .isEqualTo(expected[1]);
      }
    }
  }
}
