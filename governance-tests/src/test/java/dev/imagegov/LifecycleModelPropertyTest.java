package dev.imagegov;

import dev.imagegov.store.memory.MemoryBlobStore;
import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.model.LifecycleModelCheck;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle agrees with the testkit's reference model (families, deprecation states,
 * exclusion, {@code latest} by family and by id) on sequences from fixed seeds.
 */
class LifecycleModelPropertyTest {
  private static ImageGovernance governance() {
    return ImageGovernance.builder()
        .catalog(new MemoryCatalog())
        .blobStore(MemoryBlobStore.create("fast"))
        .clock(new TickingClock())
        .build();
  }

  @Test
  void theLifecycleAgreesWithTheReferenceModel() {
    LifecycleModelCheck.against(LifecycleModelPropertyTest::governance).withExamples(300).run();
  }

  @Test
  void theLifecycleAgreesWithTheReferenceModelOnAnotherSeed() {
    LifecycleModelCheck.against(LifecycleModelPropertyTest::governance).withSeed(20261207L)
        .withExamples(40).run();
  }
}
