package dev.imagegov.error;

/**
 * The broad kind of a refusal, with the HTTP status Glance answers for it, so an adapter can map
 * any {@link GovernanceException} to a response without a table.
 */
public enum ErrorKind {
  /** 400: the input is malformed or breaks a rule about values. */
  BAD_REQUEST(400),
  /** 403: the caller may see the target but may not do this. */
  FORBIDDEN(403),
  /** 404: no such thing, or the caller may not see it (existence is never leaked). */
  NOT_FOUND(404),
  /** 409: the request conflicts with the current state. */
  CONFLICT(409),
  /** 410: the target disappeared while the request was being served. */
  GONE(410),
  /** 413: a quota or limit would be exceeded. */
  OVER_LIMIT(413),
  /** 415: the media type is not supported. */
  UNSUPPORTED_MEDIA_TYPE(415),
  /** 416: the requested byte range cannot be satisfied. */
  RANGE_NOT_SATISFIABLE(416),
  /**
   * 503: a store cannot serve the request: a blob store's medium failed, or a durable catalog is
   * damaged, locked by another process, closed, or failed after an I/O error.
   */
  SERVICE_UNAVAILABLE(503);

  private final int httpStatus;

  ErrorKind(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** {@return the HTTP status Glance answers for this kind} */
  public int httpStatus() {
    return httpStatus;
  }
}
