package dev.imagegov.spi.blob;

import java.io.IOException;

/**
 * A write was offered more than its {@code maxBytes}; it stopped reading at the first byte over
 * the limit and left nothing behind.
 */
public final class BlobTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The byte limit the write exceeded. */
  private final long limit;

  /**
   * An exception for a write limited to {@code limit} bytes.
   *
   * @param limit the byte limit the write exceeded
   */
  public BlobTooLargeException(long limit) {
    super("the data is larger than the limit of " + limit + " bytes");
    this.limit = limit;
  }

  /** {@return the limit that was exceeded, in bytes} */
  public long limit() {
    return limit;
  }
}
