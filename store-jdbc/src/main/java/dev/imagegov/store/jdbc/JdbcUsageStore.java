package dev.imagegov.store.jdbc;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogRefusals;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.spi.usage.UsageCommit;
import dev.imagegov.spi.usage.UsageDelta;
import dev.imagegov.spi.usage.UsageKind;
import dev.imagegov.spi.usage.UsageSnapshot;
import dev.imagegov.spi.usage.UsageStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The {@link UsageStore} port on PostgreSQL: every node on the same database and schema holds
 * one set of quotas, as the port's Javadoc describes for a shared database.
 *
 * <ul>
 *   <li>Committed usage is a row per project ({@code usage_account}: staged bytes, images,
 *       uploads) and a row per project and store ({@code usage_stored}).
 *   <li>{@link Reservation#tryGrow} is one transaction that locks the project's account row
 *       ({@code SELECT ... FOR UPDATE}), adds its committed usage to what every unexpired
 *       reservation of the project holds, and raises this reservation's row only if the limit
 *       allows: concurrent reservations of any nodes never together overshoot a limit.
 *   <li>{@link Reservation#settle} is one transaction, under the same lock, that adds the change
 *       to the committed rows and lowers the reservation's rows by what it converts.
 *   <li>Each reservation row carries a lease ({@code expires_at}), renewed by every call on the
 *       reservation; rows whose lease expired count for nothing (and are removed by the next
 *       call on the project). A reservation that outlived its lease holds nothing: its next call
 *       starts from zero, so a node that was presumed dead cannot bring back amounts others may
 *       have been granted meanwhile. Leases are dated by {@link JdbcStoreOptions#clock()}.
 *   <li>The combined calls ({@link #compareAndSet(Catalog, long, Image, UsageCommit)}, {@link
 *       #insert(Catalog, Image, UsageCommit)}, {@link #delete(Catalog, ImageId, long, ImageStatus,
 *       Instant, UsageCommit)}) on the {@link JdbcCatalog} of the same {@link JdbcStore} change
 *       the image and the usage in one transaction: a node that dies cannot leave one without the
 *       other.
 * </ul>
 */
public final class JdbcUsageStore implements UsageStore {
  private final Database db;
  private final String account;
  private final String stored;
  private final String reservations;
  private final Clock clock;
  private final long leaseNanos;

  JdbcUsageStore(Database db, ImageRows rows, Clock clock, Duration lease) {
    this.db = db;
    this.account = rows.table("usage_account");
    this.stored = rows.table("usage_stored");
    this.reservations = rows.table("usage_reservation");
    this.clock = clock;
    this.leaseNanos = lease.toNanos();
  }

  private long now() {
    return Instants.toNanos(clock.instant());
  }

  @Override
  public Reservation open(ProjectId project) {
    return new Leased(Objects.requireNonNull(project, "project"));
  }

  @Override
  public void record(UsageDelta delta) {
    Objects.requireNonNull(delta, "delta");
    if (delta.isZero()) {
      return;
    }
    db.write("record the usage of " + delta.project(), c -> {
      add(c, delta);
      return null;
    });
  }

  /** Adds {@code delta} to the committed rows, locking the project's account row first. */
  private void add(Connection c, UsageDelta d) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + account
        + " AS a (project, staged_bytes, images, uploads) VALUES (?, ?, ?, ?)"
        + " ON CONFLICT (project) DO UPDATE SET staged_bytes = a.staged_bytes + excluded.staged_bytes,"
        + " images = a.images + excluded.images, uploads = a.uploads + excluded.uploads")) {
      s.setString(1, d.project().value());
      s.setLong(2, d.stagedBytes());
      s.setLong(3, d.images());
      s.setLong(4, d.uploads());
      s.executeUpdate();
    }
    if (d.storedByStore().isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + stored
        + " AS u (project, store, bytes) VALUES (?, ?, ?)"
        + " ON CONFLICT (project, store) DO UPDATE SET bytes = u.bytes + excluded.bytes")) {
      for (Map.Entry<StoreId, Long> e : d.storedByStore().entrySet()) {
        s.setString(1, d.project().value());
        s.setString(2, e.getKey().value());
        s.setLong(3, e.getValue());
        s.addBatch();
      }
      s.executeBatch();
    }
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM " + stored + " WHERE project = ? AND bytes = 0")) {
      s.setString(1, d.project().value());
      s.executeUpdate();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a {@link JdbcCatalog} of the same {@link JdbcStore}, the conditional update of the image
   * and the usage rows change in one transaction (a commit that changes no usage is the
   * catalog's one-statement update alone); with any other catalog (or a reservation of
   * another usage store), the two steps of the default.
   */
  @Override
  public CompareAndSetResult compareAndSet(
      Catalog catalog, long expectedVersion, Image replacement, UsageCommit usage) {
    Optional<JdbcCatalog> own = sameTransaction(catalog, usage);
    if (own.isEmpty()) {
      return UsageStore.super.compareAndSet(catalog, expectedVersion, replacement, usage);
    }
    if (usage.settling().isEmpty() && usage.changes().stream().allMatch(UsageDelta::isZero)) {
      // No usage changes (a patch, a member change): the catalog's one-statement update.
      return own.get().compareAndSet(expectedVersion, replacement);
    }
    JdbcCatalog.checkReplacement(replacement);
    long now = now();
    return together("compare-and-set " + replacement.id(), usage, now, c -> {
      CompareAndSetResult r = own.get().compareAndSet(c, expectedVersion, replacement);
      return new Outcome<>(r, r instanceof CompareAndSetResult.Stored);
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a {@link JdbcCatalog} of the same {@link JdbcStore}: one transaction.
   */
  @Override
  public Image insert(Catalog catalog, Image image, UsageCommit usage) {
    Optional<JdbcCatalog> own = sameTransaction(catalog, usage);
    if (own.isEmpty()) {
      return UsageStore.super.insert(catalog, image, usage);
    }
    Image stored = JdbcCatalog.toInsert(image);
    long now = now();
    boolean inserted = together("insert " + image.id(), usage, now, c -> {
      boolean done = own.get().insert(c, stored);
      return new Outcome<>(done, done);
    });
    if (!inserted) {
      throw CatalogRefusals.duplicateId(image.id());
    }
    return stored;
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a {@link JdbcCatalog} of the same {@link JdbcStore}: one transaction.
   */
  @Override
  public Tombstone delete(Catalog catalog, ImageId id, long expectedVersion,
      ImageStatus finalStatus, Instant at, UsageCommit usage) {
    Optional<JdbcCatalog> own = sameTransaction(catalog, usage);
    if (own.isEmpty()) {
      return UsageStore.super.delete(catalog, id, expectedVersion, finalStatus, at, usage);
    }
    JdbcCatalog.checkDeletion(id, finalStatus, at);
    long now = now();
    return JdbcCatalog.tombstoneOrThrow(together("delete " + id, usage, now, c -> {
      Object outcome = own.get().delete(c, id, expectedVersion, finalStatus, at);
      return new Outcome<>(outcome, outcome instanceof Tombstone);
    }));
  }

  /**
   * {@inheritDoc}
   *
   * <p>On a {@link JdbcCatalog} of the same {@link JdbcStore}: one transaction.
   */
  @Override
  public Image undelete(Catalog catalog, ImageId id, Instant at, UsageCommit usage) {
    Optional<JdbcCatalog> own = sameTransaction(catalog, usage);
    if (own.isEmpty()) {
      return UsageStore.super.undelete(catalog, id, at, usage);
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    long now = now();
    return together("restore " + id, usage, now,
        c -> new Outcome<>(own.get().undelete(c, id, at), true));
  }

  /**
   * The catalog, if it runs its transactions on this store's database and the commit's
   * reservation (if any) is one of this store's: then the image change and the usage can commit
   * as one.
   */
  private Optional<JdbcCatalog> sameTransaction(Catalog catalog, UsageCommit usage) {
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(usage, "usage");
    if (!(catalog instanceof JdbcCatalog) || !((JdbcCatalog) catalog).runsOn(db)) {
      return Optional.empty();
    }
    boolean ownReservation = usage.settling()
        .map(r -> r instanceof Leased && ((Leased) r).store() == this)
        .orElse(true);
    return ownReservation ? Optional.of((JdbcCatalog) catalog) : Optional.empty();
  }

  /** What a catalog write did in the shared transaction, and whether it changed the catalog. */
  private record Outcome<T>(T result, boolean changed) {}

  /**
   * Runs a catalog write and, if it changed the catalog, {@code usage} in one transaction; the
   * reservation that settles learns what it converted only once the transaction committed.
   */
  private <T> T together(String what, UsageCommit usage, long now,
      Database.Work<Outcome<T>> write) {
    Leased settling = (Leased) usage.settling().orElse(null);
    Map<UsageKind, Long> converted = new EnumMap<>(UsageKind.class);
    Outcome<T> outcome = db.write(what, c -> {
      converted.clear();
      Outcome<T> o = write.run(c);
      if (o.changed()) {
        for (UsageDelta d : usage.changes()) {
          if (usage.settles(d)) {
            settling.checkOpen();
            converted.putAll(settling.settleIn(c, d, now));
          } else if (!d.isZero()) {
            add(c, d);
          }
        }
      }
      return o;
    });
    if (outcome.changed() && settling != null && usage.changes().stream().anyMatch(usage::settles)) {
      settling.settled(converted, now);
    }
    return outcome.result();
  }

  @Override
  public UsageSnapshot snapshot(ProjectId project) {
    Objects.requireNonNull(project, "project");
    long now = now();
    return db.read("read the usage of " + project, c -> {
      long staged = 0;
      long images = 0;
      long uploads = 0;
      try (PreparedStatement s = c.prepareStatement(
          "SELECT staged_bytes, images, uploads FROM " + account + " WHERE project = ?")) {
        s.setString(1, project.value());
        try (ResultSet r = s.executeQuery()) {
          if (r.next()) {
            staged = r.getLong(1);
            images = r.getLong(2);
            uploads = r.getLong(3);
          }
        }
      }
      Map<StoreId, Long> byStore = new TreeMap<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT store, bytes FROM " + stored + " WHERE project = ? AND bytes <> 0")) {
        s.setString(1, project.value());
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            byStore.put(StoreId.of(r.getString(1)), r.getLong(2));
          }
        }
      }
      Map<UsageKind, Long> reserved = new EnumMap<>(UsageKind.class);
      try (PreparedStatement s = c.prepareStatement("SELECT kind, sum(amount) FROM "
          + reservations + " WHERE project = ? AND expires_at > ? GROUP BY kind")) {
        s.setString(1, project.value());
        s.setLong(2, now);
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            long amount = r.getLong(2);
            if (amount != 0) {
              reserved.put(UsageKind.valueOf(r.getString(1)), amount);
            }
          }
        }
      }
      return new UsageSnapshot(project, ImmutableMap.copyOf(byStore), staged, images, uploads,
          ImmutableMap.copyOf(reserved));
    });
  }

  /** One reservation: its rows, and what it holds (as this node knows it). */
  private final class Leased implements Reservation {
    private final ProjectId project;
    private final UUID id = UUID.randomUUID();
    private final Map<UsageKind, Long> held = new EnumMap<>(UsageKind.class);
    /** When the lease of the rows expires, in nanoseconds; meaningful while anything is held. */
    private long expiresAt;
    private boolean closed;

    Leased(ProjectId project) {
      this.project = project;
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
      long now = now();
      boolean granted = db.write("reserve " + kind + " for " + project, c -> {
        lock(c, now);
        forgetIfLapsed(now);
        if (limit >= 0) {
          long used = committed(c, kind) + reserved(c, kind, now);
          if (amount > limit - used) {
            return false;
          }
        }
        if (amount > 0) {
          try (PreparedStatement s = c.prepareStatement("INSERT INTO " + reservations
              + " AS r (reservation, kind, project, amount, expires_at) VALUES (?, ?, ?, ?, ?)"
              + " ON CONFLICT (reservation, kind) DO UPDATE SET amount = r.amount + excluded.amount")) {
            s.setObject(1, id);
            s.setString(2, kind.name());
            s.setString(3, project.value());
            s.setLong(4, amount);
            s.setLong(5, now + leaseNanos);
            s.executeUpdate();
          }
        }
        renew(c, now);
        return true;
      });
      if (granted && amount > 0) {
        held.merge(kind, amount, Long::sum);
      }
      if (!held.isEmpty()) {
        expiresAt = now + leaseNanos;
      }
      return granted;
    }

    @Override
    public long held(UsageKind kind) {
      return held.getOrDefault(kind, 0L);
    }

    @Override
    public void settle(UsageDelta committed) {
      Objects.requireNonNull(committed, "committed");
      committed.requireProject(project);
      checkOpen();
      long now = now();
      Map<UsageKind, Long> converted =
          db.write("settle the usage of " + project, c -> settleIn(c, committed, now));
      settled(converted, now);
    }

    /** The usage store this reservation belongs to. */
    JdbcUsageStore store() {
      return JdbcUsageStore.this;
    }

    /**
     * The rows of {@link #settle} in {@code c}'s transaction: adds {@code committed} and lowers
     * this reservation's rows by what it converts, which it answers; {@link #settled} must follow
     * once the transaction committed.
     */
    Map<UsageKind, Long> settleIn(Connection c, UsageDelta committed, long now)
        throws SQLException {
      Map<UsageKind, Long> converted = new EnumMap<>(UsageKind.class);
      add(c, committed);
      dropExpired(c, now);
      forgetIfLapsed(now);
      for (UsageKind kind : UsageKind.values()) {
        long n = committed.converts(kind, held(kind));
        if (n > 0) {
          converted.put(kind, n);
          try (PreparedStatement s = c.prepareStatement("UPDATE " + reservations
              + " SET amount = amount - ? WHERE reservation = ? AND kind = ?")) {
            s.setLong(1, n);
            s.setObject(2, id);
            s.setString(3, kind.name());
            s.executeUpdate();
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM " + reservations + " WHERE reservation = ? AND amount = 0")) {
        s.setObject(1, id);
        s.executeUpdate();
      }
      renew(c, now);
      return converted;
    }

    /** What this reservation holds once a settling transaction that converted {@code converted} committed. */
    void settled(Map<UsageKind, Long> converted, long now) {
      converted.forEach((kind, n) -> held.merge(kind, -n, Long::sum));
      held.values().removeIf(n -> n == 0);
      expiresAt = now + leaseNanos;
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (held.isEmpty()) {
        return;
      }
      held.clear();
      db.write("release a reservation of " + project, c -> {
        try (PreparedStatement s =
            c.prepareStatement("DELETE FROM " + reservations + " WHERE reservation = ?")) {
          s.setObject(1, id);
          s.executeUpdate();
        }
        return null;
      });
    }

    /**
     * Locks the project's account row (creating it), the lock every change of the project's
     * usage takes first, and drops the project's expired reservation rows.
     */
    private void lock(Connection c, long now) throws SQLException {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + account
          + " (project) VALUES (?) ON CONFLICT (project) DO NOTHING")) {
        s.setString(1, project.value());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "SELECT 1 FROM " + account + " WHERE project = ? FOR UPDATE")) {
        s.setString(1, project.value());
        s.executeQuery().close();
      }
      dropExpired(c, now);
    }

    /** Drops the project's reservation rows whose lease expired (this one's too, if it did). */
    private void dropExpired(Connection c, long now) throws SQLException {
      try (PreparedStatement s = c.prepareStatement(
          "DELETE FROM " + reservations + " WHERE project = ? AND expires_at <= ?")) {
        s.setString(1, project.value());
        s.setLong(2, now);
        s.executeUpdate();
      }
    }

    /** A lease that expired took everything held with it. */
    private void forgetIfLapsed(long now) {
      if (!held.isEmpty() && expiresAt <= now) {
        held.clear();
      }
    }

    private long committed(Connection c, UsageKind kind) throws SQLException {
      String sql = kind == UsageKind.STORED_BYTES
          ? "SELECT coalesce(sum(bytes), 0) FROM " + stored + " WHERE project = ?"
          : "SELECT " + column(kind) + " FROM " + account + " WHERE project = ?";
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, project.value());
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? r.getLong(1) : 0;
        }
      }
    }

    private long reserved(Connection c, UsageKind kind, long now) throws SQLException {
      try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(amount), 0) FROM "
          + reservations + " WHERE project = ? AND kind = ? AND expires_at > ?")) {
        s.setString(1, project.value());
        s.setString(2, kind.name());
        s.setLong(3, now);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          return r.getLong(1);
        }
      }
    }

    private void renew(Connection c, long now) throws SQLException {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE " + reservations + " SET expires_at = ? WHERE reservation = ?")) {
        s.setLong(1, now + leaseNanos);
        s.setObject(2, id);
        s.executeUpdate();
      }
    }

    void checkOpen() {
      if (closed) {
        throw new IllegalStateException("the reservation of " + project + " is closed");
      }
    }
  }

  /** Removes all usage and every reservation: for tests that need an empty usage store. */
  void clear() {
    db.write("clear the usage", c -> {
      for (String table : new String[] {account, stored, reservations}) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + table)) {
          s.executeUpdate();
        }
      }
      return null;
    });
  }

  private static String column(UsageKind kind) {
    switch (kind) {
      case STAGED_BYTES:
        return "staged_bytes";
      case IMAGES:
        return "images";
      default:
        return "uploads";
    }
  }
}
