/**
 * QuickTheories generators of imagegov values, behind entry classes: {@link
 * dev.imagegov.testkit.gen.Ids}, {@link dev.imagegov.testkit.gen.Projects}, {@link
 * dev.imagegov.testkit.gen.Callers}, {@link dev.imagegov.testkit.gen.Names}, {@link
 * dev.imagegov.testkit.gen.PropertyMaps}, {@link dev.imagegov.testkit.gen.Tags}, {@link
 * dev.imagegov.testkit.gen.Images}, {@link dev.imagegov.testkit.gen.Members}, {@link
 * dev.imagegov.testkit.gen.Catalogs}, {@link dev.imagegov.testkit.gen.CatalogHistories} (long
 * runs of catalog changes), {@link dev.imagegov.testkit.gen.Queries}, {@link
 * dev.imagegov.testkit.gen.Patches} (JSON-patch documents, valid and labelled invalid) and {@link
 * dev.imagegov.testkit.gen.Streams} (byte streams with their expected digests, {@link
 * dev.imagegov.testkit.gen.ByteStream}).
 *
 * <p>Every generator is built from QuickTheories primitives, so a failing property shrinks to small
 * values (low ids, the first project of the pool, empty maps), and describes its values readably in
 * the failure report. Constrained variants are immutable specs: each {@code withX} returns a new
 * spec, which is itself a {@link org.quicktheories.core.Gen}.
 */
@org.jspecify.annotations.NullMarked
package dev.imagegov.testkit.gen;
