package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.model.ImageId;
import java.util.UUID;
import org.quicktheories.core.Gen;

/**
 * Image ids. Generated ids are UUIDs numbered from 1 ({@code
 * 00000000-0000-0000-0000-000000000001}), so that a shrunk counterexample names image 1, 2, 3
 * rather than random hex.
 */
public final class Ids {
  private Ids() {}

  /**
   * {@return the id numbered {@code n} (n at least 0): {@code
   * 00000000-0000-0000-0000-00000000000n}}
   *
   * @param n the id's number, at least 0
   */
  public static ImageId imageId(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("id numbers start at 0, got " + n);
    }
    return ImageId.of(new UUID(0, n));
  }

  /** {@return ids numbered 1 to 9999, shrinking towards 1} */
  public static Gen<ImageId> imageIds() {
    return imageIds(9999);
  }

  /**
   * {@return ids numbered 1 to {@code max}, shrinking towards 1}
   *
   * @param max the largest number drawn
   */
  public static Gen<ImageId> imageIds(long max) {
    return longs().between(1, max).map(Ids::imageId).describedAs(ImageId::value);
  }

  /**
   * {@return the short number of an id made by {@link #imageId}, or its full text for any other id}
   *
   * @param id the image's id
   */
  public static String shortName(ImageId id) {
    String v = id.value();
    if (v.startsWith("00000000-0000-0000-0000-")) {
      return "#" + Long.parseLong(v.substring(24), 16);
    }
    return v;
  }
}
