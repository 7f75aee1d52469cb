package dev.imagegov.wire;

/**
 * Bounds on a request body that {@link GlanceWire} reads, checked before and while it is parsed
 * so that no body can exhaust memory or the stack: its length in characters (like Glance's {@code
 * max_request_body_size}, 413) and the nesting depth of its JSON (400).
 *
 * @param maxBodyChars the longest body accepted, in characters
 * @param maxDepth the deepest nesting of arrays and objects accepted (the body's object is 1)
 */
public record BodyLimits(int maxBodyChars, int maxDepth) {
  /** Glance's default request body limit, {@code max_request_body_size}. */
  public static final int DEFAULT_MAX_BODY_CHARS = 114_688;

  /**
   * Validates the limits.
   *
   * @param maxBodyChars the longest body accepted, in characters; at least 2
   * @param maxDepth the deepest nesting of arrays and objects accepted; at least 2
   */
  public BodyLimits {
    if (maxBodyChars < 2 || maxDepth < 2) {
      throw new IllegalArgumentException(
          "body limits must allow a document: chars >= 2, depth >= 2");
    }
  }

  /** {@return Glance's defaults: 114,688 characters, depth 32} */
  public static BodyLimits defaults() {
    return new BodyLimits(DEFAULT_MAX_BODY_CHARS, 32);
  }
}
