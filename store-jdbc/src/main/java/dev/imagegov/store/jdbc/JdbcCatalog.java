package dev.imagegov.store.jdbc;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.CatalogRefusals;
import dev.imagegov.spi.CompareAndSetResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Catalog} port on PostgreSQL, shared by every node that opens a {@link JdbcStore} on
 * the same database and schema. Every guarantee of the port holds across nodes:
 *
 * <ul>
 *   <li>insert is {@code INSERT ... ON CONFLICT DO NOTHING} on a primary key that keeps the ids of
 *       deleted images (their rows stay as tombstones): exactly one of concurrent inserts of an id
 *       wins, on any node, and a deleted id is refused forever;
 *   <li>compare-and-set is one statement: a conditional {@code UPDATE ... WHERE id = ? AND
 *       version = ?} whose members, properties and locations are brought to the replacement's in
 *       the same statement (only the rows that differ are written): exactly one of concurrent
 *       updates from one version wins, and the others answer {@link CompareAndSetResult.Stale};
 *   <li>every read (find, a page, a tombstone) is one statement, so one snapshot: no reader sees
 *       an image half changed;
 *   <li>a page is one statement over the listing indexes (see {@link JdbcStore} and the module's
 *       README for the plans).
 * </ul>
 *
 * <p>Failures of the database are {@link GovernanceException}s: {@link
 * StoreErrorCode#CATALOG_UNAVAILABLE}, {@link StoreErrorCode#CATALOG_CONTENDED} or {@link
 * StoreErrorCode#CATALOG_FAILED}, never a raw {@code SQLException}.
 */
public final class JdbcCatalog implements Catalog {
  private final Database db;
  private final ImageRows rows;
  private final String image;

  JdbcCatalog(Database db, ImageRows rows) {
    this.db = db;
    this.rows = rows;
    this.image = rows.table("image");
  }

  @Override
  public Optional<Image> find(ImageId id) {
    Objects.requireNonNull(id, "id");
    return db.readStatement("find " + id, c -> Optional.ofNullable(findLive(c, id)));
  }

  private @Nullable Image findLive(Connection c, ImageId id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(rows.withChildren("SELECT " + ImageRows.COLUMNS
        + " FROM " + image + " WHERE id = ? AND deleted_at IS NULL", ""))) {
      s.setString(1, id.value());
      List<Image> found = ImageRows.select(s);
      return found.isEmpty() ? null : found.get(0);
    }
  }

  @Override
  public Optional<Tombstone> tombstone(ImageId id) {
    Objects.requireNonNull(id, "id");
    return db.readStatement("read the tombstone of " + id, c -> Optional.ofNullable(findTombstone(c, id,
        false)));
  }

  /**
   * The tombstone of {@code id}, with the image a pending-delete row keeps (its {@code
   * kept_status}, at the version it had when deleted); null if the id is live or unknown. With
   * {@code lock}, the row is locked for the rest of the transaction.
   */
  private @Nullable Tombstone findTombstone(Connection c, ImageId id, boolean lock)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(rows.withChildren("SELECT " + ImageRows.COLUMNS
        + ", kept_status, deleted_at FROM " + image + " WHERE id = ? AND deleted_at IS NOT NULL"
        + (lock ? " FOR UPDATE" : ""), ""))) {
      s.setString(1, id.value());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return null;
        }
        Tombstone t = Tombstone.of(id,
            Optional.ofNullable(r.getString("owner")).map(ProjectId::of),
            ImageStatus.fromWireName(r.getString("status")).orElseThrow(),
            Instants.fromNanos(r.getLong("deleted_at")));
        String keptStatus = r.getString("kept_status");
        if (keptStatus == null || t.status() != ImageStatus.PENDING_DELETE) {
          return t;
        }
        Image kept = ImageRows.readWithChildren(r)
            .status(ImageStatus.fromWireName(keptStatus).orElseThrow())
            .version(r.getLong("version") - 1)
            .build();
        return Tombstone.pending(kept, t.deletedAt());
      }
    }
  }

  /**
   * The pending-delete tombstone of {@code id}, its row locked, or the contract's refusal of a
   * restore ({@code restore}) or a finished deletion.
   */
  private Tombstone lockPending(Connection c, ImageId id, boolean restore) throws SQLException {
    Tombstone t = findTombstone(c, id, true);
    GovernanceException refusal =
        CatalogRefusals.notRestorable(id, t == null ? findLive(c, id) : null, t, restore);
    if (refusal != null) {
      throw refusal;
    }
    return t;
  }

  @Override
  public Image undelete(ImageId id, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    return db.write("restore " + id, c -> undelete(c, id, at));
  }

  /**
   * Restores the pending-delete image {@code id} in {@code c}'s transaction.
   *
   * @throws GovernanceException the contract's refusal of a restore (nothing changed)
   */
  Image undelete(Connection c, ImageId id, Instant at) throws SQLException {
    Tombstone t = lockPending(c, id, true);
    Image kept = t.retained().orElseThrow();
    // The row's version is the kept one's plus the deletion's.
    Image restored = kept.toBuilder().updatedAt(at).build().withVersion(kept.version() + 2);
    try (PreparedStatement s = c.prepareStatement("UPDATE " + image
        + " SET status = kept_status, kept_status = NULL, deleted_at = NULL, updated_at = ?,"
        + " version = ? WHERE id = ? AND deleted_at IS NOT NULL AND kept_status IS NOT NULL")) {
      s.setLong(1, Instants.toNanos(at));
      s.setLong(2, restored.version());
      s.setString(3, id.value());
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("the locked pending-delete row of " + id + " changed");
      }
    }
    rows.setMembersListed(c, id.value(), ImageRows.listed(restored));
    return restored;
  }

  @Override
  public List<ImageId> pendingDeletes() {
    return db.read("list the images pending delete", c -> {
      List<ImageId> ids = new java.util.ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT id FROM " + image
          + " WHERE deleted_at IS NOT NULL AND status = ?")) {
        s.setString(1, ImageStatus.PENDING_DELETE.wireName());
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            ids.add(ImageId.of(r.getString(1)));
          }
        }
      }
      return ids;
    });
  }

  @Override
  public Tombstone finishDeletion(ImageId id) {
    Objects.requireNonNull(id, "id");
    return db.write("finish the deletion of " + id, c -> {
      Tombstone t = lockPending(c, id, false);
      try (PreparedStatement s = c.prepareStatement("UPDATE " + image
          + " SET status = ?, kept_status = NULL WHERE id = ? AND deleted_at IS NOT NULL")) {
        s.setString(1, ImageStatus.DELETED.wireName());
        s.setString(2, id.value());
        s.executeUpdate();
      }
      rows.deleteChildren(c, id.value());
      return t.finished();
    });
  }

  @Override
  public boolean isKnown(ImageId id) {
    Objects.requireNonNull(id, "id");
    return db.readStatement("look up " + id, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM " + image + " WHERE id = ?")) {
        s.setString(1, id.value());
        try (ResultSet r = s.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  @Override
  public Image insert(Image newImage) {
    Image stored = toInsert(newImage);
    boolean inserted = db.write("insert " + newImage.id(), c -> insert(c, stored));
    if (!inserted) {
      throw CatalogRefusals.duplicateId(newImage.id());
    }
    return stored;
  }

  /** Whether this catalog's transactions are those of {@code database}. */
  boolean runsOn(Database database) {
    return db == database;
  }

  /** Inserts {@code stored} (at version 1) in {@code c}'s transaction; false if the id is known. */
  boolean insert(Connection c, Image stored) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO " + image + " ("
        + ImageRows.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        + " ?, ?) ON CONFLICT (id) DO NOTHING")) {
      ImageRows.bind(s, 1, stored, 1);
      if (s.executeUpdate() == 0) {
        return false;
      }
    }
    rows.insertChildren(c, stored);
    return true;
  }

  /** Checks an insert's argument and answers it at version 1. */
  static Image toInsert(Image newImage) {
    Objects.requireNonNull(newImage, "image");
    requireLiveStatus(newImage);
    return newImage.withVersion(1);
  }

  private static void requireLiveStatus(Image image) {
    if (image.status().isDeleted()) {
      throw new IllegalArgumentException(
          "image " + image.id() + " has the deleted status " + image.status().wireName()
              + ": use delete");
    }
  }

  @Override
  public CompareAndSetResult compareAndSet(long expectedVersion, Image replacement) {
    checkReplacement(replacement);
    return db.writeStatement("compare-and-set " + replacement.id(),
        c -> compareAndSet(c, expectedVersion, replacement));
  }

  /**
   * {@link #compareAndSet(long, Image)} in {@code c}'s transaction (arguments checked): one
   * statement ({@link ImageRows#replace}), then, only when it changed nothing, one read of why.
   */
  CompareAndSetResult compareAndSet(Connection c, long expectedVersion, Image replacement)
      throws SQLException {
    Image stored = replacement.withVersion(expectedVersion + 1);
    if (!rows.replace(c, expectedVersion, stored)) {
      return refusal(c, replacement.id(), expectedVersion);
    }
    return new CompareAndSetResult.Stored(stored);
  }

  /** Checks a compare-and-set's replacement. */
  static void checkReplacement(Image replacement) {
    Objects.requireNonNull(replacement, "replacement");
    requireLiveStatus(replacement);
  }

  /** Why a conditional update of {@code id} at {@code expectedVersion} changed nothing. */
  private CompareAndSetResult.Refusal refusal(Connection c, ImageId id, long expectedVersion)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "SELECT version FROM " + image + " WHERE id = ? AND deleted_at IS NULL")) {
      s.setString(1, id.value());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return new CompareAndSetResult.Missing(id);
        }
        long stored = r.getLong(1);
        // Read committed: the row may have moved on again, but never back to expectedVersion.
        return new CompareAndSetResult.Stale(id, expectedVersion, stored);
      }
    }
  }

  @Override
  public Tombstone delete(ImageId id, long expectedVersion, ImageStatus finalStatus, Instant at) {
    checkDeletion(id, finalStatus, at);
    return tombstoneOrThrow(db.write("delete " + id,
        c -> delete(c, id, expectedVersion, finalStatus, at)));
  }

  /** Checks a deletion's arguments. */
  static void checkDeletion(ImageId id, ImageStatus finalStatus, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(at, "at");
    if (!finalStatus.isDeleted()) {
      throw new IllegalArgumentException(
          "a deleted image's final status is deleted or pending_delete, not " + finalStatus);
    }
    Instants.toNanos(at); // refuses an instant the column cannot hold, before any write
  }

  /**
   * Deletes {@code id} in {@code c}'s transaction (arguments checked): the tombstone, or the
   * refusal when nothing changed. A pending-delete image keeps its children and, in {@code
   * kept_status}, its status, so a restore brings it back as it was (SET reads the row's old
   * values).
   */
  Object delete(Connection c, ImageId id, long expectedVersion, ImageStatus finalStatus,
      Instant at) throws SQLException {
    boolean keep = finalStatus == ImageStatus.PENDING_DELETE;
    try (PreparedStatement s = c.prepareStatement("UPDATE " + image
        + " SET status = ?, deleted_at = ?, version = version + 1, kept_status = "
        + (keep ? "status" : "NULL")
        + " WHERE id = ? AND version = ? AND deleted_at IS NULL RETURNING owner")) {
      s.setString(1, finalStatus.wireName());
      s.setLong(2, Instants.toNanos(at));
      s.setString(3, id.value());
      s.setLong(4, expectedVersion);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return refusal(c, id, expectedVersion);
        }
        if (keep) {
          rows.setMembersListed(c, id.value(), false);
          return findTombstone(c, id, false);
        }
        Tombstone t = Tombstone.of(id, Optional.ofNullable(r.getString(1)).map(ProjectId::of),
            finalStatus, at);
        rows.deleteChildren(c, id.value());
        return t;
      }
    }
  }

  /** The tombstone {@link #delete(Connection, ImageId, long, ImageStatus, Instant)} answered. */
  static Tombstone tombstoneOrThrow(Object outcome) {
    if (outcome instanceof CompareAndSetResult) {
      ((CompareAndSetResult) outcome).orElseThrow();
      throw new AssertionError("a refusal always throws");
    }
    return (Tombstone) outcome;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The page, with every image's members, properties and locations, is one statement (one
   * round trip, one snapshot). A marker is read first, by its own statement: the page is the one
   * after the marker's sort position as that read saw it (an image changed between the two reads
   * is listed as the page's read sees it).
   */
  @Override
  public List<Image> query(CatalogQuery query) {
    Objects.requireNonNull(query, "query");
    Optional<Image> marker = Optional.empty();
    if (query.marker().isPresent()) {
      ImageId id = query.marker().get();
      marker = find(id);
      if (marker.isEmpty()) {
        throw GovernanceException.of(StoreErrorCode.INVALID_MARKER, "No image found with ID " + id);
      }
    }
    Optional<Image> after = marker;
    return db.readStatement("list images", c -> PageQuery.run(rows, c, query, after));
  }

  /**
   * The SQL statement of a page of {@code query} after {@code marker}, parameters inlined, for
   * {@code EXPLAIN}; empty when the caller's base set is empty.
   */
  Optional<String> pageSql(CatalogQuery query, Optional<Image> marker) {
    return PageQuery.sqlOf(rows, query, marker);
  }

  /**
   * The lines of {@code EXPLAIN (options)} of the statement {@link #query} sends for {@code
   * query}, with the same parameters bound: the plan of the real page (tests and the README).
   */
  List<String> explainPage(CatalogQuery query, String options) {
    Optional<Image> marker = query.marker().flatMap(this::find);
    return db.readStatement("explain a page",
        c -> PageQuery.explain(rows, c, query, marker, options));
  }

  /** {@inheritDoc} This counts the live rows: it costs O(n). */
  @Override
  public long size() {
    return db.readStatement("count images", c -> {
      try (PreparedStatement s =
              c.prepareStatement("SELECT count(*) FROM " + image + " WHERE deleted_at IS NULL");
          ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>The scan reads batches of 500 images in id order, each batch in its own
   * snapshot, and calls {@code action} outside any transaction; an image changed during the scan
   * is seen at one of its versions, and one inserted or deleted meanwhile may or may not be seen.
   */
  @Override
  public void forEach(Consumer<Image> action) {
    Objects.requireNonNull(action, "action");
    String after = "";
    while (true) {
      String from = after;
      List<Image> batch = db.readStatement("scan images", c -> {
        try (PreparedStatement s = c.prepareStatement(rows.withChildren("SELECT "
            + ImageRows.COLUMNS + " FROM " + image + " WHERE deleted_at IS NULL AND id > ?"
            + " ORDER BY id LIMIT " + SCAN_BATCH, "x.id"))) {
          s.setString(1, from);
          return ImageRows.select(s);
        }
      });
      batch.forEach(action);
      if (batch.size() < SCAN_BATCH) {
        return;
      }
      after = batch.get(batch.size() - 1).id().value();
    }
  }

  private static final int SCAN_BATCH = 500;

  /** Removes every image and tombstone: for tests that need an empty catalog. */
  void clear() {
    db.write("clear the catalog", c -> {
      for (String table : new String[] {"image_member", "image_property", "image_location", "image"}) {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM " + rows.table(table))) {
          s.executeUpdate();
        }
      }
      return null;
    });
  }
}
