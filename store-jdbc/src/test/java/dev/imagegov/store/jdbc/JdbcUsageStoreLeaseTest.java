package dev.imagegov.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageStore.Reservation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reservations carry a lease: two stores on one schema stand for two nodes, and a clock the test
 * moves stands for time passing, so nothing here waits for a lease to run out.
 */
class JdbcUsageStoreLeaseTest {
  private static final ProjectId P = ProjectId.of("p");
  private static final StoreId S = StoreId.of("s");
  private static final Duration LEASE = Duration.ofMinutes(5);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private JdbcStore nodeA;
  private JdbcStore nodeB;

  @BeforeEach
  void open() {
    JdbcStoreOptions options =
        TestDatabase.options("usage_lease").clock(clock).leaseDuration(LEASE).build();
    nodeA = JdbcStore.open(options);
    nodeB = JdbcStore.open(options);
    nodeA.usage().clear();
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
  }

  @Test
  void aReservationWhoseLeaseExpiredNoLongerCountsAgainstTheLimit() {
    Reservation dead = nodeA.usage().open(P);
    assertThat(dead.tryGrow(UsageKind.STORED_BYTES, 100, 100)).isTrue();
    Reservation other = nodeB.usage().open(P);
    assertThat(other.tryGrow(UsageKind.STORED_BYTES, 1, 100))
        .as("node A's live reservation fills the limit for node B too")
        .isFalse();

    clock.advance(LEASE.plusNanos(1));

    assertThat(nodeB.usage().snapshot(P).reserved(UsageKind.STORED_BYTES))
        .as("an expired reservation is not counted")
        .isZero();
    assertThat(other.tryGrow(UsageKind.STORED_BYTES, 100, 100))
        .as("the quota node A's silent reservation held is free again")
        .isTrue();
  }

  @Test
  void aLeaseExactlyAtItsEndHasExpired() {
    Reservation r = nodeA.usage().open(P);
    r.tryGrow(UsageKind.UPLOADS, 1, 1);
    clock.advance(LEASE);
    assertThat(nodeB.usage().open(P).tryGrow(UsageKind.UPLOADS, 1, 1))
        .as("a lease covers the time before its end, not the end itself")
        .isTrue();
  }

  @Test
  void everyCallRenewsTheLease() {
    Reservation r = nodeA.usage().open(P);
    r.tryGrow(UsageKind.STORED_BYTES, 10, -1);
    for (int k = 0; k < 3; k++) {
      clock.advance(LEASE.minusSeconds(1));
      assertThat(r.tryGrow(UsageKind.STORED_BYTES, 10, -1)).isTrue();
    }
    clock.advance(LEASE.minusSeconds(1));
    assertThat(nodeB.usage().snapshot(P).reserved(UsageKind.STORED_BYTES))
        .as("a reservation called within every lease stays held, all of it")
        .isEqualTo(40);
  }

  @Test
  void aLapsedReservationHoldsNothingWhenItsNodeComesBack() {
    Reservation slow = nodeA.usage().open(P);
    slow.tryGrow(UsageKind.STORED_BYTES, 60, 100);
    clock.advance(LEASE.plusSeconds(1));
    Reservation other = nodeB.usage().open(P);
    assertThat(other.tryGrow(UsageKind.STORED_BYTES, 80, 100)).isTrue();

    assertThat(slow.tryGrow(UsageKind.STORED_BYTES, 0, 100)).isTrue();
    assertThat(slow.held(UsageKind.STORED_BYTES))
        .as("the lapsed 60 are not brought back")
        .isZero();
    assertThat(slow.tryGrow(UsageKind.STORED_BYTES, 30, 100))
        .as("80 held by node B + 30 is over the limit")
        .isFalse();
    assertThat(nodeA.usage().snapshot(P).usage(UsageKind.STORED_BYTES)).isEqualTo(80);
  }

  @Test
  void settlingALapsedReservationCommitsTheWholeChangeAndConvertsNothing() {
    Reservation slow = nodeA.usage().open(P);
    slow.tryGrow(UsageKind.STORED_BYTES, 50, -1);
    Reservation other = nodeB.usage().open(P);
    other.tryGrow(UsageKind.STORED_BYTES, 7, -1);
    clock.advance(LEASE.plusSeconds(1));
    other.tryGrow(UsageKind.STORED_BYTES, 0, -1);

    slow.settle(new UsageDelta(P, ImmutableMap.of(S, 50L), 0, 0, 0));

    assertThat(nodeB.usage().snapshot(P).committed(UsageKind.STORED_BYTES))
        .as("the committed change is recorded whole")
        .isEqualTo(50);
    assertThat(nodeB.usage().snapshot(P).reserved(UsageKind.STORED_BYTES))
        .as("both leases lapsed: nothing is reserved, and the settle converted nothing")
        .isZero();
    assertThat(slow.held(UsageKind.STORED_BYTES)).isZero();
  }

  @Test
  void twoNodesTogetherNeverOvershootALimit() {
    Reservation a = nodeA.usage().open(P);
    Reservation b = nodeB.usage().open(P);
    long granted = 0;
    for (int k = 0; k < 30; k++) {
      granted += a.tryGrow(UsageKind.IMAGES, 1, 25) ? 1 : 0;
      granted += b.tryGrow(UsageKind.IMAGES, 1, 25) ? 1 : 0;
    }
    assertThat(granted).as("two nodes asking alternately get the limit, no more").isEqualTo(25);
    a.close();
    assertThat(nodeB.usage().usage(P, UsageKind.IMAGES))
        .as("closing on node A releases what it held for node B")
        .isEqualTo(b.held(UsageKind.IMAGES));
  }
}
