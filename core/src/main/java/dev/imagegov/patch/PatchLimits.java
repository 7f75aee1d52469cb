package dev.imagegov.patch;

/**
 * Bounds on a JSON-patch document, checked before and while it is parsed so that no document can
 * exhaust memory or the stack: its length in characters (like Glance's request body limit, 413),
 * the nesting depth of its JSON (400) and its number of operations (400).
 *
 * @param maxDocumentChars the longest body accepted, in characters
 * @param maxDepth the deepest nesting of arrays and objects accepted (the document's array is 1)
 * @param maxOperations the most operations one document may hold
 */
public record PatchLimits(int maxDocumentChars, int maxDepth, int maxOperations) {
  /** Glance's default request body limit, {@code max_request_body_size}. */
  public static final int DEFAULT_MAX_DOCUMENT_CHARS = 114_688;

  /**
   * Validates the limits.
   *
   * @param maxDepth the deepest nesting of a document's arrays and objects
   * @param maxDocumentChars the most characters of a document
   * @param maxOperations the most operations of a document
   */
  public PatchLimits {
    if (maxDocumentChars < 2 || maxDepth < 2 || maxOperations < 1) {
      throw new IllegalArgumentException(
          "patch limits must allow a document: chars >= 2, depth >= 2, operations >= 1");
    }
  }

  /** {@return 114,688 characters, depth 32, 1024 operations} */
  public static PatchLimits defaults() {
    return new PatchLimits(DEFAULT_MAX_DOCUMENT_CHARS, 32, 1024);
  }
}
