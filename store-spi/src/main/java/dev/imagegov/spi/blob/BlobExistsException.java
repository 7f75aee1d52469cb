package dev.imagegov.spi.blob;

import java.io.IOException;

/** A write named a key that already holds a blob; the write changed nothing. */
public final class BlobExistsException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception naming the store and key.
   *
   * @param message what was wrong, for the caller to read
   */
  public BlobExistsException(String message) {
    super(message);
  }
}
