package dev.imagegov.errors;

import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.ErrorKind;

/**
 * The codes of core's rules: Glance's answers for policy, visibility, sharing, attributes,
 * quotas, data and import, and imagegov's own guardrails. A store never raises these; its codes
 * are {@link dev.imagegov.error.StoreErrorCode}. Codes are part of the API: their names never
 * change meaning, and each belongs to one {@link ErrorKind}, which carries Glance's HTTP status.
 */
public enum RuleCode implements ErrorCode {
  // bad request
  /** A list filter is malformed or unknown. */
  INVALID_FILTER(ErrorKind.BAD_REQUEST),
  /** A sort key or direction is not allowed. */
  INVALID_SORT(ErrorKind.BAD_REQUEST),
  /** A list limit is not a non-negative integer. */
  INVALID_LIMIT(ErrorKind.BAD_REQUEST),
  /** The status machine does not allow this transition. */
  INVALID_STATUS_TRANSITION(ErrorKind.BAD_REQUEST),
  /** A request document (patch, body) is malformed. */
  MALFORMED_REQUEST(ErrorKind.BAD_REQUEST),
  /**
   * Image signature verification failed: the signature properties are incomplete or malformed,
   * the certificate is missing, expired, not yet valid or of the wrong key type, or the data does
   * not match the signature (Glance's {@code SignatureVerificationError}).
   */
  SIGNATURE_INVALID(ErrorKind.BAD_REQUEST),
  /**
   * A URI to fetch image data from is refused by the URI filter (scheme, host, port, or an
   * address that is loopback, private, link-local or otherwise special), including a redirect
   * target.
   */
  URI_NOT_ALLOWED(ErrorKind.BAD_REQUEST),
  /** Fetching image data from a remote URI failed (connection, HTTP status, too many redirects). */
  FETCH_FAILED(ErrorKind.BAD_REQUEST),
  /** Data cannot be saved before both disk_format and container_format are set. */
  FORMATS_REQUIRED(ErrorKind.BAD_REQUEST),
  /** The data's size differs from the size the request declared. */
  SIZE_MISMATCH(ErrorKind.BAD_REQUEST),
  /** A store id names no enabled store. */
  UNKNOWN_STORE(ErrorKind.BAD_REQUEST),
  /** The caller's data stream failed while it was being read; nothing was stored. */
  DATA_UNREADABLE(ErrorKind.BAD_REQUEST),
  /** The image is already present in a store it was to be copied to. */
  ALREADY_IN_STORE(ErrorKind.BAD_REQUEST),

  // forbidden
  /** Policy denies the action to a caller who can see the image. */
  POLICY_DENIED(ErrorKind.FORBIDDEN),
  /** The attribute is read-only. */
  READ_ONLY_ATTRIBUTE(ErrorKind.FORBIDDEN),
  /** The attribute or property name is reserved. */
  RESERVED_ATTRIBUTE(ErrorKind.FORBIDDEN),
  /**
   * Property protections do not let the caller create, update or delete this custom property
   * (Glance answers the same 403 as for a reserved name, {@code ReservedProperty}).
   */
  PROPERTY_PROTECTED(ErrorKind.FORBIDDEN),
  /** A protected image cannot be deleted. */
  IMAGE_PROTECTED(ErrorKind.FORBIDDEN),
  /** The exposure guardrail refuses to make an image public or community. */
  EXPOSURE_GUARDRAIL(ErrorKind.FORBIDDEN),
  /**
   * Strict consent (an imagegov option) refuses a member that has not accepted a shared image
   * the use of its data (download, boot).
   */
  CONSENT_REQUIRED(ErrorKind.FORBIDDEN),
  /** Members exist only on shared images. */
  NOT_SHARED(ErrorKind.FORBIDDEN),
  /** The action is not allowed in the image's current status. */
  STATUS_FORBIDS(ErrorKind.FORBIDDEN),
  /** Image locations are not exposed, so a patch may not change them. */
  LOCATIONS_HIDDEN(ErrorKind.FORBIDDEN),
  /** Data cannot be deleted from the only store holding it (delete the image instead). */
  ONLY_LOCATION(ErrorKind.FORBIDDEN),

  // not found
  /** No such membership, or the caller may not see it. */
  MEMBER_NOT_FOUND(ErrorKind.NOT_FOUND),
  /** The tag to remove is not on the image. */
  TAG_NOT_FOUND(ErrorKind.NOT_FOUND),
  /** The image has no data in the named store. */
  NOT_IN_STORE(ErrorKind.NOT_FOUND),
  /** The import method is not enabled at this site (staging without {@code glance-direct}). */
  IMPORT_METHOD_UNAVAILABLE(ErrorKind.NOT_FOUND),
  /** No such import task, or the caller may not see it. */
  TASK_NOT_FOUND(ErrorKind.NOT_FOUND),

  // conflict
  /** The project is already a member. */
  DUPLICATE_MEMBER(ErrorKind.CONFLICT),
  /**
   * The project is a member only through a group above it (hierarchical sharing): the owner
   * removes the group's membership, not the project's.
   */
  GROUP_MEMBERSHIP(ErrorKind.CONFLICT),
  /** A property to replace or remove does not exist, or one to add already does. */
  PROPERTY_CONFLICT(ErrorKind.CONFLICT),
  /** The image's status does not allow this operation (e.g. uploading twice). */
  STATUS_CONFLICT(ErrorKind.CONFLICT),
  /** The named store is not available (not enabled here). */
  STORE_UNAVAILABLE(ErrorKind.CONFLICT),
  /**
   * Another import holds the image's import lock ({@code os_glance_import_task}) and is neither
   * finished nor stale.
   */
  IMPORT_IN_PROGRESS(ErrorKind.CONFLICT),

  // bad request
  /** A lifecycle request value is malformed (a family name, a version, a schedule's dates). */
  INVALID_LIFECYCLE_VALUE(ErrorKind.BAD_REQUEST),
  /**
   * A replacement image is not usable as one: not active, itself deprecated, or not visible to
   * everyone the deprecated image is visible to.
   */
  INVALID_REPLACEMENT(ErrorKind.BAD_REQUEST),

  // forbidden
  /** An obsolete image is refused for a new use (a new launch) to anyone but an admin. */
  LIFECYCLE_FORBIDS(ErrorKind.FORBIDDEN),

  // conflict
  /** The lifecycle state machine does not allow this transition from the current state. */
  INVALID_LIFECYCLE_TRANSITION(ErrorKind.CONFLICT),
  /** The image is in use (the application's usage port says so), so a lifecycle step refuses it. */
  IMAGE_IN_USE(ErrorKind.CONFLICT),

  // reports
  /** A report request value is malformed (a negative period, a ratio outside its range). */
  INVALID_REPORT_VALUE(ErrorKind.BAD_REQUEST),
  /** Reports, cleanup plans and usage repair are for admins only. */
  REPORTS_ADMIN_ONLY(ErrorKind.FORBIDDEN),
  /** A cleanup step no longer applies: its subject changed since the plan, or a rule refuses it. */
  CLEANUP_REFUSED(ErrorKind.CONFLICT),

  // not found
  /** No version of the family is usable by the caller now (or the family does not exist). */
  NO_USABLE_VERSION(ErrorKind.NOT_FOUND),

  // gone
  /** The image was deleted while its data was being written; the data was discarded. */
  IMAGE_GONE(ErrorKind.GONE),

  // over limit
  /** The member quota of the image would be exceeded. */
  MEMBER_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),
  /** The property quota would be exceeded. */
  PROPERTY_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),
  /** The tag quota would be exceeded. */
  TAG_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),
  /** A storage or count limit would be exceeded. */
  STORAGE_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),
  /** A request document is larger than the configured limit (Glance's request size limit). */
  REQUEST_TOO_LARGE(ErrorKind.OVER_LIMIT),
  /** A fetched response is larger than the byte limit of the fetch. */
  FETCH_TOO_LARGE(ErrorKind.OVER_LIMIT),
  /** A unified (Keystone) limit would be exceeded. */
  LIMIT_EXCEEDED(ErrorKind.OVER_LIMIT),
  /** The data exceeds {@code image_size_cap}. */
  IMAGE_TOO_LARGE(ErrorKind.OVER_LIMIT),
  /** The store is full, or the write would eat into its configured reserve. */
  STORE_FULL(ErrorKind.OVER_LIMIT),
  /** The location quota of the image would be exceeded. */
  LOCATION_QUOTA_EXCEEDED(ErrorKind.OVER_LIMIT),

  // unsupported media type
  /** The media type is not one Glance accepts here. */
  UNSUPPORTED_MEDIA_TYPE(ErrorKind.UNSUPPORTED_MEDIA_TYPE),
  /**
   * The image data is not in its declared {@code disk_format} (Glance's {@code InvalidImageData},
   * 415, with {@code require_image_format_match}).
   */
  IMAGE_FORMAT_MISMATCH(ErrorKind.UNSUPPORTED_MEDIA_TYPE),
  /**
   * The image data fails a safety check: a backing or external data file, VMDK extents outside
   * the image, content valid as several formats, a malformed header (Glance's {@code
   * InvalidImageData}, 415).
   */
  UNSAFE_IMAGE(ErrorKind.UNSUPPORTED_MEDIA_TYPE),

  // range not satisfiable
  /** The byte range cannot be satisfied. */
  RANGE_NOT_SATISFIABLE(ErrorKind.RANGE_NOT_SATISFIABLE);

  private final ErrorKind kind;

  RuleCode(ErrorKind kind) {
    this.kind = kind;
  }

  @Override
  public ErrorKind kind() {
    return kind;
  }
}
