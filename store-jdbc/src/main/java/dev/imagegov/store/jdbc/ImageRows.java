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
 * tables. Reads load the children of a whole page in one statement per table.
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
   * Completes the builders (by image id, in order) with their members, properties and locations,
   * one statement per table.
   */
  List<Image> complete(Connection c, LinkedHashMap<String, Image.Builder> builders)
      throws SQLException {
    if (builders.isEmpty()) {
      return List.of();
    }
    Array ids = c.createArrayOf("text", builders.keySet().toArray());
    try (PreparedStatement s = c.prepareStatement(
        "SELECT image_id, project, status, created_at, updated_at, expires_at, via FROM "
            + table("image_member")
            + " WHERE image_id = ANY(?) ORDER BY image_id, project")) {
      s.setArray(1, ids);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Image.Builder b = builders.get(r.getString(1));
          ProjectId project = ProjectId.of(r.getString(2));
          b.putMembers(project, Member.builder()
              .imageId(ImageId.of(r.getString(1)))
              .project(project)
              .status(MemberStatus.fromWireName(r.getString(3)).orElseThrow(
                  () -> new IllegalStateException("an unknown member status in the database")))
              .createdAt(Instants.fromNanos(r.getLong(4)))
              .updatedAt(Instants.fromNanos(r.getLong(5)))
              .expiresAt(expiry(r.getLong(6), r.wasNull()))
              .via(Optional.ofNullable(r.getString(7)).map(ProjectId::of))
              .build());
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement(
        "SELECT image_id, name, value FROM " + table("image_property")
            + " WHERE image_id = ANY(?) ORDER BY image_id, position")) {
      s.setArray(1, ids);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          builders.get(r.getString(1)).putProperties(r.getString(2), r.getString(3));
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement(
        "SELECT image_id, store, url, meta_keys, meta_values FROM " + table("image_location")
            + " WHERE image_id = ANY(?) ORDER BY image_id, position")) {
      s.setArray(1, ids);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Object[] keys = (Object[]) r.getArray(4).getArray();
          Object[] values = (Object[]) r.getArray(5).getArray();
          Map<String, String> metadata = new LinkedHashMap<>();
          for (int k = 0; k < keys.length; k++) {
            metadata.put((String) keys[k], (String) values[k]);
          }
          builders.get(r.getString(1)).addLocations(Location.builder()
              .store(StoreId.of(r.getString(2)))
              .url(r.getString(3))
              .metadata(ImmutableMap.copyOf(metadata))
              .build());
        }
      }
    }
    List<Image> images = new ArrayList<>(builders.size());
    for (Image.Builder b : builders.values()) {
      images.add(b.build());
    }
    return images;
  }

  /** Reads the images {@code select} (selecting {@link #COLUMNS}) answers, in its order. */
  List<Image> select(Connection c, PreparedStatement select) throws SQLException {
    LinkedHashMap<String, Image.Builder> builders = new LinkedHashMap<>();
    try (ResultSet r = select.executeQuery()) {
      while (r.next()) {
        builders.put(r.getString("id"), read(r));
      }
    }
    return complete(c, builders);
  }

  /** A member's expiry from its column: empty when the column is NULL. */
  private static java.util.Optional<java.time.Instant> expiry(long nanos, boolean isNull) {
    return isNull ? java.util.Optional.empty() : java.util.Optional.of(Instants.fromNanos(nanos));
  }

  /** Inserts the members, properties and locations of {@code image}. */
  void insertChildren(Connection c, Image image) throws SQLException {
    String id = image.id().value();
    if (!image.members().isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO " + table("image_member")
          + " (image_id, project, status, created_at, updated_at, expires_at, via)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
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
