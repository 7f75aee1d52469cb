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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.junit.jupiter.api.Test;

/**
 * Database failures reach callers as {@link GovernanceException}s with stable codes, never as
 * {@code SQLException}s, and change nothing: a closed store, an unreachable server, a damaged
 * schema, a transaction refused as a serialization failure (retried), a connection lost while
 * committing (not retried: its outcome is unknown), a connection the server ended (a read is
 * retried on a new one; a write is not, and says its outcome is unknown). Faults are injected by a
 * {@code DataSource} that fails the first commits of a real server's connections, so the server
 * itself rolls the transactions back, or has the server end them ({@code pg_terminate_backend}).
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

  @Test
  void aReadWhoseConnectionTheServerEndedIsRetriedOnAnother() {
    EndedConnections source = new EndedConnections(1);
    JdbcStore store = JdbcStore.open(source,
        JdbcStoreOptions.builder().schema("failure_ended_read").maxAttempts(3).build());
    store.catalog().clear();
    Image stored = store.catalog().insert(image(1));
    source.arm();
    assertThat(store.catalog().find(stored.id())).as("read again on a new connection")
        .contains(stored);
    assertThat(source.ended.get()).as("the server ended one connection").isEqualTo(1);
  }

  @Test
  void aReadWhoseConnectionsTheServerKeepsEndingIsUnavailable() {
    EndedConnections source = new EndedConnections(3);
    JdbcStore store = JdbcStore.open(source,
        JdbcStoreOptions.builder().schema("failure_ended_reads").maxAttempts(3).build());
    store.catalog().clear();
    Image stored = store.catalog().insert(image(1));
    source.arm();
    GovernanceException e = refusal(() -> store.catalog().find(stored.id()));
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_UNAVAILABLE);
    assertThat(e.getMessage()).contains("nothing changed");
    assertThat(e).hasCauseInstanceOf(SQLException.class);
    assertThat(source.ended.get()).as("one connection per attempt").isEqualTo(3);
  }

  @Test
  void aWriteWhoseConnectionTheServerEndedIsNotRetriedAndSaysTheOutcomeIsUnknown() {
    EndedConnections source = new EndedConnections(1);
    JdbcStore store = JdbcStore.open(source,
        JdbcStoreOptions.builder().schema("failure_ended_write").maxAttempts(3).build());
    store.catalog().clear();
    Image stored = store.catalog().insert(image(1));
    source.arm();
    GovernanceException e = refusal(() -> store.catalog().compareAndSet(stored.version(),
        stored.toBuilder().putProperties("k2", "w").build().withVersion(stored.version() + 1)));
    assertThat(e.code()).isEqualTo(StoreErrorCode.CATALOG_UNAVAILABLE);
    assertThat(e.getMessage()).contains("unknown");
    assertThat(source.ended.get()).as("a write is not sent again").isEqualTo(1);
    assertThat(store.catalog().find(stored.id())).as("the server never had the update")
        .contains(stored);
  }

  /**
   * A real server's connections (unpooled), each passed through {@link #before} ahead of every
   * call on it.
   */
  abstract static class InterceptedConnections implements DataSource {
    final DataSource real = TestDatabase.dataSource();
    volatile boolean armed;

    /** Starts intercepting. */
    void arm() {
      armed = true;
    }

    /** Runs before {@code method} is called on {@code c} while armed; may throw. */
    abstract void before(Connection c, String method) throws SQLException;

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = real.getConnection();
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            if (armed) {
              before(c, method.getName());
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

  /**
   * The test server's connections, whose first {@code failures} commits after {@link #arm()}
   * roll back and throw an {@code SQLException} with {@code state}.
   */
  static final class FailingCommits extends InterceptedConnections {
    private final String state;
    private final int failures;
    final AtomicInteger commits = new AtomicInteger();

    FailingCommits(String state, int failures) {
      this.state = state;
      this.failures = failures;
    }

    @Override
    void arm() {
      commits.set(0);
      super.arm();
    }

    @Override
    void before(Connection c, String method) throws SQLException {
      if (method.equals("commit") && commits.incrementAndGet() <= failures) {
        c.rollback();
        throw new SQLException("injected failure " + state, state);
      }
    }
  }

  /**
   * The test server's connections, the first {@code count} of which after {@link #arm()} the
   * server itself ends ({@code pg_terminate_backend}, which waits until the backend has exited)
   * as a statement is being prepared on them, before it is sent: a real lost connection, which
   * the driver discovers when it sends the statement.
   */
  static final class EndedConnections extends InterceptedConnections {
    private final int count;
    final AtomicInteger ended = new AtomicInteger();

    EndedConnections(int count) {
      this.count = count;
    }

    @Override
    void before(Connection c, String method) throws SQLException {
      if (!method.equals("prepareStatement") || ended.get() >= count) {
        return;
      }
      int pid = c.unwrap(PGConnection.class).getBackendPID();
      try (Connection admin = real.getConnection();
          PreparedStatement end = admin.prepareStatement("SELECT pg_terminate_backend(?, 60000)")) {
        end.setInt(1, pid);
        try (ResultSet r = end.executeQuery()) {
          r.next();
          if (!r.getBoolean(1)) {
            throw new IllegalStateException("the server did not end backend " + pid);
          }
        }
      }
      ended.incrementAndGet();
    }
  }
}
