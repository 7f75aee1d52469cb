/**
 * The JSON codec of the model for stores: {@link dev.imagegov.spi.codec.ImageCodec} encodes and
 * decodes images (with their members), members and tombstones with an exact round trip, so that
 * a store of your own persists the model without writing a codec. The file store uses it for its
 * journal and snapshots.
 */
@NullMarked
package dev.imagegov.spi.codec;

import org.jspecify.annotations.NullMarked;
