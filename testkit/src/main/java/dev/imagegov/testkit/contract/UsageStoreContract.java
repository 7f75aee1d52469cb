package dev.imagegov.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;
import dev.imagegov.spi.usage.UsageStore;
import dev.imagegov.spi.usage.UsageStore.Reservation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract of the usage port, {@link UsageStore}, as its Javadoc states it, for any
 * implementation. Extend this class in your store's tests and return a fresh, empty usage store
 * from {@link #newUsageStore()}:
 *
 * <pre>{@code
 * class MyUsageStoreContractTest extends UsageStoreContract {
 *   @Override
 *   protected UsageStore newUsageStore() {
 *     return new MyUsageStore(...);
 *   }
 * }
 * }</pre>
 *
 * <p>The tests are grouped by guarantee ({@link Reserve}: check-and-reserve against committed plus
 * reserved; {@link Settle}: reserved becomes committed in one step; {@link Release}; {@link
 * Record}: committed usage and its read; {@link Concurrency}), each named for the rule it checks;
 * every failure message starts with the guarantee that broke. No test depends on timing.
 */
@org.junit.jupiter.api.extension.ExtendWith(StoreFailures.class)
public abstract class UsageStoreContract {
  /** {@return a fresh, empty usage store; called once or more per test} */
  protected abstract UsageStore newUsageStore();

  /** {@return how many threads the concurrency tests use; at least 2} */
  protected int threads() {
    return 4;
  }

  static final ProjectId P0 = ProjectId.of("p0");
  static final ProjectId P1 = ProjectId.of("p1");
  static final StoreId S1 = StoreId.of("s1");
  static final StoreId S2 = StoreId.of("s2");

  static final String RESERVE = "Check-and-reserve";
  static final String SETTLE = "Settle";
  static final String RELEASE = "Release";
  static final String RECORD = "Record";
  static final String CONCURRENCY = "Concurrency";

  /** A committed change of {@code bytes} stored in {@code store} for {@code project}. */
  static UsageDelta stored(ProjectId project, StoreId store, long bytes) {
    return new UsageDelta(project, ImmutableMap.of(store, bytes), 0, 0, 0);
  }

  static UsageDelta images(ProjectId project, long images) {
    return new UsageDelta(project, ImmutableMap.of(), 0, images, 0);
  }

  static UsageDelta staged(ProjectId project, long bytes, long uploads) {
    return new UsageDelta(project, ImmutableMap.of(), bytes, 0, uploads);
  }

  /** Check-and-reserve. */
  @Nested
  @DisplayName("Reserve: grows only within the limit, against committed plus everything reserved")
  class Reserve {
    @Test
    void aReservationMayFillTheLimitExactly() {
      UsageStore usage = newUsageStore();
      usage.record(stored(P0, S1, 60));
      Reservation r = usage.open(P0);
      assertThat(r.tryGrow(UsageKind.STORED_BYTES, 40, 100))
          .as("%s: committed 60 + 40 is the limit 100: granted", RESERVE)
          .isTrue();
      assertThat(r.held(UsageKind.STORED_BYTES)).as("%s: held", RESERVE).isEqualTo(40);
      assertThat(usage.usage(P0, UsageKind.STORED_BYTES))
          .as("%s: usage is committed plus reserved", RESERVE)
          .isEqualTo(100);
    }

    @Test
    void aReservationBeyondTheLimitIsRefusedAndChangesNothing() {
      UsageStore usage = newUsageStore();
      usage.record(stored(P0, S1, 60));
      Reservation r = usage.open(P0);
      assertThat(r.tryGrow(UsageKind.STORED_BYTES, 41, 100))
          .as("%s: committed 60 + 41 is over the limit 100: refused", RESERVE)
          .isFalse();
      assertThat(r.held(UsageKind.STORED_BYTES))
          .as("%s: a refusal holds nothing", RESERVE)
          .isZero();
      assertThat(usage.snapshot(P0).reserved(UsageKind.STORED_BYTES))
          .as("%s: a refusal reserves nothing", RESERVE)
          .isZero();
    }

    @Test
    void reservationsOfEveryHolderCountAgainstTheLimit() {
      UsageStore usage = newUsageStore();
      Reservation first = usage.open(P0);
      Reservation second = usage.open(P0);
      assertThat(first.tryGrow(UsageKind.UPLOADS, 2, 3)).as("%s: 2 of 3", RESERVE).isTrue();
      assertThat(second.tryGrow(UsageKind.UPLOADS, 2, 3))
          .as("%s: another holder's 2 count: 2 + 2 is over 3", RESERVE)
          .isFalse();
      assertThat(second.tryGrow(UsageKind.UPLOADS, 1, 3)).as("%s: 2 + 1 fits", RESERVE).isTrue();
    }

    @Test
    void growingAgainCountsWhatTheReservationHoldsAlready() {
      UsageStore usage = newUsageStore();
      Reservation r = usage.open(P0);
      assertThat(r.tryGrow(UsageKind.STAGED_BYTES, 70, 100)).isTrue();
      assertThat(r.tryGrow(UsageKind.STAGED_BYTES, 31, 100))
          .as("%s: its own 70 count: 70 + 31 is over 100", RESERVE)
          .isFalse();
      assertThat(r.tryGrow(UsageKind.STAGED_BYTES, 30, 100)).as("%s: 70 + 30 fits", RESERVE)
          .isTrue();
      assertThat(r.held(UsageKind.STAGED_BYTES)).isEqualTo(100);
    }

    @Test
    void aNegativeLimitIsNoLimit() {
      UsageStore usage = newUsageStore();
      assertThat(usage.open(P0).tryGrow(UsageKind.STORED_BYTES, Long.MAX_VALUE / 4, -1))
          .as("%s: a negative limit is no limit", RESERVE)
          .isTrue();
    }

    @Test
    void aNegativeAmountIsRefused() {
      UsageStore usage = newUsageStore();
      Reservation r = usage.open(P0);
      assertThatThrownBy(() -> r.tryGrow(UsageKind.IMAGES, -1, 10))
          .as("%s: a negative amount is a programming error", RESERVE)
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(usage.snapshot(P0).reserved(UsageKind.IMAGES)).isZero();
    }

    @Test
    void kindsAndProjectsAreCountedApart() {
      UsageStore usage = newUsageStore();
      usage.record(images(P1, 5));
      Reservation p0 = usage.open(P0);
      assertThat(p0.tryGrow(UsageKind.IMAGES, 5, 5))
          .as("%s: another project's images do not count", RESERVE)
          .isTrue();
      assertThat(p0.tryGrow(UsageKind.UPLOADS, 5, 5))
          .as("%s: another kind does not count", RESERVE)
          .isTrue();
      assertThat(usage.usage(P1, UsageKind.IMAGES)).isEqualTo(5);
    }
  }

  /** Settle. */
  @Nested
  @DisplayName("Settle: a committed change converts what the reservation holds, in one step")
  class Settle {
    @Test
    void settlingConvertsHeldIntoCommittedInOneStep() {
      UsageStore usage = newUsageStore();
      Reservation r = usage.open(P0);
      r.tryGrow(UsageKind.STORED_BYTES, 100, 100);
      r.settle(stored(P0, S1, 60));
      UsageSnapshot s = usage.snapshot(P0);
      assertThat(s.committed(UsageKind.STORED_BYTES))
          .as("%s: the change is committed", SETTLE)
          .isEqualTo(60);
      assertThat(s.reserved(UsageKind.STORED_BYTES))
          .as("%s: as much is no longer reserved", SETTLE)
          .isEqualTo(40);
      assertThat(r.held(UsageKind.STORED_BYTES))
          .as("%s: nor held by the reservation", SETTLE)
          .isEqualTo(40);
      assertThat(s.usage(UsageKind.STORED_BYTES))
          .as("%s: usage did not move: the bytes are counted once", SETTLE)
          .isEqualTo(100);
    }

    @Test
    void aSettledReservationLeavesRoomForAnotherThatFits() {
      UsageStore usage = newUsageStore();
      Reservation upload = usage.open(P0);
      upload.tryGrow(UsageKind.STORED_BYTES, 60, 100);
      upload.settle(stored(P0, S1, 50));
      assertThat(usage.open(P0).tryGrow(UsageKind.STORED_BYTES, 40, 100))
          .as("%s: 50 committed + 10 still held + 40 fits the limit 100", SETTLE)
          .isTrue();
    }

    @Test
    void settlingMoreThanIsHeldCommitsTheRest() {
      UsageStore usage = newUsageStore();
      Reservation r = usage.open(P0);
      r.tryGrow(UsageKind.STORED_BYTES, 10, -1);
      r.settle(stored(P0, S1, 25));
      UsageSnapshot s = usage.snapshot(P0);
      assertThat(s.committed(UsageKind.STORED_BYTES)).as("%s: all 25 committed", SETTLE)
          .isEqualTo(25);
      assertThat(s.reserved(UsageKind.STORED_BYTES)).as("%s: the 10 held converted", SETTLE)
          .isZero();
      assertThat(r.held(UsageKind.STORED_BYTES)).isZero();
    }

    @Test
    void aDecreaseConvertsNothing() {
      UsageStore usage = newUsageStore();
      usage.record(staged(P0, 30, 1));
      Reservation r = usage.open(P0);
      r.tryGrow(UsageKind.STAGED_BYTES, 10, -1);
      r.settle(staged(P0, -30, -1));
      UsageSnapshot s = usage.snapshot(P0);
      assertThat(s.committed(UsageKind.STAGED_BYTES)).as("%s: the decrease is committed", SETTLE)
          .isZero();
      assertThat(s.committed(UsageKind.UPLOADS)).isZero();
      assertThat(s.reserved(UsageKind.STAGED_BYTES))
          .as("%s: what is held stays held", SETTLE)
          .isEqualTo(10);
    }

    @Test
    void settlingEveryKindConvertsEachApart() {
      UsageStore usage = newUsageStore();
      Reservation r = usage.open(P0);
      r.tryGrow(UsageKind.IMAGES, 1, 1);
      r.tryGrow(UsageKind.UPLOADS, 1, 1);
      r.settle(new UsageDelta(P0, ImmutableMap.of(S1, 5L), 0, 1, 0));
      UsageSnapshot s = usage.snapshot(P0);
      assertThat(s.usage(UsageKind.IMAGES)).as("%s: images counted once", SETTLE).isEqualTo(1);
      assertThat(s.reserved(UsageKind.IMAGES)).isZero();
      assertThat(s.reserved(UsageKind.UPLOADS))
          .as("%s: a kind the change leaves alone stays held", SETTLE)
          .isEqualTo(1);
    }

    @Test
    void aChangeOfAnotherProjectIsRefused() {
      UsageStore usage = newUsageStore();
      Reservation r = usage.open(P0);
      r.tryGrow(UsageKind.IMAGES, 1, -1);
      assertThatThrownBy(() -> r.settle(images(P1, 1)))
          .as("%s: a reservation settles its own project's change only", SETTLE)
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(usage.snapshot(P1).images()).isZero();
      assertThat(r.held(UsageKind.IMAGES)).isEqualTo(1);
    }
  }

  /** Release. */
  @Nested
  @DisplayName("Release: closing releases what is still held, once")
  class Release {
    @Test
    void closeReleasesEverythingHeld() {
      UsageStore usage = newUsageStore();
      Reservation r = usage.open(P0);
      r.tryGrow(UsageKind.STORED_BYTES, 10, -1);
      r.tryGrow(UsageKind.UPLOADS, 1, -1);
      r.close();
      assertThat(usage.snapshot(P0).reserved())
          .as("%s: nothing is reserved after close", RELEASE)
          .isEmpty();
      assertThat(usage.open(P0).tryGrow(UsageKind.UPLOADS, 1, 1))
          .as("%s: the released room is free", RELEASE)
          .isTrue();
    }

    @Test
    void closingTwiceReleasesNothingMore() {
      UsageStore usage = newUsageStore();
      Reservation other = usage.open(P0);
      other.tryGrow(UsageKind.STAGED_BYTES, 7, -1);
      Reservation r = usage.open(P0);
      r.tryGrow(UsageKind.STAGED_BYTES, 5, -1);
      r.close();
      r.close();
      assertThat(usage.snapshot(P0).reserved(UsageKind.STAGED_BYTES))
          .as("%s: a second close leaves the other holder's 7 reserved", RELEASE)
          .isEqualTo(7);
    }

    @Test
    void aClosedReservationCannotGrow() {
      UsageStore usage = newUsageStore();
      Reservation r = usage.open(P0);
      r.close();
      assertThatThrownBy(() -> r.tryGrow(UsageKind.IMAGES, 1, -1))
          .as("%s: a closed reservation holds nothing more", RELEASE)
          .isInstanceOf(IllegalStateException.class);
      assertThat(usage.snapshot(P0).reserved()).isEmpty();
    }

    @Test
    void settledAmountsAreNotReleasedAgain() {
      UsageStore usage = newUsageStore();
      Reservation other = usage.open(P0);
      other.tryGrow(UsageKind.STORED_BYTES, 3, -1);
      Reservation r = usage.open(P0);
      r.tryGrow(UsageKind.STORED_BYTES, 10, -1);
      r.settle(stored(P0, S1, 10));
      r.close();
      UsageSnapshot s = usage.snapshot(P0);
      assertThat(s.reserved(UsageKind.STORED_BYTES))
          .as("%s: the settled 10 are not released twice", RELEASE)
          .isEqualTo(3);
      assertThat(s.committed(UsageKind.STORED_BYTES)).isEqualTo(10);
    }
  }

  /** Record and read. */
  @Nested
  @DisplayName("Record: committed usage is the sum of what was recorded, per kind and store")
  class Record {
    @Test
    void aNewProjectUsesNothing() {
      UsageStore usage = newUsageStore();
      assertThat(usage.snapshot(P0))
          .as("%s: nothing recorded, nothing used", RECORD)
          .isEqualTo(UsageSnapshot.empty(P0));
    }

    @Test
    void recordAddsUpPerKindAndStore() {
      UsageStore usage = newUsageStore();
      usage.record(new UsageDelta(P0, ImmutableMap.of(S1, 10L, S2, 4L), 3, 2, 1));
      usage.record(stored(P0, S1, 5));
      UsageSnapshot s = usage.snapshot(P0);
      assertThat(s.storedByStore())
          .as("%s: stored bytes per store", RECORD)
          .isEqualTo(ImmutableMap.of(S1, 15L, S2, 4L));
      assertThat(s.storedBytes()).as("%s: in total", RECORD).isEqualTo(19);
      assertThat(s.stagedBytes()).as("%s: staged", RECORD).isEqualTo(3);
      assertThat(s.images()).as("%s: images", RECORD).isEqualTo(2);
      assertThat(s.uploads()).as("%s: uploads", RECORD).isEqualTo(1);
    }

    @Test
    void aStoreThatHoldsNothingMoreIsNotListed() {
      UsageStore usage = newUsageStore();
      usage.record(stored(P0, S1, 10));
      usage.record(stored(P0, S2, 4));
      usage.record(stored(P0, S1, -10));
      assertThat(usage.snapshot(P0).storedByStore())
          .as("%s: a store back to zero has no entry", RECORD)
          .isEqualTo(ImmutableMap.of(S2, 4L));
    }

    @Test
    void committedUsageCountsAgainstTheLimit() {
      UsageStore usage = newUsageStore();
      usage.record(images(P0, 3));
      assertThat(usage.open(P0).tryGrow(UsageKind.IMAGES, 1, 3))
          .as("%s: 3 committed images fill a limit of 3", RECORD)
          .isFalse();
    }

    @Test
    void projectsAreApart() {
      UsageStore usage = newUsageStore();
      usage.record(stored(P0, S1, 10));
      assertThat(usage.snapshot(P1)).as("%s: another project", RECORD)
          .isEqualTo(UsageSnapshot.empty(P1));
    }
  }

  /** Concurrent use. */
  @Nested
  @DisplayName("Concurrency: concurrent reservations never overshoot; figures stay exact")
  class Concurrency {
    private <T> List<T> runTogether(int n, java.util.function.IntFunction<T> task)
        throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<T>> futures = new ArrayList<>();
        for (int t = 0; t < n; t++) {
          int me = t;
          futures.add(pool.submit(() -> {
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
    void concurrentReservationsGrantExactlyTheLimit() throws Exception {
      UsageStore usage = newUsageStore();
      int limit = 250;
      List<Long> granted =
          runTogether(threads(), t -> {
            Reservation r = usage.open(P0);
            for (int k = 0; k < 200; k++) {
              r.tryGrow(UsageKind.STORED_BYTES, 1, limit);
            }
            return r.held(UsageKind.STORED_BYTES);
          });
      assertThat(granted.stream().mapToLong(Long::longValue).sum())
          .as("%s: %d threads asking 200 each against %d get exactly %d", CONCURRENCY,
              threads(), limit, limit)
          .isEqualTo(limit);
      assertThat(usage.usage(P0, UsageKind.STORED_BYTES)).isEqualTo(limit);
    }

    @Test
    void concurrentReserveSettleAndCloseLeaveExactFigures() throws Exception {
      UsageStore usage = newUsageStore();
      int perThread = 200;
      runTogether(threads(), t -> {
        for (int k = 0; k < perThread; k++) {
          try (Reservation r = usage.open(P0)) {
            r.tryGrow(UsageKind.STORED_BYTES, 3, -1);
            r.tryGrow(UsageKind.UPLOADS, 1, -1);
            r.settle(stored(P0, t % 2 == 0 ? S1 : S2, 2));
          }
        }
        return null;
      });
      UsageSnapshot s = usage.snapshot(P0);
      assertThat(s.storedBytes())
          .as("%s: every settled change is committed", CONCURRENCY)
          .isEqualTo(2L * perThread * threads());
      assertThat(s.reserved()).as("%s: every reservation is released", CONCURRENCY).isEmpty();
    }
  }
}
