package dev.imagegov.store.jdbc;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How an image aggregate maps to rows: its own row in {@code image} (tags as an array in
 * insertion order), and its members, properties (with their order) and locations in their
 * tables. A read loads a whole page with its children in one statement ({@link #withChildren}).
 */
final class ImageRows {
  /** The columns of an image row, in the order {@link #bind} sets them. */
  static final String COLUMNS =
      "id, name, status, visibility, owner, protected, os_hidden, disk_format, container_format,"
          + " size, virtual_size, checksum, os_hash_algo, os_hash_value, min_disk, min_ram, tags,"
          + " created_at, updated_at, version";

  private final String schema;

  ImageRows(String schema) {
    this.schema = schema;
  }

  String table(String name) {
    return schema + "." + name;
  }

  /** {@link #COLUMNS} qualified by {@code alias}. */
  static String columns(String alias) {
    StringBuilder b = new StringBuilder();
    for (String c : COLUMNS.split(",")) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(alias).append('.').append(c.trim());
    }
    return b.toString();
  }

  /** Sets parameters {@code first..first+19} to {@code image}'s columns, at {@code version}. */
  static void bind(PreparedStatement s, int first, Image image, long version) throws SQLException {
    int i = first;
    s.setString(i++, image.id().value());
    setText(s, i++, image.name());
    s.setString(i++, image.status().wireName());
    s.setString(i++, image.visibility().wireName());
    setText(s, i++, image.owner().map(ProjectId::value));
    s.setBoolean(i++, image.isProtected());
    s.setBoolean(i++, image.osHidden());
    setText(s, i++, image.diskFormat());
    setText(s, i++, image.containerFormat());
    setLong(s, i++, image.size());
    setLong(s, i++, image.virtualSize());
    setText(s, i++, image.checksum());
    setText(s, i++, image.osHashAlgo());
    setText(s, i++, image.osHashValue());
    s.setInt(i++, image.minDisk());
    s.setInt(i++, image.minRam());
    s.setArray(i++, s.getConnection().createArrayOf("text", image.tags().toArray()));
    s.setLong(i++, Instants.toNanos(image.createdAt()));
    s.setLong(i++, Instants.toNanos(image.updatedAt()));
    s.setLong(i, version);
  }

  private static void setText(PreparedStatement s, int i, Optional<String> value)
      throws SQLException {
    if (value.isPresent()) {
      s.setString(i, value.get());
    } else {
      s.setNull(i, Types.VARCHAR);
    }
  }

  private static void setLong(PreparedStatement s, int i, OptionalLong value)
      throws SQLException {
    if (value.isPresent()) {
      s.setLong(i, value.getAsLong());
    } else {
      s.setNull(i, Types.BIGINT);
    }
  }

  /** The image row at the cursor, without its children, read from {@link #COLUMNS}. */
  static Image.Builder read(ResultSet r) throws SQLException {
    Image.Builder b = Image.builder()
        .id(ImageId.of(r.getString("id")))
        .name(Optional.ofNullable(r.getString("name")))
        .status(ImageStatus.fromWireName(r.getString("status")).orElseThrow(
            () -> corrupt("status", r)))
        .visibility(Visibility.fromWireName(r.getString("visibility")).orElseThrow(
            () -> corrupt("visibility", r)))
        .owner(Optional.ofNullable(r.getString("owner")).map(ProjectId::of))
        .isProtected(r.getBoolean("protected"))
        .osHidden(r.getBoolean("os_hidden"))
        .diskFormat(Optional.ofNullable(r.getString("disk_format")))
        .containerFormat(Optional.ofNullable(r.getString("container_format")))
        .size(optionalLong(r, "size"))
        .virtualSize(optionalLong(r, "virtual_size"))
        .checksum(Optional.ofNullable(r.getString("checksum")))
        .osHashAlgo(Optional.ofNullable(r.getString("os_hash_algo")))
        .osHashValue(Optional.ofNullable(r.getString("os_hash_value")))
        .minDisk(r.getInt("min_disk"))
        .minRam(r.getInt("min_ram"))
        .createdAt(Instants.fromNanos(r.getLong("created_at")))
        .updatedAt(Instants.fromNanos(r.getLong("updated_at")))
        .version(r.getLong("version"));
    Array tags = r.getArray("tags");
    for (Object tag : (Object[]) tags.getArray()) {
      b.addTags((String) tag);
    }
    return b;
  }

  private static IllegalStateException corrupt(String column, ResultSet r) {
    try {
      return new IllegalStateException(
          "image " + r.getString("id") + " has an unknown " + column + " in the database");
    } catch (SQLException e) {
      return new IllegalStateException("an image has an unknown " + column, e);
    }
  }

  private static OptionalLong optionalLong(ResultSet r, String column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
  }

  /**
   * The statement that answers the rows of {@code inner} (a {@code SELECT} of {@link #COLUMNS},
   * and possibly more) each with its members, properties and locations, aggregated into arrays
   * by one index probe per child table and row: the whole read is one statement, so one round
   * trip and one snapshot, whatever the isolation. The rows come in the order of {@code orderBy}
   * (sort expressions over the alias {@code x}; empty for no order).
   */
  String withChildren(String inner, String orderBy) {
    String byProject = " ORDER BY m.project)";
    String byPosition = " ORDER BY p.position)";
    String byLocation = " ORDER BY l.position)";
    return "SELECT x.*, mm.*, pp.*, ll.*, lk.* FROM (" + inner + ") x"
        + " LEFT JOIN LATERAL (SELECT array_agg(m.project" + byProject + " AS m_project,"
        + " array_agg(m.status" + byProject + " AS m_status,"
        + " array_agg(m.created_at" + byProject + " AS m_created,"
        + " array_agg(m.updated_at" + byProject + " AS m_updated,"
        + " array_agg(m.expires_at" + byProject + " AS m_expires,"
        + " array_agg(m.via" + byProject + " AS m_via"
        + " FROM " + table("image_member") + " m WHERE m.image_id = x.id) mm ON true"
        + " LEFT JOIN LATERAL (SELECT array_agg(p.name" + byPosition + " AS p_name,"
        + " array_agg(p.value" + byPosition + " AS p_value"
        + " FROM " + table("image_property") + " p WHERE p.image_id = x.id) pp ON true"
        + " LEFT JOIN LATERAL (SELECT array_agg(l.store" + byLocation + " AS l_store,"
        + " array_agg(l.url" + byLocation + " AS l_url,"
        + " array_agg(cardinality(l.meta_keys)" + byLocation + " AS l_meta_n"
        + " FROM " + table("image_location") + " l WHERE l.image_id = x.id) ll ON true"
        + " LEFT JOIN LATERAL (SELECT array_agg(k.key ORDER BY l.position, k.n) AS l_meta_key,"
        + " array_agg(k.value ORDER BY l.position, k.n) AS l_meta_value"
        + " FROM " + table("image_location") + " l CROSS JOIN LATERAL"
        + " unnest(l.meta_keys, l.meta_values) WITH ORDINALITY AS k(key, value, n)"
        + " WHERE l.image_id = x.id) lk ON true"
        + (orderBy.isEmpty() ? "" : " ORDER BY " + orderBy);
  }

  /**
   * The image at the cursor of a result of {@link #withChildren}: its row ({@link #read}) with
   * its members, properties and locations.
   */
  static Image.Builder readWithChildren(ResultSet r) throws SQLException {
    Image.Builder b = read(r);
    ImageId id = ImageId.of(r.getString("id"));
    Object[] projects = array(r, "m_project");
    Object[] statuses = array(r, "m_status");
    Object[] created = array(r, "m_created");
    Object[] updated = array(r, "m_updated");
    Object[] expires = array(r, "m_expires");
    Object[] via = array(r, "m_via");
    for (int k = 0; k < projects.length; k++) {
      ProjectId project = ProjectId.of((String) projects[k]);
      b.putMembers(project, Member.builder()
          .imageId(id)
          .project(project)
          .status(MemberStatus.fromWireName((String) statuses[k]).orElseThrow(
              () -> new IllegalStateException("an unknown member status in the database")))
          .createdAt(Instants.fromNanos((Long) created[k]))
          .updatedAt(Instants.fromNanos((Long) updated[k]))
          .expiresAt(Optional.ofNullable((Long) expires[k]).map(Instants::fromNanos))
          .via(Optional.ofNullable((String) via[k]).map(ProjectId::of))
          .build());
    }
    Object[] names = array(r, "p_name");
    Object[] values = array(r, "p_value");
    for (int k = 0; k < names.length; k++) {
      b.putProperties((String) names[k], (String) values[k]);
    }
    Object[] stores = array(r, "l_store");
    Object[] urls = array(r, "l_url");
    Object[] counts = array(r, "l_meta_n");
    Object[] keys = array(r, "l_meta_key");
    Object[] metaValues = array(r, "l_meta_value");
    int next = 0;
    for (int k = 0; k < stores.length; k++) {
      Map<String, String> metadata = new LinkedHashMap<>();
      int n = counts[k] == null ? 0 : ((Number) counts[k]).intValue();
      for (int e = 0; e < n; e++, next++) {
        metadata.put((String) keys[next], (String) metaValues[next]);
      }
      b.addLocations(Location.builder()
          .store(StoreId.of((String) stores[k]))
          .url((String) urls[k])
          .metadata(ImmutableMap.copyOf(metadata))
          .build());
    }
    return b;
  }

  /** The elements of an aggregated array column; none when the column is NULL (no child rows). */
  private static Object[] array(ResultSet r, String column) throws SQLException {
    Array a = r.getArray(column);
    return a == null ? new Object[0] : (Object[]) a.getArray();
  }

  /**
   * Reads the images {@code select} (a statement of {@link #withChildren}) answers, in its
   * order.
   */
  static List<Image> select(PreparedStatement select) throws SQLException {
    List<Image> images = new ArrayList<>();
    try (ResultSet r = select.executeQuery()) {
      while (r.next()) {
        images.add(readWithChildren(r).build());
      }
    }
    return images;
  }

  /**
   * Replaces the image row of {@code stored} if it is live at {@code expectedVersion}, and in
   * the same statement brings its members, properties and locations to {@code stored}'s:
   * deletes the child rows it no longer has and upserts the others, writing only those that
   * differ (a patch of one property writes the image row and that property's row). Every child
   * statement joins the {@code UPDATE}'s result, so a refused update changes nothing.
   *
   * @return whether the row was at {@code expectedVersion} (and is now replaced)
   */
  boolean replace(Connection c, long expectedVersion, Image stored) throws SQLException {
    String members = table("image_member");
    String properties = table("image_property");
    String locations = table("image_location");
    String sql = "WITH u AS (UPDATE " + table("image") + " SET (" + COLUMNS
        + ") = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + " WHERE id = ? AND version = ? AND deleted_at IS NULL RETURNING id),"
        + " dm AS (DELETE FROM " + members + " m USING u WHERE m.image_id = u.id"
        + " AND NOT (m.project = ANY(?::text[]))),"
        + " im AS (INSERT INTO " + members + " AS o"
        + " (image_id, project, status, created_at, updated_at, expires_at, via,"
        + " image_created_at, image_listed)"
        + " SELECT u.id, t.project, t.status, t.created_at, t.updated_at, t.expires_at, t.via,"
        + " ?::bigint, ?::boolean"
        + " FROM u, unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])"
        + " AS t(project, status, created_at, updated_at, expires_at, via)"
        + " ON CONFLICT (image_id, project) DO UPDATE SET status = excluded.status,"
        + " created_at = excluded.created_at, updated_at = excluded.updated_at,"
        + " expires_at = excluded.expires_at, via = excluded.via,"
        + " image_created_at = excluded.image_created_at, image_listed = excluded.image_listed"
        + " WHERE (o.status, o.created_at, o.updated_at, o.expires_at, o.via, o.image_created_at,"
        + " o.image_listed) IS DISTINCT FROM (excluded.status, excluded.created_at,"
        + " excluded.updated_at, excluded.expires_at, excluded.via, excluded.image_created_at,"
        + " excluded.image_listed)),"
        + " dp AS (DELETE FROM " + properties + " p USING u WHERE p.image_id = u.id"
        + " AND NOT (p.name = ANY(?::text[]))),"
        + " ip AS (INSERT INTO " + properties + " AS o (image_id, position, name, value)"
        + " SELECT u.id, t.ord - 1, t.name, t.value"
        + " FROM u, unnest(?::text[], ?::text[]) WITH ORDINALITY AS t(name, value, ord)"
        + " ON CONFLICT (image_id, name) DO UPDATE SET position = excluded.position,"
        + " value = excluded.value WHERE (o.position, o.value)"
        + " IS DISTINCT FROM (excluded.position, excluded.value)),"
        + " dl AS (DELETE FROM " + locations + " l USING u WHERE l.image_id = u.id"
        + " AND l.position >= ?),"
        + " meta AS (SELECT ?::text[] AS k, ?::text[] AS v),"
        + " il AS (INSERT INTO " + locations + " AS o"
        + " (image_id, position, store, url, meta_keys, meta_values)"
        + " SELECT u.id, t.ord - 1, t.store, t.url, meta.k[t.first : t.first + t.n - 1],"
        + " meta.v[t.first : t.first + t.n - 1]"
        + " FROM u, meta, unnest(?::text[], ?::text[], ?::int[], ?::int[]) WITH ORDINALITY"
        + " AS t(store, url, first, n, ord)"
        + " ON CONFLICT (image_id, position) DO UPDATE SET store = excluded.store,"
        + " url = excluded.url, meta_keys = excluded.meta_keys,"
        + " meta_values = excluded.meta_values WHERE (o.store, o.url, o.meta_keys,"
        + " o.meta_values) IS DISTINCT FROM (excluded.store, excluded.url, excluded.meta_keys,"
        + " excluded.meta_values))"
        + " SELECT count(*) FROM u";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, 1, stored, stored.version());
      s.setString(21, stored.id().value());
      s.setLong(22, expectedVersion);
      int n = stored.members().size();
      Object[] projects = new Object[n];
      Object[] statuses = new Object[n];
      Object[] created = new Object[n];
      Object[] updated = new Object[n];
      Object[] expires = new Object[n];
      Object[] via = new Object[n];
      int k = 0;
      for (Member m : stored.members().values()) {
        projects[k] = m.project().value();
        statuses[k] = m.status().wireName();
        created[k] = Instants.toNanos(m.createdAt());
        updated[k] = Instants.toNanos(m.updatedAt());
        expires[k] = m.expiresAt().map(Instants::toNanos).orElse(null);
        via[k] = m.via().map(ProjectId::value).orElse(null);
        k++;
      }
      int i = 23;
      s.setArray(i++, c.createArrayOf("text", projects));
      s.setLong(i++, Instants.toNanos(stored.createdAt()));
      s.setBoolean(i++, listed(stored));
      s.setArray(i++, c.createArrayOf("text", projects));
      s.setArray(i++, c.createArrayOf("text", statuses));
      s.setArray(i++, c.createArrayOf("bigint", created));
      s.setArray(i++, c.createArrayOf("bigint", updated));
      s.setArray(i++, c.createArrayOf("bigint", expires));
      s.setArray(i++, c.createArrayOf("text", via));
      Object[] names = stored.properties().keySet().toArray();
      s.setArray(i++, c.createArrayOf("text", names));
      s.setArray(i++, c.createArrayOf("text", names));
      s.setArray(i++, c.createArrayOf("text", stored.properties().values().toArray()));
      List<Location> ls = stored.locations();
      s.setInt(i++, ls.size());
      List<Object> keys = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      Object[] stores = new Object[ls.size()];
      Object[] urls = new Object[ls.size()];
      Object[] firsts = new Object[ls.size()];
      Object[] counts = new Object[ls.size()];
      for (int l = 0; l < ls.size(); l++) {
        Location location = ls.get(l);
        stores[l] = location.store().value();
        urls[l] = location.url();
        firsts[l] = keys.size() + 1;
        counts[l] = location.metadata().size();
        keys.addAll(location.metadata().keySet());
        values.addAll(location.metadata().values());
      }
      s.setArray(i++, c.createArrayOf("text", keys.toArray()));
      s.setArray(i++, c.createArrayOf("text", values.toArray()));
      s.setArray(i++, c.createArrayOf("text", stores));
      s.setArray(i++, c.createArrayOf("text", urls));
      s.setArray(i++, c.createArrayOf("integer", firsts));
      s.setArray(i, c.createArrayOf("integer", counts));
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1) == 1;
      }
    }
  }

  /** Inserts the members, properties and locations of {@code image}. */
  void insertChildren(Connection c, Image image) throws SQLException {
    String id = image.id().value();
    if (!image.members().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table("image_member")
          + " (image_id, project, status, created_at, updated_at, expires_at, via,"
          + " image_created_at, image_listed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        long createdAt = Instants.toNanos(image.createdAt());
        boolean listed = listed(image);
        for (Member m : image.members().values()) {
          s.setString(1, id);
          s.setString(2, m.project().value());
          s.setString(3, m.status().wireName());
          s.setLong(4, Instants.toNanos(m.createdAt()));
          s.setLong(5, Instants.toNanos(m.updatedAt()));
          if (m.expiresAt().isPresent()) {
            s.setLong(6, Instants.toNanos(m.expiresAt().get()));
          } else {
            s.setNull(6, java.sql.Types.BIGINT);
          }
          s.setString(7, m.via().map(ProjectId::value).orElse(null));
          s.setLong(8, createdAt);
          s.setBoolean(9, listed);
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (!image.properties().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table("image_property")
          + " (image_id, position, name, value) VALUES (?, ?, ?, ?)")) {
        int position = 0;
        for (Map.Entry<String, String> p : image.properties().entrySet()) {
          s.setString(1, id);
          s.setInt(2, position++);
          s.setString(3, p.getKey());
          s.setString(4, p.getValue());
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    if (!image.locations().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table("image_location")
          + " (image_id, position, store, url, meta_keys, meta_values) VALUES (?, ?, ?, ?, ?, ?)")) {
        int position = 0;
        for (Location l : image.locations()) {
          s.setString(1, id);
          s.setInt(2, position++);
          s.setString(3, l.store().value());
          s.setString(4, l.url());
          s.setArray(5, c.createArrayOf("text", l.metadata().keySet().toArray()));
          s.setArray(6, c.createArrayOf("text", l.metadata().values().toArray()));
          s.addBatch();
        }
        s.executeBatch();
      }
    }
  }

  /**
   * Whether the live image {@code image} is one a member source lists: a shared image that is not
   * killed. Every member row carries it ({@code image_listed}), with its image's {@code
   * created_at} ({@code image_created_at}), so that a project's memberships are one index range in
   * list order; every write of an image row that changes either writes its member rows in the same
   * transaction.
   */
  static boolean listed(Image image) {
    return image.visibility() == Visibility.SHARED && image.status() != ImageStatus.KILLED
        && !image.status().isDeleted();
  }

  /**
   * Sets {@code image_listed} of every member row of the image {@code id}: false when the image
   * becomes a tombstone that keeps its children (pending delete), {@link #listed} of the restored
   * image when it is restored. Call in the transaction that changes the image row.
   */
  void setMembersListed(Connection c, String id, boolean listed) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("UPDATE " + table("image_member")
        + " SET image_listed = ? WHERE image_id = ? AND image_listed <> ?")) {
      s.setBoolean(1, listed);
      s.setString(2, id);
      s.setBoolean(3, listed);
      s.executeUpdate();
    }
  }

  /** Deletes the members, properties and locations of the image {@code id}. */
  void deleteChildren(Connection c, String id) throws SQLException {
    for (String child : new String[] {"image_member", "image_property", "image_location"}) {
      try (PreparedStatement s =
          c.prepareStatement("DELETE FROM " + table(child) + " WHERE image_id = ?")) {
        s.setString(1, id);
        s.executeUpdate();
      }
    }
  }
}
