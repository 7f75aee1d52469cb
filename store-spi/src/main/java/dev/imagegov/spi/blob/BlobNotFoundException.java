package dev.imagegov.spi.blob;

import java.io.IOException;

/** A read named a key that holds no blob in the store. */
public final class BlobNotFoundException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception naming the store and key.
   *
   * @param message what was wrong, for the caller to read
   */
  public BlobNotFoundException(String message) {
    super(message);
  }
}
