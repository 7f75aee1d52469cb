package dev.imagegov;

import static dev.imagegov.Fixtures.ADMIN;
import static dev.imagegov.Fixtures.PRODUCER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegov.WriteSagaFailurePropertyTest.CatalogFault;
import dev.imagegov.WriteSagaFailurePropertyTest.Faults;
import dev.imagegov.WriteSagaFailurePropertyTest.FaultyCatalog;
import dev.imagegov.WriteSagaFailurePropertyTest.FaultyStore;
import dev.imagegov.WriteSagaFailurePropertyTest.State;
import dev.imagegov.data.ScrubReport;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.StoreId;
import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * The write saga's double fault: the data write fails and then the catalog refuses the
 * compensating commit that returns the image to {@code queued} (or {@code uploading} back to
 * {@code queued} for staging). The kernel retries the compensation; if the catalog keeps
 * refusing, it keeps the compensation and {@code scrub} commits it. Either way the image is not
 * left {@code saving} and the owner's usage is as before.
 */
class WriteSagaDoubleFaultTest {
  private static final byte[] DATA = "forty bytes of image data, for the saga."
      .getBytes(StandardCharsets.UTF_8);

  private final Faults faults = new Faults();
  private final FaultyCatalog catalog = new FaultyCatalog(new MemoryCatalog(), faults);
  private final FaultyStore store =
      new FaultyStore(MemoryBlobStore.builder(StoreId.of("fast")).build(), faults);
  private final FaultyStore staging =
      new FaultyStore(MemoryBlobStore.builder(StoreId.of("staging")).build(), faults);
  private final ImageGovernance governance =
      ImageGovernance.builder()
          .catalog(catalog)
          .config(GovernanceConfig.builder().userStorageQuota("1MB").build())
          .clock(new TickingClock())
          .blobStore(store)
          .stagingStore(staging)
          .build();
  private final ImageId id =
      governance.images().create(PRODUCER,
          NewImage.builder().diskFormat("raw").containerFormat("bare").build()).id();

  private State state() {
    return State.of(catalog, id, governance, List.of(store, staging));
  }

  @Test
  void uploadWhoseWriteAndFirstRollbackFailIsQueuedAgainWithUsageAsBefore() {
    State before = state();
    // Blob call 1 removes a leftover, call 2 writes and fails; compare-and-set 1 is queued →
    // saving, 2 the compensation, answered stale until the kernel's loop gives up once.
    faults.arm(2, CatalogFault.STALE, 2);

    assertThatThrownBy(() -> governance.data().upload(
            PRODUCER, id, new ByteArrayInputStream(DATA), OptionalLong.of(DATA.length)))
        .isInstanceOfSatisfying(GovernanceException.class,
            e -> assertThat(e.code()).isEqualTo(StoreErrorCode.STORE_FAILED));
    faults.disarm();

    assertThat(catalog.find(id).orElseThrow().status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void uploadWhoseRollbackTheCatalogKeepsRefusingIsQueuedAgainByScrub() {
    failingWriteLeavesTheImageUntilScrubRestoresIt(ImageStatus.SAVING,
        () -> governance.data().upload(
            PRODUCER, id, new ByteArrayInputStream(DATA), OptionalLong.of(DATA.length)));
  }

  @Test
  void stagingWhoseRollbackTheCatalogKeepsRefusingIsQueuedAgainByScrub() {
    failingWriteLeavesTheImageUntilScrubRestoresIt(ImageStatus.UPLOADING,
        () -> governance.imports().stage(
            PRODUCER, id, new ByteArrayInputStream(DATA), OptionalLong.of(DATA.length)));
  }

  /**
   * The data write of {@code operation} fails and the catalog then refuses every commit: the
   * image stays {@code left} with the reservation released, and once the catalog works again a
   * scrub restores it, after which everything is as before and nothing is left to restore.
   */
  private void failingWriteLeavesTheImageUntilScrubRestoresIt(
      ImageStatus left, ThrowingCallable operation) {
    State before = state();
    // Blob call 1 removes a leftover, call 2 writes and fails.
    faults.failThenRefuseEveryCommit(2);

    assertThatThrownBy(operation).isInstanceOf(GovernanceException.class);
    assertThat(catalog.find(id).orElseThrow().status())
        .as("every compensating commit was refused")
        .isEqualTo(left);
    faults.disarm();

    ScrubReport report = governance.data().scrub(ADMIN);

    assertThat(report.restored()).containsExactly(id);
    assertThat(catalog.find(id).orElseThrow().status()).isEqualTo(ImageStatus.QUEUED);
    assertThat(state()).isEqualTo(before);
    assertThat(governance.data().scrub(ADMIN).restored()).as("nothing is left").isEmpty();
  }
}
