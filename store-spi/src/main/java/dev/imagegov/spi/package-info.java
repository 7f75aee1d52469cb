/**
 * The store SPI: the {@link dev.imagegov.spi.Catalog} port that stores implement, the pushed-down
 * {@link dev.imagegov.spi.CatalogQuery} and its reference semantics {@link
 * dev.imagegov.spi.QueryEvaluator}.
 */
@NullMarked
@ValueStyle
package dev.imagegov.spi;

import dev.imagegov.model.ValueStyle;
import org.jspecify.annotations.NullMarked;
