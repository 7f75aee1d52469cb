package dev.imagegov;

import dev.imagegov.store.memory.MemoryCatalog;
import dev.imagegov.testkit.model.GovernanceModelCheck;
import org.junit.jupiter.api.Test;

/**
 * Stateful property: random sequences of create, visibility change, member add, status change,
 * member removal and delete by random callers agree with the testkit's reference model after every
 * step (answers, gets and lists), on the memory catalog.
 */
class GovernanceModelPropertyTest {
  @Test
  void governanceAgreesWithTheReferenceModelAfterEveryStep() {
    GovernanceModelCheck.against(
            () ->
                ImageGovernance.builder()
                    .catalog(new MemoryCatalog())
                    .clock(new TickingClock())
                    .build())
        .run();
  }

  @Test
  void memberQuotaIsEnforcedAsTheReferenceModelSays() {
    GovernanceModelCheck.against(
            () ->
                ImageGovernance.builder()
                    .catalog(new MemoryCatalog())
                    .config(GovernanceConfig.builder().imageMemberQuota(2).build())
                    .clock(new TickingClock())
                    .build())
        .withExamples(60)
        .run();
  }
}
