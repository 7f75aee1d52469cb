package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.OUTSIDER;
import static dev.imagegov.Fixtures.PRODUCER;
import static dev.imagegov.Fixtures.PRODUCER_READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.access.Caller;
import dev.imagegov.access.Policy;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.ImageCreated;
import dev.imagegov.events.ImageDeleted;
import dev.imagegov.events.StatusChanged;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Create, get, delete, deactivate and reactivate: §1.4, §1.6, §2.4, §12 of the reference. */
class ImageLifecycleTest {
  private final Fixtures f = new Fixtures();

  /** Moves an image to active as a finished upload would (data handling is another issue). */
  private Image activate(Image image) {
    Image current = f.governance.catalog().find(image.id()).orElseThrow();
    return f.governance
        .catalog()
        .compareAndSet(
            current.version(),
            current.toBuilder()
                .status(ImageStatus.ACTIVE)
                .diskFormat("raw")
                .containerFormat("bare")
                .size(3)
                .addLocations(Location.of(StoreId.of("memory"), "memory://" + image.id()))
                .build()).orElseThrow();
  }

  // §1.4 create

  @Test
  void newImageHasGlanceDefaults() {
    Image image = f.images().create(PRODUCER, NewImage.builder().build());
    assertThat(image.status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(image.visibility()).isEqualTo(Visibility.SHARED);
    assertThat(image.owner()).contains(ProjectId.of("producer"));
    assertThat(image.isProtected()).isFalse();
    assertThat(image.osHidden()).isFalse();
    assertThat(image.minDisk()).isZero();
    assertThat(image.minRam()).isZero();
    assertThat(image.size()).isEmpty();
    assertThat(image.checksum()).isEmpty();
    assertThat(image.tags()).isEmpty();
    assertThat(image.createdAt()).isEqualTo(image.updatedAt());
    assertThat(image.name()).isEmpty();
  }

  @Test
  void suppliedIdIsKeptAsGiven() {
    String upper = "A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4D";
    assertThat(f.images().create(PRODUCER, NewImage.builder().id(upper).build()).id().value())
        .isEqualTo(upper);
  }

  @Test
  void malformedIdIsBadRequest() {
    Expect.fails(
        StoreErrorCode.INVALID_IMAGE_ID,
        () -> f.images().create(PRODUCER, NewImage.builder().id("not-a-uuid").build()));
    assertThat(f.governance.catalog().size()).isZero();
  }

  @Test
  void idIsNeverReusedEvenAfterDelete() {
    String id = UUID.randomUUID().toString();
    f.images().create(PRODUCER, NewImage.builder().id(id).build());
    Expect.fails(
        StoreErrorCode.DUPLICATE_IMAGE_ID,
        () -> f.images().create(PRODUCER, NewImage.builder().id(id).build()));
    f.images().delete(PRODUCER, ImageId.of(id));
    Expect.fails(
        StoreErrorCode.DUPLICATE_IMAGE_ID,
        () -> f.images().create(PRODUCER, NewImage.builder().id(id).build()));
  }

  @Test
  void nameLongerThan255IsRejected() {
    Expect.fails(
        StoreErrorCode.INVALID_VALUE,
        () -> f.images().create(PRODUCER, NewImage.builder().name("x".repeat(256)).build()));
    assertThat(f.images().create(PRODUCER, NewImage.builder().name("x".repeat(255)).build()).name())
        .contains("x".repeat(255));
  }

  @Test
  void fourByteCharactersAreRejected() {
    String emoji = "\uD83D\uDE00";
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().create(PRODUCER, NewImage.builder().name(emoji).build()));
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().create(PRODUCER, NewImage.builder().addTags(emoji).build()));
    Expect.fails(
        StoreErrorCode.INVALID_VALUE,
        () -> f.images().create(PRODUCER, NewImage.builder().properties(Map.of("k", emoji)).build()));
    Expect.fails(
        StoreErrorCode.INVALID_VALUE,
        () -> f.images().create(PRODUCER, NewImage.builder().properties(Map.of(emoji, "v")).build()));
  }

  @Test
  void formatsMustBeConfiguredOnes() {
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().create(PRODUCER, NewImage.builder().diskFormat("floppy").build()));
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().create(PRODUCER, NewImage.builder().containerFormat("tarball").build()));
    Fixtures custom =
        new Fixtures(GovernanceConfig.builder().diskFormats(java.util.List.of("floppy")).build());
    assertThat(custom.images().create(PRODUCER, NewImage.builder().diskFormat("floppy").build()).diskFormat())
        .contains("floppy");
  }

  @Test
  void minDiskAndMinRamMustBeInRange() {
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().create(PRODUCER, NewImage.builder().minDisk(-1).build()));
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().create(PRODUCER, NewImage.builder().minRam(1L << 31).build()));
    assertThat(f.images().create(PRODUCER, NewImage.builder().minRam(Integer.MAX_VALUE).build()).minRam())
        .isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void tagsAreASetInInsertionOrder() {
    Image image = f.images().create(PRODUCER, NewImage.builder().addTags("b", "a", "b", "c").build());
    assertThat(image.tags()).containsExactly("b", "a", "c");
  }

  @Test
  void tagLongerThan255IsRejected() {
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().create(PRODUCER, NewImage.builder().addTags("t".repeat(256)).build()));
  }

  @Test
  void reservedPropertyNamesAreForbidden() {
    for (String key : new String[] {"os_glance", "os_glance_x", "location", "deleted", "deleted_at", "owner", "locations"}) {
      Expect.fails(
          RuleCode.RESERVED_ATTRIBUTE,
          () -> f.images().create(PRODUCER, NewImage.builder().properties(Map.of(key, "v")).build()));
    }
  }

  @Test
  void readOnlyAttributesCannotBeSetAsProperties() {
    // Glance's create refuses direct_url, self, file, schema and stores as read-only first
    // (RequestDeserializer._check_allowed), before its factory's reserved set could name them.
    for (String key : new String[] {"status", "size", "checksum", "created_at", "updated_at", "virtual_size", "id", "direct_url", "self", "file", "schema", "stores"}) {
      Expect.fails(
          RuleCode.READ_ONLY_ATTRIBUTE,
          () -> f.images().create(PRODUCER, NewImage.builder().properties(Map.of(key, "v")).build()));
    }
  }

  @Test
  void propertyKeyLongerThan255IsRejected() {
    Expect.fails(
        StoreErrorCode.INVALID_VALUE,
        () -> f.images().create(PRODUCER, NewImage.builder().properties(Map.of("k".repeat(256), "v")).build()));
  }

  @Test
  void tagAndPropertyQuotasAreEnforcedOnCreate() {
    Fixtures two =
        new Fixtures(GovernanceConfig.builder().imageTagQuota(2).imagePropertyQuota(2).build());
    Expect.fails(
        RuleCode.TAG_QUOTA_EXCEEDED,
        () -> two.images().create(PRODUCER, NewImage.builder().addTags("a", "b", "c").build()));
    Expect.fails(
        RuleCode.PROPERTY_QUOTA_EXCEEDED,
        () -> two.images().create(PRODUCER, NewImage.builder().properties(Map.of("a", "1", "b", "2", "c", "3")).build()));
    assertThat(two.governance.catalog().size()).isZero();
  }

  @Test
  void nonAdminCannotCreateForAnotherProject() {
    Expect.fails(
        RuleCode.POLICY_DENIED,
        () -> f.images().create(PRODUCER, NewImage.builder().owner("someone-else").build()));
    assertThat(f.images().create(ADMIN, NewImage.builder().owner("someone-else").build()).owner())
        .contains(ProjectId.of("someone-else"));
  }

  @Test
  void readerCannotCreateImages() {
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.images().create(PRODUCER_READER, NewImage.builder().build()));
  }

  @Test
  void createEmitsOneEventAndFailedCreateNone() {
    f.events.clear();
    f.images().create(PRODUCER, NewImage.builder().name("x").build());
    Expect.fails(StoreErrorCode.INVALID_VALUE, () -> f.images().create(PRODUCER, NewImage.builder().minDisk(-1).build()));
    assertThat(f.events).hasSize(1).first().isInstanceOf(ImageCreated.class);
  }

  @Test
  void failingListenerNeitherUndoesTheChangeNorStarvesTheOthers() {
    java.util.List<dev.imagegov.events.GovernanceEvent> second = new java.util.ArrayList<>();
    java.util.List<String> handed = new java.util.ArrayList<>();
    java.util.List<Throwable> uncaught = new java.util.ArrayList<>();
    dev.imagegov.events.GovernanceListener failing = event -> {
      throw new IllegalStateException("listener 1 fails on " + event);
    };
    ImageGovernance governance =
        ImageGovernance.builder()
            .catalog(new dev.imagegov.store.memory.MemoryCatalog())
            .clock(new TickingClock())
            .listener(failing)
            .listener(second::add)
            .listenerFailures((listener, event, failure) -> handed.add(
                (listener == failing) + " " + event.getClass().getSimpleName() + " "
                    + failure.getMessage().startsWith("listener 1 fails")))
            .build();
    Thread current = Thread.currentThread();
    Thread.UncaughtExceptionHandler previous = current.getUncaughtExceptionHandler();
    current.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    Image created;
    Image changed;
    try {
      created = governance.images().create(PRODUCER, NewImage.builder().name("x").build());
      changed = governance.images().setVisibility(PRODUCER, created.id(), Visibility.PRIVATE);
    } finally {
      current.setUncaughtExceptionHandler(previous);
    }
    assertThat(second).hasSize(2);
    assertThat(second.get(0)).isInstanceOf(ImageCreated.class);
    assertThat(second.get(1)).isInstanceOf(dev.imagegov.events.VisibilityChanged.class);
    assertThat(handed).containsExactly("true ImageCreated true", "true VisibilityChanged true");
    assertThat(uncaught).as("the thread's uncaught-exception handler").isEmpty();
    assertThat(changed.visibility()).isEqualTo(Visibility.PRIVATE);
    assertThat(governance.catalog().find(created.id()).orElseThrow().visibility())
        .isEqualTo(Visibility.PRIVATE);
  }

  @Test
  void aFailingListenerFailureHandlerIsContainedToo() {
    java.util.List<dev.imagegov.events.GovernanceEvent> second = new java.util.ArrayList<>();
    ImageGovernance governance =
        ImageGovernance.builder()
            .catalog(new dev.imagegov.store.memory.MemoryCatalog())
            .clock(new TickingClock())
            .listener(event -> {
              throw new IllegalStateException("listener fails");
            })
            .listener(second::add)
            .listenerFailures((listener, event, failure) -> {
              throw new IllegalStateException("handler fails");
            })
            .build();
    Image created = governance.images().create(PRODUCER, NewImage.builder().name("x").build());
    assertThat(second).singleElement().isInstanceOf(ImageCreated.class);
    assertThat(governance.catalog().find(created.id())).isPresent();
  }

  // §1.6 get

  @Test
  void malformedIdInGetIsNotFound() {
    Expect.notFound(() -> f.images().get(PRODUCER, "../etc/passwd"));
  }

  @Test
  void callerWithoutRolesCannotGetItsOwnImage() {
    Image image = f.create(PRODUCER, "x", Visibility.PRIVATE);
    Expect.notFound(() -> f.images().get(Caller.of("producer"), image.id()));
  }

  // §12 delete

  @Test
  void protectedImageCannotBeDeletedEvenByAdmin() {
    Image image = f.images().create(PRODUCER, NewImage.builder().isProtected(true).build());
    Expect.fails(RuleCode.IMAGE_PROTECTED, () -> f.images().delete(ADMIN, image.id()));
    Expect.fails(RuleCode.IMAGE_PROTECTED, () -> f.images().delete(PRODUCER, image.id()));
    assertThat(f.images().get(PRODUCER, image.id()).id()).isEqualTo(image.id());
  }

  @Test
  void secondDeleteIsNotFound() {
    Image image = f.create(PRODUCER, "x", Visibility.PRIVATE);
    f.images().delete(PRODUCER, image.id());
    Expect.notFound(() -> f.images().delete(PRODUCER, image.id()));
  }

  @Test
  void nonOwnerWhoCanSeeImageIsForbiddenToDelete() {
    Image image = f.createFor("producer", "pub", Visibility.PUBLIC);
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.images().delete(OUTSIDER, image.id()));
  }

  @Test
  void outsiderDeletingInvisibleImageGetsNotFound() {
    Image image = f.create(PRODUCER, "x", Visibility.PRIVATE);
    Expect.notFound(() -> f.images().delete(OUTSIDER, image.id()));
  }

  @Test
  void deleteLeavesATombstoneAndEmitsEvent() {
    Image image = f.create(PRODUCER, "x", Visibility.PRIVATE);
    f.events.clear();
    f.images().delete(PRODUCER, image.id());
    assertThat(f.governance.catalog().tombstone(image.id())).get()
        .satisfies(t -> assertThat(t.status()).isEqualTo(ImageStatus.DELETED));
    assertThat(f.events).hasSize(1).first().isInstanceOf(ImageDeleted.class);
  }

  @Test
  void delayedDeleteOfImageWithDataIsPendingDelete() {
    Fixtures delayed = new Fixtures(GovernanceConfig.builder().delayedDelete(true).build());
    Image withData = delayed.create(PRODUCER, "x", Visibility.PRIVATE);
    Image current = delayed.governance.catalog().find(withData.id()).orElseThrow();
    delayed.governance.catalog().compareAndSet(current.version(),
        current.toBuilder().status(ImageStatus.ACTIVE)
            .addLocations(Location.of(StoreId.of("memory"), "memory://x")).build()).orElseThrow();
    Image empty = delayed.create(PRODUCER, "y", Visibility.PRIVATE);
    delayed.images().delete(PRODUCER, withData.id());
    delayed.images().delete(PRODUCER, empty.id());
    assertThat(delayed.governance.catalog().tombstone(withData.id()).orElseThrow().status())
        .isEqualTo(ImageStatus.PENDING_DELETE);
    assertThat(delayed.governance.catalog().tombstone(empty.id()).orElseThrow().status())
        .isEqualTo(ImageStatus.DELETED);
  }

  // §2.4 deactivate / reactivate

  @Test
  void ownerProjectMemberCanDeactivateAndReactivate() {
    Image image = activate(f.create(PRODUCER, "x", Visibility.PRIVATE));
    f.events.clear();
    assertThat(f.images().deactivate(PRODUCER, image.id()).status()).isEqualTo(ImageStatus.DEACTIVATED);
    assertThat(f.images().deactivate(PRODUCER, image.id()).status()).isEqualTo(ImageStatus.DEACTIVATED);
    assertThat(f.images().reactivate(PRODUCER, image.id()).status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(f.images().reactivate(PRODUCER, image.id()).status()).isEqualTo(ImageStatus.ACTIVE);
    assertThat(f.events).hasSize(2).allMatch(e -> e instanceof StatusChanged);
  }

  @Test
  void deactivateCanBeMadeAdminOnlyByPolicy() {
    Fixtures strict =
        new Fixtures(
            GovernanceConfig.builder()
                .policy(Policy.secureDefaults().withRule("deactivate", "role:admin"))
                .build());
    Image image = strict.create(PRODUCER, "x", Visibility.PRIVATE);
    Image current = strict.governance.catalog().find(image.id()).orElseThrow();
    strict.governance.catalog().compareAndSet(current.version(), current.toBuilder().status(ImageStatus.ACTIVE).build()).orElseThrow();
    Expect.fails(RuleCode.POLICY_DENIED, () -> strict.images().deactivate(PRODUCER, image.id()));
    assertThat(strict.images().deactivate(ADMIN, image.id()).status()).isEqualTo(ImageStatus.DEACTIVATED);
  }

  @Test
  void anOwnerRefusedByPolicyIsToldWhichRuleDeniedIt() {
    Fixtures strict =
        new Fixtures(
            GovernanceConfig.builder()
                .policy(Policy.secureDefaults().withRule("modify_image", "role:admin")
                    .withRule("deactivate", "role:admin"))
                .build());
    Image image = strict.create(PRODUCER, "x", Visibility.PRIVATE);
    Image current = strict.governance.catalog().find(image.id()).orElseThrow();
    strict.governance.catalog().compareAndSet(current.version(),
        current.toBuilder().status(ImageStatus.ACTIVE).build()).orElseThrow();
    // Glance's PolicyNotAuthorized names the rule; "You do not own this image" would be untrue.
    assertThatThrownBy(() -> strict.images().deactivate(PRODUCER, image.id()))
        .hasMessage("You are not authorized to complete deactivate action.");
    assertThatThrownBy(
            () -> strict.images().update(PRODUCER, image.id(),
                ImagePatch.builder().setName("y").build()))
        .hasMessageStartingWith("You are not authorized to complete modify_image action.");
    assertThatThrownBy(() -> strict.images().setVisibility(PRODUCER, image.id(),
            Visibility.SHARED))
        .hasMessage("You are not authorized to complete modify_image action.");
  }

  @Test
  void deactivateOutsideActiveIsForbidden() {
    Image image = f.create(PRODUCER, "x", Visibility.PRIVATE);
    Expect.fails(RuleCode.STATUS_FORBIDS, () -> f.images().deactivate(PRODUCER, image.id()));
    Expect.fails(RuleCode.STATUS_FORBIDS, () -> f.images().reactivate(PRODUCER, image.id()));
  }

  @Test
  void nonOwnerWhoCanSeeImageCannotDeactivate() {
    Image image = activate(f.createFor("producer", "pub", Visibility.PUBLIC));
    Expect.fails(RuleCode.POLICY_DENIED, () -> f.images().deactivate(OUTSIDER, image.id()));
    Image priv = activate(f.create(PRODUCER, "priv", Visibility.PRIVATE));
    Expect.notFound(() -> f.images().deactivate(OUTSIDER, priv.id()));
  }

  @Test
  void deactivatedImageBlocksDownloadForNonAdminsOnly() {
    Image image = activate(f.createFor("producer", "pub", Visibility.PUBLIC));
    f.images().deactivate(PRODUCER, image.id());
    Expect.fails(RuleCode.STATUS_FORBIDS, () -> f.governance.access().authorizeDownload(PRODUCER, image.id()));
    Expect.fails(RuleCode.STATUS_FORBIDS, () -> f.governance.access().authorizeDownload(OUTSIDER, image.id()));
    assertThat(f.governance.access().authorizeDownload(ADMIN, image.id()).id()).isEqualTo(image.id());
  }

  @Test
  void deactivatedImageStaysGettableAndListed() {
    Image image = activate(f.create(PRODUCER, "x", Visibility.PRIVATE));
    f.images().deactivate(PRODUCER, image.id());
    assertThat(f.images().get(PRODUCER, image.id()).status()).isEqualTo(ImageStatus.DEACTIVATED);
    assertThat(f.listNames(PRODUCER, "")).containsExactly("x");
  }
}
