package dev.imagegov.spi.usage;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link UsageStore} in this JVM's memory: every guarantee of the port, with one lock per
 * project and none global. It serves one application node; several nodes sharing one catalog need
 * a shared implementation (see {@link UsageStore}). Being in memory, it starts empty: whoever
 * builds it over an existing catalog records that catalog's images first (core's builder does so
 * for the default one).
 *
 * <p>It lives in the SPI module, beside the port, so that core can default to it without
 * depending on a store module, and so that every store (and every test) can use the same one.
 */
public final class MemoryUsageStore implements UsageStore {
  private final ConcurrentHashMap<ProjectId, Account> accounts = new ConcurrentHashMap<>();

  /** An empty usage store. */
  public MemoryUsageStore() {}

  private Account account(ProjectId project) {
    return accounts.computeIfAbsent(Objects.requireNonNull(project, "project"), p -> new Account());
  }

  @Override
  public Reservation open(ProjectId project) {
    return new Held(project, account(project));
  }

  @Override
  public void record(UsageDelta delta) {
    Account a = account(delta.project());
    synchronized (a) {
      a.add(delta);
    }
  }

  @Override
  public UsageSnapshot snapshot(ProjectId project) {
    Account a = account(project);
    synchronized (a) {
      return new UsageSnapshot(
          project,
          ImmutableMap.copyOf(a.stored),
          a.staged,
          a.images,
          a.uploads,
          ImmutableMap.copyOf(a.reserved));
    }
  }

  /** One project's figures; guarded by its own monitor. */
  private static final class Account {
    final Map<StoreId, Long> stored = new TreeMap<>();
    long staged;
    long images;
    long uploads;
    final Map<UsageKind, Long> reserved = new EnumMap<>(UsageKind.class);

    void add(UsageDelta d) {
      d.storedByStore().forEach((s, n) -> stored.merge(s, n, Long::sum));
      stored.values().removeIf(n -> n == 0);
      staged += d.stagedBytes();
      images += d.images();
      uploads += d.uploads();
    }

    long committed(UsageKind kind) {
      switch (kind) {
        case STORED_BYTES:
          return stored.values().stream().mapToLong(Long::longValue).sum();
        case STAGED_BYTES:
          return staged;
        case IMAGES:
          return images;
        default:
          return uploads;
      }
    }

    void unreserve(UsageKind kind, long n) {
      long left = reserved.getOrDefault(kind, 0L) - n;
      if (left == 0) {
        reserved.remove(kind);
      } else {
        reserved.put(kind, left);
      }
    }
  }

  private static final class Held implements Reservation {
    private final ProjectId project;
    private final Account account;
    private final Map<UsageKind, Long> held = new EnumMap<>(UsageKind.class);
    private boolean closed;

    Held(ProjectId project, Account account) {
      this.project = project;
      this.account = account;
    }

    @Override
    public ProjectId project() {
      return project;
    }

    @Override
    public boolean tryGrow(UsageKind kind, long amount, long limit) {
      Objects.requireNonNull(kind, "kind");
      if (amount < 0) {
        throw new IllegalArgumentException("amount must not be negative: " + amount);
      }
      checkOpen();
      synchronized (account) {
        long reserved = account.reserved.getOrDefault(kind, 0L);
        if (limit >= 0 && amount > limit - (account.committed(kind) + reserved)) {
          return false;
        }
        if (amount > 0) {
          account.reserved.put(kind, reserved + amount);
        }
      }
      if (amount > 0) {
        held.merge(kind, amount, Long::sum);
      }
      return true;
    }

    @Override
    public long held(UsageKind kind) {
      return held.getOrDefault(kind, 0L);
    }

    @Override
    public void settle(UsageDelta committed) {
      committed.requireProject(project);
      checkOpen();
      synchronized (account) {
        account.add(committed);
        for (UsageKind kind : UsageKind.values()) {
          long converted = committed.converts(kind, held(kind));
          if (converted > 0) {
            account.unreserve(kind, converted);
            held.merge(kind, -converted, Long::sum);
          }
        }
      }
      held.values().removeIf(n -> n == 0);
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      synchronized (account) {
        held.forEach(account::unreserve);
      }
      held.clear();
    }

    private void checkOpen() {
      if (closed) {
        throw new IllegalStateException("the reservation of " + project + " is closed");
      }
    }
  }
}
