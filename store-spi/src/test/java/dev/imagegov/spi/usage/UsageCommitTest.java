package dev.imagegov.spi.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The usage of an image change as one value, applied outside a transaction (the port's default). */
class UsageCommitTest {
  private static final ProjectId A = ProjectId.of("a");
  private static final ProjectId B = ProjectId.of("b");
  private static final StoreId S = StoreId.of("s");

  private static UsageDelta stored(ProjectId p, long bytes) {
    return new UsageDelta(p, ImmutableMap.of(S, bytes), 0, 0, 0);
  }

  @Test
  void theReservationsProjectIsSettledAndAnotherProjectIsRecorded() {
    MemoryUsageStore usage = new MemoryUsageStore();
    UsageStore.Reservation r = usage.open(A);
    assertThat(r.tryGrow(UsageKind.STORED_BYTES, 10, 10)).isTrue();

    UsageCommit.settled(r, List.of(stored(B, -4), stored(A, 10))).applyTo(usage);

    assertThat(r.held(UsageKind.STORED_BYTES)).as("A's change converted what was held").isZero();
    assertThat(usage.snapshot(A).committed(UsageKind.STORED_BYTES)).isEqualTo(10);
    assertThat(usage.snapshot(A).reserved(UsageKind.STORED_BYTES))
        .as("never counted committed and reserved at once")
        .isZero();
    assertThat(usage.snapshot(B).committed(UsageKind.STORED_BYTES))
        .as("B's change, which no reservation covers, is recorded as is")
        .isEqualTo(-4);
  }

  @Test
  void aRecordedCommitSettlesNothing() {
    MemoryUsageStore usage = new MemoryUsageStore();
    UsageStore.Reservation r = usage.open(A);
    assertThat(r.tryGrow(UsageKind.STORED_BYTES, 10, -1)).isTrue();

    UsageCommit.recorded(List.of(stored(A, 10))).applyTo(usage);

    assertThat(r.held(UsageKind.STORED_BYTES)).isEqualTo(10);
    assertThat(usage.snapshot(A).usage(UsageKind.STORED_BYTES)).isEqualTo(20);
  }

  @Test
  void changesAreOrderedByProjectSoThatTransactionsLockRowsInOneOrder() {
    UsageCommit commit = UsageCommit.recorded(List.of(stored(B, 1), stored(A, 1)));
    assertThat(commit.changes()).extracting(UsageDelta::project).containsExactly(A, B);
    assertThat(UsageCommit.recorded(List.of()).isEmpty()).isTrue();
  }
}
