package dev.imagegov.store.file;

import dev.imagegov.spi.blob.BlobKey;
import java.util.Objects;

/**
 * The outcome of verifying one blob of a {@link FileBlobStore}: whether its bytes still match
 * the size and hashes recorded when it was written (and those a caller expected, if it gave
 * any), with a message saying what differs.
 *
 * @param key the blob
 * @param status the outcome
 * @param size the bytes the blob holds now
 * @param detail what was found, naming the first difference for a blob that is not intact
 */
public record BlobVerification(BlobKey key, Status status, long size, String detail) {
  /** What verification found. */
  public enum Status {
    /** The bytes match every recorded and expected size and hash. */
    INTACT,
    /** The bytes no longer match a recorded or expected size or hash: the blob is damaged. */
    CORRUPT,
    /**
     * The blob's hash record is missing or unreadable, so its bytes cannot be checked against
     * what was written (they were checked against expected hashes if a caller gave any).
     */
    UNRECORDED
  }

  /**
   * Checks the values.
   *
   * @param detail what differed, or empty when intact
   * @param key the blob checked
   * @param size the bytes the blob holds now
   * @param status what the check found
   */
  public BlobVerification {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** {@return whether the blob is {@link Status#INTACT}} */
  public boolean intact() {
    return status == Status.INTACT;
  }
}
