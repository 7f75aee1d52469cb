/**
 * The catalog and usage ports on PostgreSQL over JDBC, shared by many application nodes: {@link
 * dev.imagegov.store.jdbc.JdbcStore} opens a database (a HikariCP pool, or a given {@code
 * DataSource}), brings its schema up to date with Flyway, and hands out the {@link
 * dev.imagegov.store.jdbc.JdbcCatalog} and the {@link dev.imagegov.store.jdbc.JdbcUsageStore} on
 * it. The schema, the guarantees that hold across nodes and the query plans of a page are
 * described in the module's README.
 *
 * <p>The generated {@code Immutable*} types of this package carry no classpath annotation (see
 * {@link dev.imagegov.model.ValueStyle}).
 */
@NullMarked
@ValueStyle
package dev.imagegov.store.jdbc;

import dev.imagegov.model.ValueStyle;
import org.jspecify.annotations.NullMarked;
