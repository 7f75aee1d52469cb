package dev.imagegov.spi.blob;

import java.io.IOException;

/** The store ran out of capacity during a write; the write left nothing behind. */
public final class StoreFullException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception naming the store.
   *
   * @param message what was wrong, for the caller to read
   */
  public StoreFullException(String message) {
    super(message);
  }
}
