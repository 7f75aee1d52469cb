package dev.imagegov.data;

import java.io.IOException;

/**
 * Thrown by a download stream at its end when the bytes read do not match what the catalog
 * records for the image: fewer bytes than its size, or (in verification mode) a checksum or
 * multihash that differs. The bytes already returned must be discarded.
 */
public final class DataCorruptionException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception whose message names the image, the store and what differed.
   *
   * @param message what was wrong, for the caller to read
   */
  public DataCorruptionException(String message) {
    super(message);
  }
}
