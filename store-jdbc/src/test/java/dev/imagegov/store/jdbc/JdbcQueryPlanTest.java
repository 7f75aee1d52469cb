package dev.imagegov.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plans PostgreSQL chooses for pages of a large catalog ({@value #DEFAULT_IMAGES} images by
 * default; {@code -Dimagegov.plans.images=1000000} for the README's figures): every source of a
 * page is a range scan of a listing index in sort order that stops after the page, never a scan
 * of the table, whether the page is the first or one deep into the list. The plans are written
 * to {@code target/query-plans.txt}.
 */
class JdbcQueryPlanTest {
  private static final int DEFAULT_IMAGES = 50_000;
  private static final int IMAGES = Integer.getInteger("imagegov.plans.images", DEFAULT_IMAGES);
  private static final String SCHEMA = "plans";
  private static final Pattern ROWS = Pattern.compile(
      "(?:Index|Index Only) Scan(?: Backward)? using (\\w+) on image \\w+ \\(actual rows=(\\d+)");

  private static JdbcStore store;
  private static final StringBuilder REPORT = new StringBuilder();

  @BeforeAll
  static void fill() throws SQLException {
    store = JdbcStore.open(TestDatabase.dataSource(),
        JdbcStoreOptions.builder().schema(SCHEMA).build());
    store.catalog().clear();
    try (Connection c = TestDatabase.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // 10% public, 10% community, 30% shared (each with one accepted and one pending member of
      // 50 consumers), 50% private; 1000 owning projects, and one that owns a tenth of the
      // images (all private); one image a second; sizes and update times in another order than
      // creation (a permutation), one image in 20 queued with no size.
      s.execute("INSERT INTO " + SCHEMA + ".image (id, name, status, visibility, owner,"
          + " protected, os_hidden, min_disk, min_ram, tags, created_at, updated_at, version,"
          + " size)"
          + " SELECT md5(g::text)::uuid::text, 'image-' || g,"
          + " CASE WHEN g % 20 = 19 THEN 'queued' ELSE 'active' END,"
          + " CASE WHEN g % 10 = 0 THEN 'public' WHEN g % 10 = 1 THEN 'community'"
          + " WHEN g % 10 IN (2, 3, 4) THEN 'shared' ELSE 'private' END,"
          + " CASE WHEN g % 10 = 5 THEN 'big-owner' ELSE 'project-' || (g % 1000) END,"
          + " false, false, 0, 0, ARRAY['t' || (g % 7)],"
          + " g * 1000000000::bigint, (g::bigint * 7919 % " + IMAGES + ") * 1000000000::bigint, 1,"
          + " CASE WHEN g % 20 = 19 THEN NULL ELSE g::bigint * 104729 % 1000003 END"
          + " FROM generate_series(1, " + IMAGES + ") g");
      s.execute("INSERT INTO " + SCHEMA + ".image_member"
          + " (image_id, project, status, created_at, updated_at)"
          + " SELECT id, 'consumer-' || (created_at / 1000000000 % 50), 'accepted', created_at,"
          + " created_at FROM " + SCHEMA + ".image WHERE visibility = 'shared'"
          + " UNION ALL SELECT id, 'consumer-' || ((created_at / 1000000000 + 1) % 50),"
          + " 'pending', created_at, created_at FROM " + SCHEMA + ".image"
          + " WHERE visibility = 'shared'");
      s.execute("ANALYZE " + SCHEMA + ".image");
      s.execute("ANALYZE " + SCHEMA + ".image_member");
    }
  }

  @AfterAll
  static void writeReport() {
    try {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "query-plans.txt"), REPORT, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store.catalog().clear();
  }

  /** The plan of a page of {@code query}, run, with actual row counts. */
  private static String explain(String title, CatalogQuery query) throws SQLException {
    Optional<Image> marker = query.marker().flatMap(store.catalog()::find);
    String sql = store.catalog().pageSql(query, marker).orElseThrow();
    List<String> lines = new ArrayList<>();
    try (Connection c = TestDatabase.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql)) {
      while (r.next()) {
        lines.add(r.getString(1));
      }
    }
    String plan = String.join("\n", lines);
    REPORT.append("## ").append(title).append(" (").append(IMAGES).append(" images)\n\n")
        .append(sql).append("\n\n").append(plan).append("\n\n");
    return plan;
  }

  /** The page was read from listing indexes, no scan of any of them reading more than rows. */
  private static void assertBoundedIndexScans(String plan, int rows) {
    assertThat(plan).as("no sequential scan of the images\n%s", plan)
        .doesNotContain("Seq Scan on image");
    Matcher m = ROWS.matcher(plan);
    int scans = 0;
    while (m.find()) {
      scans++;
      assertThat(m.group(1)).as("a listing index\n%s", plan).matches("image_(list|sort)_.*");
      assertThat(Integer.parseInt(m.group(2)))
          .as("an index scan stops after the page\n%s", plan)
          .isLessThanOrEqualTo(rows);
    }
    assertThat(scans).as("the images are read by index scans\n%s", plan).isPositive();
  }

  /** The image created half-way through the catalog's history. */
  private static ImageId middle() throws SQLException {
    try (Connection c = TestDatabase.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM " + SCHEMA + ".image WHERE created_at = "
            + (IMAGES / 2) + " * 1000000000::bigint")) {
      r.next();
      return ImageId.of(r.getString(1));
    }
  }

  @Test
  void anAdminsFirstPageReadsOnePageOfTheIndex() throws SQLException {
    String plan = explain("An admin's first page",
        CatalogQuery.builder().seesAll(true).visibility(VisibilityFilter.ALL).build());
    assertBoundedIndexScans(plan, 25);
  }

  @Test
  void anOwnersDeepPageStartsAtTheMarker() throws SQLException {
    ProjectId owner = ProjectId.of("big-owner");
    List<Image> first = store.catalog().query(
        CatalogQuery.builder().project(owner).visibility(VisibilityFilter.PRIVATE).limit(40)
            .build());
    String plan = explain("An owner's page deep in the list (visibility=private, marker)",
        CatalogQuery.builder().project(owner).visibility(VisibilityFilter.PRIVATE)
            .marker(first.get(first.size() - 1).id()).build());
    assertBoundedIndexScans(plan, 25);
  }

  @Test
  void aConsumersFirstPageReadsAPagePerSource() throws SQLException {
    String plan = explain("A consumer's first page (public, owned, shared and accepted)",
        CatalogQuery.builder().project(ProjectId.of("consumer-3"))
            .memberStatus(MemberStatus.ACCEPTED).build());
    assertThat(plan).doesNotContain("Seq Scan on image ");
  }

  @Test
  void aConsumersDeepPageStartsAtTheMarker() throws SQLException {
    String plan = explain("A consumer's page after a marker half-way down the list",
        CatalogQuery.builder().project(ProjectId.of("consumer-3"))
            .memberStatus(MemberStatus.ACCEPTED).marker(middle()).build());
    assertThat(plan).doesNotContain("Seq Scan on image ");
  }

  @Test
  void anAdminsPageByEverySortKeyReadsOnePageOfItsIndex() throws SQLException {
    for (ImageField key : List.of(ImageField.NAME, ImageField.SIZE, ImageField.VIRTUAL_SIZE,
        ImageField.UPDATED_AT, ImageField.STATUS, ImageField.DISK_FORMAT)) {
      for (boolean ascending : new boolean[] {true, false}) {
        SortKey sort = ascending ? SortKey.asc(key) : SortKey.desc(key);
        String plan = explain("An admin's first page, sort " + sort,
            CatalogQuery.builder().seesAll(true).visibility(VisibilityFilter.ALL).addSort(sort)
                .build());
        assertBoundedIndexScans(plan, 25);
        assertThat(plan).as("sorted by %s from its index\n%s", sort, plan)
            .contains("image_sort_" + PageQuery.column(key));
      }
    }
  }

  @Test
  void anAdminsDeepPageBySizeStartsAtTheMarker() throws SQLException {
    CatalogQuery.Builder bySize = CatalogQuery.builder().seesAll(true)
        .visibility(VisibilityFilter.ALL).addSort(SortKey.desc(ImageField.SIZE));
    String plan = explain("An admin's page by size (desc) after a marker half-way down",
        bySize.marker(middle()).build());
    assertBoundedIndexScans(plan, 25);
  }

  @Test
  void anOwnersDeepPageByNameStartsAtTheMarker() throws SQLException {
    ProjectId owner = ProjectId.of("big-owner");
    CatalogQuery.Builder byName = CatalogQuery.builder().project(owner)
        .visibility(VisibilityFilter.PRIVATE).addSort(SortKey.asc(ImageField.NAME));
    List<Image> first = store.catalog().query(byName.limit(40).build());
    String plan = explain("An owner's page by name deep in the list (visibility=private, marker)",
        byName.limit(25).marker(first.get(first.size() - 1).id()).build());
    assertBoundedIndexScans(plan, 25);
    assertThat(plan).as("read in name order from a name index\n%s", plan)
        .containsPattern("Index Scan using image_sort_(owner_)?name");
  }

  @Test
  void aConsumersDeepPageByNameStartsAtTheMarker() throws SQLException {
    String plan = explain("A consumer's page by name after a marker half-way down the list",
        CatalogQuery.builder().project(ProjectId.of("consumer-3"))
            .memberStatus(MemberStatus.ACCEPTED).addSort(SortKey.asc(ImageField.NAME))
            .marker(middle()).build());
    assertThat(plan).doesNotContain("Seq Scan on image ")
        .as("the public and shared sources read in name order from the name index\n%s", plan)
        .containsPattern("Limit \\(actual rows=\\d+ loops=1\\)\\s+->  Index Scan using image_sort_name");
  }
}
