/**
 * The blob-store port: {@link dev.imagegov.spi.blob.BlobStore}, a named store of image data
 * that streams bytes in (hashing them on the way) and out (whole or by range).
 *
 * <p>Contents: the port {@link dev.imagegov.spi.blob.BlobStore} and its values {@link
 * dev.imagegov.spi.blob.BlobKey}, {@link dev.imagegov.spi.blob.HashSpec}, {@link
 * dev.imagegov.spi.blob.HashAlgorithm}, {@link dev.imagegov.spi.blob.BlobWriteResult}, {@link
 * dev.imagegov.spi.blob.Capacity}; the failures a store signals ({@link
 * dev.imagegov.spi.blob.BlobNotFoundException}, {@link
 * dev.imagegov.spi.blob.BlobExistsException}, {@link
 * dev.imagegov.spi.blob.BlobTooLargeException}, {@link
 * dev.imagegov.spi.blob.StoreFullException}); and the building blocks every store may reuse:
 * {@link dev.imagegov.spi.blob.BlobTransfer} (bounded, limited, hashed copying in chunks), {@link
 * dev.imagegov.spi.blob.BlobDigester} (MD5 plus the multihash, optionally on two threads) and
 * {@link dev.imagegov.spi.blob.DigestingInputStream}.
 */
@NullMarked
package dev.imagegov.spi.blob;

import org.jspecify.annotations.NullMarked;
