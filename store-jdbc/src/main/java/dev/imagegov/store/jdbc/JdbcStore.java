package dev.imagegov.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL database opened for imagegov: the {@link JdbcCatalog} and the {@link
 * JdbcUsageStore} on one schema. Every application node opens its own {@code JdbcStore} on the
 * same database and schema; together they hold one catalog and one set of quotas.
 *
 * <pre>{@code
 * JdbcStore store = JdbcStore.open(JdbcStoreOptions.builder()
 *     .jdbcUrl("jdbc:postgresql://db:5432/imagegov").user("imagegov").password(secret)
 *     .build());
 * ImageGovernance governance = ImageGovernance.builder()
 *     .catalog(store.catalog()).usage(store.usage()).blobStore(...).build();
 * }</pre>
 *
 * <p>Opening applies the schema migrations this library ships (Flyway, history table {@code
 * imagegov_schema_history} in the schema), unless {@link JdbcStoreOptions#migrate()} is off, in
 * which case it only validates them. {@link #close()} closes the pool the store built (never a
 * {@code DataSource} it was given); calls after it answer {@link StoreErrorCode#CATALOG_UNAVAILABLE}.
 */
public final class JdbcStore implements AutoCloseable {
  private final Database db;
  private final @Nullable HikariDataSource ownPool;
  private final JdbcCatalog catalog;
  private final JdbcUsageStore usage;

  private JdbcStore(DataSource dataSource, @Nullable HikariDataSource ownPool,
      JdbcStoreOptions options) {
    this.db = new Database(dataSource, options.maxAttempts(), ownPool != null);
    this.ownPool = ownPool;
    ImageRows rows = new ImageRows(options.schema());
    this.catalog = new JdbcCatalog(db, rows);
    this.usage = new JdbcUsageStore(db, rows, options.clock(), options.leaseDuration());
  }

  /**
   * Opens the database {@link JdbcStoreOptions#jdbcUrl()} names, with a pool of its own.
   *
   * @param options the JDBC URL, credentials, pool and schema options
   * @return the open store, owning its pool
   * @throws ConfigurationException without a JDBC URL;
   *     {@link StoreErrorCode#CATALOG_UNAVAILABLE} if the database cannot be reached; {@link
   *     StoreErrorCode#CATALOG_FORMAT_UNSUPPORTED} if its schema does not match this library's
   *     migrations
   */
  public static JdbcStore open(JdbcStoreOptions options) {
    Objects.requireNonNull(options, "options");
    String url = options.jdbcUrl().orElseThrow(() -> new ConfigurationException("A PostgreSQL store needs a jdbcUrl (or a DataSource)."));
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    options.user().ifPresent(config::setUsername);
    options.password().ifPresent(config::setPassword);
    config.setMaximumPoolSize(options.maximumPoolSize());
    config.setConnectionTimeout(options.connectionTimeout().toMillis());
    config.setPoolName("imagegov-" + options.schema());
    // The store commits itself; its connections are READ COMMITTED (what writes need) unless a
    // snapshot read sets REPEATABLE READ, which the pool resets when the connection comes back.
    config.setAutoCommit(false);
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    // Fail at the first use rather than at open when the database is down: migrate reports it.
    config.setInitializationFailTimeout(-1);
    HikariDataSource pool = new HikariDataSource(config);
    try {
      return open(pool, pool, options);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Opens the database of {@code dataSource}, which the caller keeps and closes.
   *
   * @param dataSource where connections come from; the caller keeps and closes it
   * @param options the schema and lease options (the pool options are ignored)
   * @return the open store on the caller's data source
   * @throws GovernanceException as {@link #open(JdbcStoreOptions)}
   */
  public static JdbcStore open(DataSource dataSource, JdbcStoreOptions options) {
    return open(Objects.requireNonNull(dataSource, "dataSource"), null,
        Objects.requireNonNull(options, "options"));
  }

  private static JdbcStore open(DataSource dataSource, @Nullable HikariDataSource ownPool,
      JdbcStoreOptions options) {
    migrate(dataSource, options);
    return new JdbcStore(dataSource, ownPool, options);
  }

  private static void migrate(DataSource dataSource, JdbcStoreOptions options) {
    Flyway flyway = Flyway.configure(JdbcStore.class.getClassLoader())
        .dataSource(dataSource)
        .schemas(options.schema())
        .defaultSchema(options.schema())
        .table("imagegov_schema_history")
        .locations("classpath:dev/imagegov/store/jdbc/migration")
        .load();
    try {
      if (options.migrate()) {
        flyway.migrate();
      } else {
        flyway.validate();
      }
    } catch (FlywayException e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof java.sql.SQLException)) {
        cause = cause.getCause();
      }
      if (cause != null && Database.classify((java.sql.SQLException) cause)
          == Database.Failure.CONNECTION) {
        throw GovernanceException.of(StoreErrorCode.CATALOG_UNAVAILABLE,
            "PostgreSQL could not be reached to check the schema " + options.schema() + ": "
                + cause.getMessage(), e);
      }
      throw GovernanceException.of(StoreErrorCode.CATALOG_FORMAT_UNSUPPORTED,
          "The schema " + options.schema() + " does not match imagegov's migrations: "
              + e.getMessage(), e);
    }
  }

  /** {@return the catalog on this database} */
  public JdbcCatalog catalog() {
    return catalog;
  }

  /** {@return the usage store on this database} */
  public JdbcUsageStore usage() {
    return usage;
  }

  /** The pool this store built, if it built one. */
  Optional<DataSource> ownPool() {
    return Optional.ofNullable(ownPool);
  }

  /** Closes the store, and the pool it built. */
  @Override
  public void close() {
    db.close();
    if (ownPool != null) {
      ownPool.close();
    }
  }
}
