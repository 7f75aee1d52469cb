package dev.imagegov.store.jdbc;

import dev.imagegov.error.ConfigurationException;
import dev.imagegov.error.StoreErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * How a {@link JdbcStore} connects and runs: the database (a JDBC URL and credentials, used when
 * the store builds its own pool), the schema its tables live in, whether opening migrates the
 * schema, how long a reservation's lease lasts, how often a transaction refused as a
 * serialization failure or deadlock is retried, and the clock that dates leases.
 */
@Value.Immutable
public abstract class JdbcStoreOptions {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /**
   * {@return the JDBC URL, e.g. {@code jdbc:postgresql://db:5432/imagegov}; needed to build a pool}
   */
  public abstract Optional<String> jdbcUrl();

  /** {@return the database user, if any} */
  public abstract Optional<String> user();

  /** {@return the database user's password, if any} */
  @Value.Redacted
  public abstract Optional<String> password();

  /** {@return the largest number of connections the store's own pool opens; at least 1} */
  @Value.Default
  public int maximumPoolSize() {
    return 10;
  }

  /**
   * {@return how long a caller waits for a pooled connection before the store answers unavailable}
   */
  @Value.Default
  public Duration connectionTimeout() {
    return Duration.ofSeconds(10);
  }

  /**
   * The schema holding the tables (lower-case letters, digits and underscores, created if
   * needed); several catalogs can share one database in different schemas.
   *
   * @return the schema name
   */
  @Value.Default
  public String schema() {
    return "imagegov";
  }

  /**
   * Whether opening applies the schema migrations this library ships (Flyway; safe to run from
   * several nodes at once, it takes a lock). Off, opening only checks that the schema is at the
   * version this library expects.
   *
   * @return {@code true} to create or upgrade the schema on opening
   */
  @Value.Default
  public boolean migrate() {
    return true;
  }

  /**
   * How long a reservation holds its amounts without a call on it. Every call on a reservation
   * renews its lease; a reservation whose lease expired (its node died, or went silent longer
   * than this) no longer counts against any limit, and holds nothing when its node comes back.
   * Choose it well above the longest pause between two calls of an upload (core grows the
   * reservation as data streams in) plus the clock skew between nodes.
   *
   * @return how long a reservation's lease lasts without being renewed
   */
  @Value.Default
  public Duration leaseDuration() {
    return Duration.ofMinutes(10);
  }

  /**
   * How many times a transaction the database refused as a serialization failure or deadlock is
   * run in all before the store answers {@link StoreErrorCode#CATALOG_CONTENDED};
   * at least 1. (Fully qualified: Immutables copies this comment into the generated class, which
   * lacks the import.)
   *
   * @return the largest number of attempts of one operation, at least 1
   */
  @Value.Default
  public int maxAttempts() {
    return 5;
  }

  /** {@return the clock that dates leases; nodes sharing a database need clocks in step (NTP)} */
  @Value.Default
  public Clock clock() {
    return Clock.systemUTC();
  }

  /** {@return the default options (no JDBC URL: give the store a {@code DataSource})} */
  public static JdbcStoreOptions defaults() {
    return builder().build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  void check() {
    if (!SCHEMA.matcher(schema()).matches()) {
      throw invalid("schema must be lower-case letters, digits and underscores, not '"
          + schema() + "'");
    }
    if (maximumPoolSize() < 1) {
      throw invalid("maximumPoolSize must be at least 1, not " + maximumPoolSize());
    }
    if (maxAttempts() < 1) {
      throw invalid("maxAttempts must be at least 1, not " + maxAttempts());
    }
    if (leaseDuration().isNegative() || leaseDuration().isZero()) {
      throw invalid("leaseDuration must be positive, not " + leaseDuration());
    }
    if (connectionTimeout().toMillis() < 250) {
      throw invalid("connectionTimeout must be at least 250 ms, not " + connectionTimeout());
    }
  }

  private static ConfigurationException invalid(String message) {
    return new ConfigurationException(message);
  }

  /** {@return a builder holding this value's attributes} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * A builder of {@code JdbcStoreOptions}: set attributes, then {@code build()}, which checks the
   * value. Not thread-safe.
   */
  public static final class Builder extends ImmutableJdbcStoreOptions.Builder {
    Builder() {}
  }
}
