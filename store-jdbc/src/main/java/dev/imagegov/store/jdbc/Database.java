package dev.imagegov.store.jdbc;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import javax.sql.DataSource;

/**
 * Runs units of work in transactions, the one place SQL errors become {@link
 * GovernanceException}s. A read of several statements runs in a read-only {@code REPEATABLE
 * READ} transaction (one snapshot for all its statements, so a reader never sees an image half
 * changed); a write runs in {@code READ COMMITTED}, where its conditional updates and row locks
 * decide races. A unit of work of one statement ({@link #readStatement}, {@link
 * #writeStatement}) runs in autocommit: the statement is its own transaction, with its own
 * snapshot, and costs one round trip to the server instead of the three or more of an explicit
 * transaction (its isolation, its {@code BEGIN}, its {@code COMMIT}).
 *
 * <p>When the store built the pool, its connections are already {@code READ COMMITTED} (the
 * pool's default) and a write does not set it again; on a caller's data source every
 * transaction sets its isolation.
 *
 * <p>A transaction the database refused as a serialization failure ({@code 40001}) or deadlock
 * ({@code 40P01}) was rolled back and is run again, up to {@code maxAttempts} times in all, then
 * answered {@link StoreErrorCode#CATALOG_CONTENDED}. A lost connection is retried the same way for a
 * read, and for a write only when no statement had been sent yet; a write that lost its
 * connection after that is answered {@link StoreErrorCode#CATALOG_UNAVAILABLE} saying its outcome is
 * unknown (it may have committed). Any other SQL error is {@link StoreErrorCode#CATALOG_FAILED} with
 * its SQLSTATE.
 */
final class Database {
  /** One unit of work on a connection inside a transaction. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /** How a unit of work runs. */
  private enum Mode {
    /** Several reads in one read-only {@code REPEATABLE READ} transaction. */
    SNAPSHOT(true),
    /** One read statement in autocommit. */
    READ_STATEMENT(true),
    /** Reads and writes in one {@code READ COMMITTED} transaction. */
    TRANSACTION(false),
    /** One write statement in autocommit. */
    WRITE_STATEMENT(false);

    final boolean readOnly;

    Mode(boolean readOnly) {
      this.readOnly = readOnly;
    }
  }

  private final DataSource dataSource;
  private final int maxAttempts;
  private final boolean readCommittedByDefault;
  private volatile boolean closed;

  /**
   * A database on {@code dataSource}; {@code readCommittedByDefault} when its connections start
   * {@code READ COMMITTED} and the work leaves them so (a pool the store configured).
   */
  Database(DataSource dataSource, int maxAttempts, boolean readCommittedByDefault) {
    this.dataSource = dataSource;
    this.maxAttempts = maxAttempts;
    this.readCommittedByDefault = readCommittedByDefault;
  }

  void close() {
    closed = true;
  }

  /** Runs {@code work} as a read-only snapshot; {@code what} names it in failures. */
  <T> T read(String what, Work<T> work) {
    return run(what, Mode.SNAPSHOT, work);
  }

  /**
   * Runs {@code work}, which sends one read statement, in autocommit; {@code what} names it in
   * failures.
   */
  <T> T readStatement(String what, Work<T> work) {
    return run(what, Mode.READ_STATEMENT, work);
  }

  /** Runs {@code work} as a read-write transaction; {@code what} names it in failures. */
  <T> T write(String what, Work<T> work) {
    return run(what, Mode.TRANSACTION, work);
  }

  /**
   * Runs {@code work}, whose changes are one statement (a refusal may read once more after it),
   * in autocommit; {@code what} names it in failures.
   */
  <T> T writeStatement(String what, Work<T> work) {
    return run(what, Mode.WRITE_STATEMENT, work);
  }

  private <T> T run(String what, Mode mode, Work<T> work) {
    boolean readOnly = mode.readOnly;
    for (int attempt = 1; ; attempt++) {
      if (closed) {
        throw GovernanceException.of(
            StoreErrorCode.CATALOG_UNAVAILABLE, "The PostgreSQL store is closed (" + what + ").");
      }
      boolean connected = false;
      try (Connection c = dataSource.getConnection()) {
        connected = true;
        boolean statement = mode == Mode.READ_STATEMENT || mode == Mode.WRITE_STATEMENT;
        c.setAutoCommit(statement);
        if (mode == Mode.SNAPSHOT) {
          c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
          c.setReadOnly(true);
        } else if (!readCommittedByDefault) {
          c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        try {
          T result = work.run(c);
          if (!statement) {
            c.commit();
          }
          return result;
        } catch (SQLException | RuntimeException | Error e) {
          if (!statement) {
            rollbackQuietly(c, e);
          }
          throw e;
        }
      } catch (SQLException e) {
        Failure failure = classify(e);
        boolean retry =
            failure == Failure.CONTENTION
                || (failure == Failure.CONNECTION && (readOnly || !connected));
        if (retry && attempt < maxAttempts) {
          continue;
        }
        throw translate(what, failure, readOnly || !connected, attempt, e);
      }
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  /** What kind of failure an SQL exception is. */
  enum Failure { CONTENTION, CONNECTION, OTHER }

  static Failure classify(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return Failure.CONNECTION;
      }
      if (t instanceof SQLException) {
        String state = ((SQLException) t).getSQLState();
        if (state == null) {
          continue;
        }
        if (state.equals("40001") || state.equals("40P01")) {
          return Failure.CONTENTION;
        }
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
            || state.equals("57P03") || state.equals("53300")) {
          return Failure.CONNECTION;
        }
      }
    }
    return Failure.OTHER;
  }

  static GovernanceException translate(
      String what, Failure failure, boolean nothingChanged, int attempts, SQLException e) {
    String state = e.getSQLState() == null ? "none" : e.getSQLState();
    switch (failure) {
      case CONTENTION:
        return GovernanceException.of(StoreErrorCode.CATALOG_CONTENDED,
            "PostgreSQL refused " + what + " as a serialization failure or deadlock "
                + attempts + " times (SQLSTATE " + state + "); nothing changed, try again.", e);
      case CONNECTION:
        return GovernanceException.of(StoreErrorCode.CATALOG_UNAVAILABLE,
            "PostgreSQL could not be reached for " + what + " (SQLSTATE " + state + ": "
                + e.getMessage() + ")"
                + (nothingChanged ? "; nothing changed." : "; whether the change committed is unknown."),
            e);
      default:
        return GovernanceException.of(StoreErrorCode.CATALOG_FAILED,
            "PostgreSQL refused " + what + " (SQLSTATE " + state + "): " + e.getMessage(), e);
    }
  }
}
