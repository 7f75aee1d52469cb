package dev.imagegov.quota;

/**
 * Glance's unified (Keystone, {@code use_keystone_limits}) resources, each counted per project.
 * Sizes are in MiB, counts in images.
 */
public enum UnifiedLimit {
  /** Stored bytes: size times the number of locations of every live image, in MiB. */
  IMAGE_SIZE_TOTAL("image_size_total", true),
  /** Bytes of images being staged, imported or copied, in MiB. */
  IMAGE_STAGE_TOTAL("image_stage_total", true),
  /** Live images. */
  IMAGE_COUNT_TOTAL("image_count_total", false),
  /** Images being uploaded, staged, imported or copied. */
  IMAGE_COUNT_UPLOADING("image_count_uploading", false);

  /** One MiB, the unit of the size limits. */
  public static final long MIB = 1L << 20;

  private final String resourceName;
  private final boolean mebibytes;

  UnifiedLimit(String resourceName, boolean mebibytes) {
    this.resourceName = resourceName;
    this.mebibytes = mebibytes;
  }

  /**
   * Keystone's registered-limit name, e.g. {@code image_size_total}.
   *
   * @return keystone's registered-limit name, e.g
   */
  public String resourceName() {
    return resourceName;
  }

  /** {@return whether the limit is in MiB (else a count)} */
  public boolean isMebibytes() {
    return mebibytes;
  }

  /**
   * {@return a limit in this resource's unit converted to bytes or images; negative stays
   * unlimited}
   *
   * @param limit a limit in this resource's unit
   */
  public long toBase(long limit) {
    if (limit < 0 || !mebibytes) {
      return limit;
    }
    return limit > Long.MAX_VALUE / MIB ? Long.MAX_VALUE : limit * MIB;
  }

  /**
   * {@return a usage in bytes or images in this resource's unit (MiB rounded down, as Glance
   * reports)}
   *
   * @param usage a usage in bytes or images
   */
  public long fromBase(long usage) {
    return mebibytes ? usage / MIB : usage;
  }
}
