package dev.imagegov.error;

/**
 * The codes a store raises: malformed ids and values the model refuses, a missing or duplicate
 * image, a lost compare-and-set, and the failures of a store's medium. The codes of core's rules
 * (policy, quotas, sharing, data checks) are core's {@code dev.imagegov.errors.RuleCode}. Codes
 * are part of the API: their names never change meaning.
 */
public enum StoreErrorCode implements ErrorCode {
  // bad request
  /** A value is malformed or out of range (a name too long, a bad format, a negative size). */
  INVALID_VALUE(ErrorKind.BAD_REQUEST),
  /** An image id is not a UUID. */
  INVALID_IMAGE_ID(ErrorKind.BAD_REQUEST),
  /** A list marker names no image. */
  INVALID_MARKER(ErrorKind.BAD_REQUEST),

  // not found
  /** No such image, or the caller may not see it. */
  IMAGE_NOT_FOUND(ErrorKind.NOT_FOUND),

  // conflict
  /** The image id exists already, or existed (ids of deleted images are never reused). */
  DUPLICATE_IMAGE_ID(ErrorKind.CONFLICT),
  /** The image changed since it was read (compare-and-set lost). */
  STALE_VERSION(ErrorKind.CONFLICT),
  /**
   * A restore or a finished deletion of an image that is not {@code pending_delete}: it is live,
   * its deletion is finished ({@code deleted}), or its catalog kept no image to restore.
   */
  IMAGE_NOT_PENDING_DELETE(ErrorKind.CONFLICT),

  // service unavailable
  /** A store failed to read or write data (its medium, not the request, is at fault). */
  STORE_FAILED(ErrorKind.SERVICE_UNAVAILABLE),
  /** A durable catalog's files are damaged; the message names the file and byte offset. */
  CATALOG_CORRUPT(ErrorKind.SERVICE_UNAVAILABLE),
  /** A durable catalog's files are in a format version this library does not read. */
  CATALOG_FORMAT_UNSUPPORTED(ErrorKind.SERVICE_UNAVAILABLE),
  /** Another process or catalog holds a durable catalog's lock; the message names the holder. */
  CATALOG_LOCKED(ErrorKind.SERVICE_UNAVAILABLE),
  /**
   * A durable catalog is closed, or failed after an I/O error and must be reopened; or a shared
   * database (catalog or usage) cannot be reached or lost its connection. The message says
   * whether a write's outcome is unknown.
   */
  CATALOG_UNAVAILABLE(ErrorKind.SERVICE_UNAVAILABLE),
  /**
   * A shared database kept refusing a transaction as a serialization failure or deadlock after
   * the store's retries; nothing changed, and the caller may try again.
   */
  CATALOG_CONTENDED(ErrorKind.SERVICE_UNAVAILABLE),
  /**
   * A shared database refused a statement for another reason (permissions, a missing or altered
   * schema, a full disk); the message carries the database's SQLSTATE.
   */
  CATALOG_FAILED(ErrorKind.SERVICE_UNAVAILABLE),
  /** Another process or store holds a durable blob store's lock; the message names the holder. */
  STORE_LOCKED(ErrorKind.SERVICE_UNAVAILABLE);

  private final ErrorKind kind;

  StoreErrorCode(ErrorKind kind) {
    this.kind = kind;
  }

  @Override
  public ErrorKind kind() {
    return kind;
  }
}
