package dev.imagegov.testkit.contract;

import dev.imagegov.model.ProjectId;
import dev.imagegov.spi.usage.MemoryUsageStore;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;
import dev.imagegov.spi.usage.UsageStore;
import java.util.List;

/**
 * Deliberately faulty usage stores, each the {@link MemoryUsageStore} with one seeded defect, and
 * one contract suite per defect. {@link UsageStoreContractCatchesSeededDefectsTest} proves the
 * suite fails on every one. The suites are nested classes of a class not named like a test, so
 * surefire never runs them on their own.
 */
final class FaultyUsageStores {
  private FaultyUsageStores() {}

  /** A seeded defect: what is wrong, the contract group that must catch it, and its suite. */
  record Defect(String description, String group, Class<? extends UsageStoreContract> suite) {
    @Override
    public String toString() {
      return description;
    }
  }

  static final List<Defect> ALL =
      List.of(
          new Defect(
              "the limit check ignores other holders' reservations",
              "Reserve",
              IgnoresOtherReservations.class),
          new Defect("a reservation may not fill the limit exactly", "Reserve", LimitExclusive.class),
          new Defect(
              "settle records the change but keeps holding what it covered (a double count)",
              "Settle",
              SettleKeepsHeld.class),
          new Defect("closing twice releases twice", "Release", CloseTwiceReleasesTwice.class),
          new Defect("a closed reservation still grows", "Release", ClosedStillGrows.class),
          new Defect(
              "a store back to zero stays listed", "Record", ZeroStoresListed.class));

  /** A decorator of a {@link MemoryUsageStore} whose reservations a defect can change. */
  abstract static class Decorated implements UsageStore {
    final MemoryUsageStore delegate = new MemoryUsageStore();

    @Override
    public Reservation open(ProjectId project) {
      return wrap(delegate.open(project));
    }

    Reservation wrap(Reservation r) {
      return r;
    }

    @Override
    public void record(UsageDelta delta) {
      delegate.record(delta);
    }

    @Override
    public UsageSnapshot snapshot(ProjectId project) {
      return delegate.snapshot(project);
    }
  }

  /** A reservation that forwards every call. */
  static class Forwarding implements UsageStore.Reservation {
    final UsageStore.Reservation r;

    Forwarding(UsageStore.Reservation r) {
      this.r = r;
    }

    @Override
    public ProjectId project() {
      return r.project();
    }

    @Override
    public boolean tryGrow(UsageKind kind, long amount, long limit) {
      return r.tryGrow(kind, amount, limit);
    }

    @Override
    public long held(UsageKind kind) {
      return r.held(kind);
    }

    @Override
    public void settle(UsageDelta committed) {
      r.settle(committed);
    }

    @Override
    public void close() {
      r.close();
    }
  }

  /** Checks committed plus only its own holding against the limit. */
  static final class IgnoresOtherReservations extends UsageStoreContract {
    @Override
    protected UsageStore newUsageStore() {
      return new Decorated() {
        @Override
        Reservation wrap(Reservation r) {
          return new Forwarding(r) {
            @Override
            public boolean tryGrow(UsageKind kind, long amount, long limit) {
              long committed = delegate.snapshot(r.project()).committed(kind);
              if (limit >= 0 && committed + r.held(kind) + amount > limit) {
                return false;
              }
              return r.tryGrow(kind, amount, -1);
            }
          };
        }
      };
    }
  }

  /** Refuses a growth that would reach the limit exactly. */
  static final class LimitExclusive extends UsageStoreContract {
    @Override
    protected UsageStore newUsageStore() {
      return new Decorated() {
        @Override
        Reservation wrap(Reservation r) {
          return new Forwarding(r) {
            @Override
            public boolean tryGrow(UsageKind kind, long amount, long limit) {
              return r.tryGrow(kind, amount, limit < 0 ? limit : limit - 1);
            }
          };
        }
      };
    }
  }

  /** Settle only records: what the reservation held stays reserved until close. */
  static final class SettleKeepsHeld extends UsageStoreContract {
    @Override
    protected UsageStore newUsageStore() {
      return new Decorated() {
        @Override
        Reservation wrap(Reservation r) {
          return new Forwarding(r) {
            @Override
            public void settle(UsageDelta committed) {
              if (!committed.project().equals(r.project())) {
                throw new IllegalArgumentException("another project");
              }
              delegate.record(committed);
            }
          };
        }
      };
    }
  }

  /** A second close releases the amounts again (from other holders). */
  static final class CloseTwiceReleasesTwice extends UsageStoreContract {
    @Override
    protected UsageStore newUsageStore() {
      return new Decorated() {
        @Override
        Reservation wrap(Reservation r) {
          return new Forwarding(r) {
            private final java.util.Map<UsageKind, Long> last =
                new java.util.EnumMap<>(UsageKind.class);
            private boolean closed;

            @Override
            public void close() {
              if (closed) {
                last.forEach((k, n) -> released.merge(r.project().value() + k, n, Long::sum));
                return;
              }
              for (UsageKind k : UsageKind.values()) {
                last.put(k, r.held(k));
              }
              closed = true;
              r.close();
            }
          };
        }

        final java.util.Map<String, Long> released = new java.util.HashMap<>();

        @Override
        public UsageSnapshot snapshot(ProjectId project) {
          UsageSnapshot s = delegate.snapshot(project);
          java.util.Map<UsageKind, Long> reserved = new java.util.EnumMap<>(UsageKind.class);
          for (UsageKind k : UsageKind.values()) {
            long n = s.reserved(k) - released.getOrDefault(project.value() + k, 0L);
            if (n != 0) {
              reserved.put(k, n);
            }
          }
          return new UsageSnapshot(
              project, s.storedByStore(), s.stagedBytes(), s.images(), s.uploads(),
              com.google.common.collect.ImmutableMap.copyOf(reserved));
        }
      };
    }
  }

  /** Growing after close is accepted (and never released). */
  static final class ClosedStillGrows extends UsageStoreContract {
    @Override
    protected UsageStore newUsageStore() {
      return new Decorated() {
        @Override
        Reservation wrap(Reservation r) {
          return new Forwarding(r) {
            private boolean closed;

            @Override
            public boolean tryGrow(UsageKind kind, long amount, long limit) {
              if (closed) {
                return delegate.open(r.project()).tryGrow(kind, amount, limit);
              }
              return r.tryGrow(kind, amount, limit);
            }

            @Override
            public void close() {
              closed = true;
              r.close();
            }
          };
        }
      };
    }
  }

  /** A store whose stored bytes went back to zero keeps a zero entry. */
  static final class ZeroStoresListed extends UsageStoreContract {
    @Override
    protected UsageStore newUsageStore() {
      return new Decorated() {
        final java.util.Set<String> seen = new java.util.HashSet<>();

        @Override
        public void record(UsageDelta delta) {
          delta.storedByStore().keySet().forEach(s -> seen.add(delta.project().value() + "/" + s));
          super.record(delta);
        }

        @Override
        public UsageSnapshot snapshot(ProjectId project) {
          UsageSnapshot s = delegate.snapshot(project);
          java.util.Map<dev.imagegov.model.StoreId, Long> stored =
              new java.util.TreeMap<>(s.storedByStore());
          for (String key : seen) {
            if (key.startsWith(project.value() + "/")) {
              stored.putIfAbsent(
                  dev.imagegov.model.StoreId.of(key.substring(project.value().length() + 1)), 0L);
            }
          }
          return new UsageSnapshot(
              project, com.google.common.collect.ImmutableMap.copyOf(stored), s.stagedBytes(),
              s.images(), s.uploads(), s.reserved());
        }
      };
    }
  }
}
