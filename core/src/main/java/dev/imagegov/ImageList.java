package dev.imagegov;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import java.util.List;
import java.util.Optional;

/**
 * One page of a list, as Glance answers it: the images the caller may see, the marker of the
 * next page when there may be more, and Glance's {@code first} and {@code next} links.
 *
 * @param images the page, in the requested order
 * @param nextMarker the id to pass as {@code marker} for the next page, when the catalog filled
 *     the page (a page may be shorter than the limit and still have a next page, as in Glance)
 * @param first Glance's {@code first} link: {@code /v2/images} plus the query without marker
 * @param next Glance's {@code next} link, present with {@code nextMarker}
 */
public record ImageList(
    List<Image> images, Optional<ImageId> nextMarker, String first, Optional<String> next) {
  /**
   * Refuses null components and copies the page.
   *
   * @param images the page, in the requested order
   * @param nextMarker the id to pass as {@code marker} for the next page, when the catalog filled
   *     the page (a page may be shorter than the limit and still have a next page, as in Glance)
   * @param first Glance's {@code first} link: {@code /v2/images} plus the query without marker
   * @param next Glance's {@code next} link, present with {@code nextMarker}
   */
  public ImageList {
    images = List.copyOf(images);
  }
}
