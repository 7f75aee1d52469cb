package dev.imagegov.data;

/**
 * The bytes a ranged download returns: {@code first} to {@code last} inclusive of data {@code
 * size} bytes long; {@link #toString()} is the {@code Content-Range} header value.
 */
public record ContentRange(long first, long last, long size) {
  /**
   * Checks that the range lies within the data.
   *
   * @param first the first byte served
   * @param last the last byte served
   * @param size the size of the whole data
   */
  public ContentRange {
    if (first < 0 || last < first || last >= size) {
      throw new IllegalArgumentException("bad content range " + first + "-" + last + "/" + size);
    }
  }

  /** {@return the number of bytes in the range} */
  public long length() {
    return last - first + 1;
  }

  /** {@code bytes first-last/size}. */
  @Override
  public String toString() {
    return "bytes " + first + "-" + last + "/" + size;
  }
}
