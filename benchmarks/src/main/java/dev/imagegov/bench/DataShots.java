package dev.imagegov.bench;

import dev.imagegov.ImageGovernance;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.testkit.gen.ByteStream;
import java.util.OptionalLong;

/** The steps of the data-path benchmarks: a queued image, and an upload checked for its size. */
final class DataShots {
  private DataShots() {}

  /** A new private raw/bare image of {@code owner}, queued. */
  static ImageId queued(ImageGovernance governance, Caller owner) {
    return governance.images().create(owner, NewImage.builder().diskFormat("raw")
        .containerFormat("bare").visibility(Visibility.PRIVATE).build()).id();
  }

  /** Uploads {@code bytes} to {@code store} as image {@code id}; fails if a byte went missing. */
  static Image upload(ImageGovernance governance, Caller owner, ImageId id, ByteStream bytes,
      long size, StoreId store) {
    Image image = governance.data().upload(owner, id, bytes.open(), OptionalLong.of(size), store);
    if (image.size().orElse(-1) != size) {
      throw new IllegalStateException("uploaded " + image.size() + " bytes, not " + size);
    }
    return image;
  }
}
