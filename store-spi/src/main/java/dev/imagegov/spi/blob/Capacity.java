package dev.imagegov.spi.blob;

/**
 * A store's capacity in bytes: {@link #total()} it can hold and {@link #used()} now (stored
 * blobs plus writes in progress). {@link #free()} is their difference, never negative.
 */
public record Capacity(long total, long used) {
  /**
   * Checks the values.
   *
   * @param total the bytes the store can hold, at least 0
   * @param used the bytes its blobs hold, at least 0
   */
  public Capacity {
    if (total < 0 || used < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + total + "/" + used);
    }
  }

  /**
   * Bytes that can still be written.
   *
   * @return {@code total - used}, never below 0
   */
  public long free() {
    return Math.max(0, total - used);
  }
}
