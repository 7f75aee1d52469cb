/**
 * The store SPI: the {@link dev.imagegov.spi.Catalog} port that stores implement, the pushed-down
 * {@link dev.imagegov.spi.CatalogQuery} and its reference semantics {@link
 * dev.imagegov.spi.QueryEvaluator}.
 *
 * <p>The generated {@code Immutable*} types of this package carry no classpath annotation (in
 * particular not {@code org.immutables.value.Generated}, absent from an application's class path):
 * {@code allowedClasspathAnnotations} names only {@link Override}, which is never placed on a type.
 */
@NullMarked
@ValueStyle
package dev.imagegov.spi;

import dev.imagegov.model.ValueStyle;
import org.jspecify.annotations.NullMarked;
