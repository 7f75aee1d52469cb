package dev.imagegov.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Database failures reach callers as {@link GovernanceException}s with stable codes, never as
 * {@code SQLException}s, and change nothing: a closed store, an unreachable server, a damaged
 * schema, a transaction refused as a serialization failure (retried), a connection lost while
 * committing (not retried: its outcome is unknown). Faults are injected by a {@code DataSource}
 * that fails the first commits of a real server's connections, so the server itself rolls the
 * transactions back.
 */
class JdbcStoreFailureTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Image image(long n) {
    return Image.builder()
        .id(ImageId.of(new UUID(7, n)))
        .owner(ProjectId.of("p"))
        .status(ImageStatus.QUEUED)
        .putProperties("k", "v")
        .createdAt(T0)
        .updatedAt(T0)
        .build();
  }

  private static GovernanceException refusal(Runnable call) {
    return catchThrowableOfType(GovernanceException.class, call::run);
  }

  @Test
  void aClosedStoreIsUnavailable() {
    JdbcStore store = JdbcStore.open(TestDatabase.options("failure_closed").build());
    store.close();
    assertThat(refusal(() -> store.catalog().find(image(1).id())).code())
        .isEqualTo(StoreErrorCode.CATALOG_UNAVAILABLE);
    assertThat(refusal(() -> store.usage().snapshot(ProjectId.of("p"))).code())
        .isEqualTo(StoreErrorCode.CATALOG_UNAVAILABLE);
  }

  @Test
  void anUnreachableServerIsUnavailableWhenOpening() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    JdbcStoreOptions options = JdbcStoreOptions.builder()
        .jdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres")
        .connectionTimeout(Duration.ofMillis(250))
        .build();
    GovernanceException e = refusal(() -> JdbcStore.open(options));
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_UNAVAILABLE);
    assertThat(e.getMessage()).contains("could not be reached");
  }

  @Test
  void badOptionsAreAnInvalidConfiguration() {
    assertThatThrownBy(() -> JdbcStoreOptions.builder().schema("Bad-Name").build())
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> JdbcStore.open(JdbcStoreOptions.defaults()))
        .as("a store without a JDBC URL or DataSource")
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void aSchemaNotMigratedIsRefusedWhenMigrationIsOff() {
    GovernanceException e = refusal(() -> JdbcStore.open(TestDatabase.dataSource(),
        JdbcStoreOptions.builder().schema("failure_unmigrated").migrate(false).build()));
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_FORMAT_UNSUPPORTED);
  }

  @Test
  void aDamagedSchemaIsAFailureWithItsSqlStateAndChangesNothing() throws Exception {
    JdbcStore store = JdbcStore.open(TestDatabase.dataSource(),
        JdbcStoreOptions.builder().schema("failure_damaged").build());
    try (Connection c = TestDatabase.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE failure_damaged.image_property");
    }
    GovernanceException e = refusal(() -> store.catalog().insert(image(1)));
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_FAILED);
    assertThat(e.getMessage()).contains("42P01");
    assertThat(store.catalog().isKnown(image(1).id()))
        .as("the image row of the failed insert was rolled back")
        .isFalse();
  }

  @Test
  void aSerializationFailureIsRetried() {
    FailingCommits source = new FailingCommits("40001", 2);
    JdbcStore store = JdbcStore.open(source,
        JdbcStoreOptions.builder().schema("failure_retry").maxAttempts(3).build());
    store.catalog().clear();
    source.arm();
    Image stored = store.catalog().insert(image(1));
    assertThat(source.commits.get()).as("two refused commits, then one that held").isEqualTo(3);
    assertThat(store.catalog().find(stored.id())).contains(stored);
    assertThat(store.catalog().size()).as("inserted once").isEqualTo(1);
  }

  @Test
  void aSerializationFailureBeyondTheAttemptsIsContendedAndChangesNothing() {
    FailingCommits source = new FailingCommits("40P01", 3);
    JdbcStore store = JdbcStore.open(source,
        JdbcStoreOptions.builder().schema("failure_contended").maxAttempts(3).build());
    store.catalog().clear();
    source.arm();
    GovernanceException e = refusal(() -> store.catalog().insert(image(1)));
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_CONTENDED);
    assertThat(store.catalog().isKnown(image(1).id())).isFalse();
  }

  @Test
  void aConnectionLostWhileCommittingAWriteIsNotRetriedAndSaysTheOutcomeIsUnknown() {
    FailingCommits source = new FailingCommits("08006", 1);
    JdbcStore store = JdbcStore.open(source,
        JdbcStoreOptions.builder().schema("failure_lost").maxAttempts(3).build());
    store.catalog().clear();
    source.arm();
    GovernanceException e = refusal(() -> store.catalog().insert(image(1)));
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_UNAVAILABLE);
    assertThat(e.getMessage()).contains("unknown");
    assertThat(source.commits.get()).as("a write is not sent twice").isEqualTo(1);
  }

  /**
   * The test server's connections, whose first {@code failures} commits after {@link #arm()}
   * roll back and throw an {@code SQLException} with {@code state}.
   */
  static final class FailingCommits implements DataSource {
    private final DataSource real = TestDatabase.dataSource();
    private final String state;
    private final int failures;
    final AtomicInteger commits = new AtomicInteger();
    private volatile boolean armed;

    FailingCommits(String state, int failures) {
      this.state = state;
      this.failures = failures;
    }

    void arm() {
      commits.set(0);
      armed = true;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = real.getConnection();
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            if (armed && method.getName().equals("commit")
                && commits.incrementAndGet() <= failures) {
              c.rollback();
              throw new SQLException("injected failure " + state, state);
            }
            try {
              return method.invoke(c, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      throw new SQLException("not used");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() {
      return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
