package dev.imagegov.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copies of an image's sort key and listability that its member rows carry (V7: {@code
 * image_created_at}, {@code image_listed}), which a consumer's member source reads in list order:
 * every write of the image keeps them equal to the image's, in the same statement or transaction,
 * and the migration fills them in for the member rows written before it.
 */
class JdbcMemberListingTest {
  private static final String SCHEMA = "member_listing";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ProjectId OWNER = ProjectId.of("owner");
  private static final ProjectId CONSUMER = ProjectId.of("consumer");

  private JdbcCatalog catalog;

  @BeforeEach
  void open() {
    catalog = TestDatabase.store(SCHEMA).catalog();
    catalog.clear();
  }

  private static Image shared(long n, Instant created) {
    ImageId id = ImageId.of(new UUID(18, n));
    return Image.builder()
        .id(id)
        .owner(OWNER)
        .status(ImageStatus.ACTIVE)
        .visibility(Visibility.SHARED)
        .createdAt(created)
        .updatedAt(created)
        .putMembers(CONSUMER, Member.pending(id, CONSUMER, created)
            .withStatus(MemberStatus.ACCEPTED, created))
        .build();
  }

  /** The member rows of {@code id}: project, image_created_at (as an instant), image_listed. */
  private static List<String> memberRows(String schema, ImageId id) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabase.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT project, image_created_at, image_listed"
            + " FROM " + schema + ".image_member WHERE image_id = ? ORDER BY project")) {
      s.setString(1, id.value());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(r.getString(1) + " " + Instants.fromNanos(r.getLong(2)) + " " + r.getBoolean(3));
        }
      }
    }
    return out;
  }

  private static List<String> rows(ImageId id) throws SQLException {
    return memberRows(SCHEMA, id);
  }

  /** The ids the consumer's accepted shared images list answers, in the default order. */
  private List<ImageId> consumersList() {
    List<ImageId> ids = new ArrayList<>();
    catalog.query(CatalogQuery.builder().project(CONSUMER).memberStatus(MemberStatus.ACCEPTED)
        .limit(100).build()).forEach(i -> ids.add(i.id()));
    return ids;
  }

  private Image replace(Image stored, Image replacement) {
    return catalog.compareAndSet(stored.version(), replacement).orElseThrow();
  }

  @Test
  void memberRowsFollowTheirImageThroughEveryWrite() throws SQLException {
    Image image = catalog.insert(shared(1, T0));
    assertThat(rows(image.id())).as("an insert writes the copies with the member rows")
        .containsExactly("consumer " + T0 + " true");
    assertThat(consumersList()).containsExactly(image.id());

    Image hidden = replace(image, image.toBuilder().visibility(Visibility.PRIVATE).build());
    assertThat(rows(image.id())).as("an image no longer shared is not listed by its members")
        .containsExactly("consumer " + T0 + " false");
    assertThat(consumersList()).isEmpty();

    Instant later = T0.plusSeconds(60);
    ProjectId other = ProjectId.of("other");
    Image reshared = replace(hidden, hidden.toBuilder().visibility(Visibility.SHARED)
        .createdAt(later)
        .putMembers(other, Member.pending(image.id(), other, later)).build());
    assertThat(rows(image.id()))
        .as("shared again, and a created_at the catalog is given moves every member row's copy")
        .containsExactly("consumer " + later + " true", "other " + later + " true");
    assertThat(consumersList()).containsExactly(image.id());

    Image killed = replace(reshared, reshared.toBuilder().status(ImageStatus.KILLED).build());
    assertThat(rows(image.id())).as("a killed image is listed by no one")
        .containsExactly("consumer " + later + " false", "other " + later + " false");
    Image active = replace(killed, killed.toBuilder().status(ImageStatus.ACTIVE).build());
    assertThat(rows(image.id())).containsExactly("consumer " + later + " true",
        "other " + later + " true");

    catalog.delete(image.id(), active.version(), ImageStatus.PENDING_DELETE, later);
    assertThat(rows(image.id())).as("a pending delete keeps its members, unlisted")
        .containsExactly("consumer " + later + " false", "other " + later + " false");
    assertThat(consumersList()).isEmpty();

    catalog.undelete(image.id(), later.plusSeconds(1));
    assertThat(rows(image.id())).as("a restore lists the image to its members again")
        .containsExactly("consumer " + later + " true", "other " + later + " true");
    assertThat(consumersList()).containsExactly(image.id());
  }

  @Test
  void theMigrationFillsInTheCopiesOfExistingMemberRows() throws SQLException {
    String schema = "member_listing_v6";
    try (Connection c = TestDatabase.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    Flyway.configure(JdbcStore.class.getClassLoader())
        .dataSource(TestDatabase.dataSource())
        .schemas(schema)
        .defaultSchema(schema)
        .table("imagegov_schema_history")
        .locations("classpath:dev/imagegov/store/jdbc/migration")
        .target("6")
        .load()
        .migrate();
    Image listed = shared(1, T0);
    Image unlisted = shared(2, T0.plusSeconds(1));
    try (Connection c = TestDatabase.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // Rows as version 6 wrote them: a shared image and a private one, each with a member.
      for (Image i : List.of(listed, unlisted)) {
        long created = Instants.toNanos(i.createdAt());
        s.execute("INSERT INTO " + schema + ".image (id, status, visibility, owner, protected,"
            + " os_hidden, min_disk, min_ram, tags, created_at, updated_at, version) VALUES ('"
            + i.id() + "', 'active', '" + (i == listed ? "shared" : "private") + "', 'owner',"
            + " false, false, 0, 0, ARRAY[]::text[], " + created + ", " + created + ", 1)");
        s.execute("INSERT INTO " + schema + ".image_member (image_id, project, status,"
            + " created_at, updated_at) VALUES ('" + i.id() + "', 'consumer', 'accepted', "
            + created + ", " + created + ")");
      }
    }
    try (JdbcStore migrated = JdbcStore.open(TestDatabase.dataSource(),
        JdbcStoreOptions.builder().schema(schema).build())) {
      assertThat(memberRows(schema, listed.id())).containsExactly("consumer " + T0 + " true");
      assertThat(memberRows(schema, unlisted.id()))
          .containsExactly("consumer " + T0.plusSeconds(1) + " false");
      List<ImageId> ids = new ArrayList<>();
      migrated.catalog().query(CatalogQuery.builder().project(CONSUMER)
          .memberStatus(MemberStatus.ACCEPTED).limit(10).build()).forEach(i -> ids.add(i.id()));
      assertThat(ids).as("the migrated member rows are read by the member source")
          .containsExactly(listed.id());
    } finally {
      try (Connection c = TestDatabase.dataSource().getConnection();
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA " + schema + " CASCADE");
      }
    }
  }
}
