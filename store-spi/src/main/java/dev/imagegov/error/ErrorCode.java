package dev.imagegov.error;

/**
 * A stable, specific reason for a refusal. Codes are part of the API: their names never change
 * meaning. Each belongs to one {@link ErrorKind}, which carries Glance's HTTP status.
 */
public enum ErrorCode {
  // 400
  /** A value is malformed or out of range (a name too long, a bad format, a negative size). */
  INVALID_VALUE(ErrorKind.BAD_REQUEST),
  /** An image id is not a UUID. */
  INVALID_IMAGE_ID(ErrorKind.BAD_REQUEST),
  /** A list filter is malformed or unknown. */
  INVALID_FILTER(ErrorKind.BAD_REQUEST),
  /** A sort key or direction is not allowed. */
  INVALID_SORT(ErrorKind.BAD_REQUEST),
  /** A list marker names no image. */
  INVALID_MARKER(ErrorKind.BAD_REQUEST),
  /** A list limit is not a non-negative integer. */
  INVALID_LIMIT(ErrorKind.BAD_REQUEST),
  /** The status machine does not allow this transition. */
  INVALID_STATUS_TRANSITION(ErrorKind.BAD_REQUEST),
  /** A policy or configuration document is malformed. */
  INVALID_CONFIGURATION(ErrorKind.BAD_REQUEST),
  /** A request document (patch, body) is malformed. */
  MALFORMED_REQUEST(ErrorKind.BAD_REQUEST),

  // 403
  /** Policy denies the action to a caller who can see the image. */
  POLICY_DENIED(ErrorKind.FORBIDDEN),
  /** The attribute is read-only. */
  READ_ONLY_ATTRIBUTE(ErrorKind.FORBIDDEN),
  /** The attribute or property name is reserved. */
  RESERVED_ATTRIBUTE(ErrorKind.FORBIDDEN),
  /** A protected image cannot be deleted. */
  IMAGE_PROTECTED(ErrorKind.FORBIDDEN),
  /** Members exist only on shared images. */
  NOT_SHARED(ErrorKind.FORBIDDEN),
  /** The action is not allowed in the image's current status. */
  STATUS_FORBIDS(ErrorKind.FORBIDDEN),
  /** The list marker names an image the caller may not see (Glance answers 403 here). */
  MARKER_NOT_VISIBLE(ErrorKind.FORBIDDEN),

  // 404
  /** No such image, or the caller may not see it. */
  IMAGE_NOT_FOUND(ErrorKind.NOT_FOUND),
  /** No such membership, or the caller may not see it. */
  MEMBER_NOT_FOUND(ErrorKind.NOT_FOUND),

  // 409
  /** The image id exists already, or existed (ids of deleted images are never reused). */
  DUPLICATE_IMAGE_ID(ErrorKind.CONFLICT),
  /** The project is already a member. */
  DUPLICATE_MEMBER(ErrorKind.CONFLICT),
  /** The image changed since it was read (compare-and-set lost). */
  STALE_VERSION(ErrorKind.CONFLICT),
  /** A property to replace or remove does not exist, or one to add already does. */
  PROPERTY_CONFLICT(ErrorKind.CONFLICT),

  // 413
  /** The member quota of the image would be exceeded. */
  MEMBER_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),
  /** The property quota would be exceeded. */
  PROPERTY_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),
  /** The tag quota would be exceeded. */
  TAG_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),
  /** A storage or count limit would be exceeded. */
  STORAGE_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),

  // 415
  /** The media type is not one Glance accepts here. */
  UNSUPPORTED_MEDIA_TYPE(ErrorKind.UNSUPPORTED_MEDIA_TYPE),

  // 416
  /** The byte range cannot be satisfied. */
  RANGE_NOT_SATISFIABLE(ErrorKind.RANGE_NOT_SATISFIABLE),

  // 503
  /** A durable catalog's files are damaged; the message names the file and byte offset. */
  CATALOG_CORRUPT(ErrorKind.UNAVAILABLE),
  /** A durable catalog's files are in a format version this library does not read. */
  CATALOG_FORMAT_UNSUPPORTED(ErrorKind.UNAVAILABLE),
  /** Another process or catalog holds a durable catalog's lock; the message names the holder. */
  CATALOG_LOCKED(ErrorKind.UNAVAILABLE),
  /** A durable catalog is closed, or failed after an I/O error and must be reopened. */
  CATALOG_UNAVAILABLE(ErrorKind.UNAVAILABLE);

  private final ErrorKind kind;

  ErrorCode(ErrorKind kind) {
    this.kind = kind;
  }

  /** The kind of refusal. */
  public ErrorKind kind() {
    return kind;
  }

  /** Glance's HTTP status for this code. */
  public int httpStatus() {
    return kind.httpStatus();
  }
}
