package dev.imagegov.data;

import dev.imagegov.model.ImageId;
import dev.imagegov.model.StoreId;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a download: either the data (whole, Glance's 200, or a range, 206, with its
 * {@link #contentRange()}) as a stream the caller must close, or explicitly no data (Glance's
 * 204 No Content for an image that has none, such as a queued image; a range request on such
 * an image is answered the same way). {@link #contentMd5()} is the image's checksum, for the
 * {@code Content-MD5} header of a whole download.
 */
public final class ImageDownload implements Closeable {
  private final ImageId imageId;
  private final @Nullable InputStream stream;
  private final long contentLength;
  private final @Nullable ContentRange contentRange;
  private final @Nullable String contentMd5;
  private final @Nullable StoreId store;

  private ImageDownload(
      ImageId imageId,
      @Nullable InputStream stream,
      long contentLength,
      @Nullable ContentRange contentRange,
      @Nullable String contentMd5,
      @Nullable StoreId store) {
    this.imageId = imageId;
    this.stream = stream;
    this.contentLength = contentLength;
    this.contentRange = contentRange;
    this.contentMd5 = contentMd5;
    this.store = store;
  }

  /**
   * {@return the answer for an image without data}
   *
   * @param imageId the image's id
   */
  public static ImageDownload noData(ImageId imageId) {
    return new ImageDownload(Objects.requireNonNull(imageId, "imageId"), null, 0, null, null, null);
  }

  /**
   * {@return data read from {@code store}: the whole of it when {@code range} is empty}
   *
   * @param imageId the image's id
   * @param stream the bytes, read to the end; not closed
   * @param contentLength the bytes the stream yields
   * @param range the range served, for a range request
   * @param contentMd5 the MD5 of the whole data, when the whole data is served
   * @param store the id of the blob store
   */
  public static ImageDownload of(
      ImageId imageId,
      InputStream stream,
      long contentLength,
      Optional<ContentRange> range,
      Optional<String> contentMd5,
      StoreId store) {
    return new ImageDownload(
        Objects.requireNonNull(imageId, "imageId"),
        Objects.requireNonNull(stream, "stream"),
        contentLength,
        range.orElse(null),
        contentMd5.orElse(null),
        Objects.requireNonNull(store, "store"));
  }

  /** {@return the image} */
  public ImageId imageId() {
    return imageId;
  }

  /** {@return whether there is data; {@code false} is Glance's 204 No Content} */
  public boolean hasData() {
    return stream != null;
  }

  /** {@return Glance's status: 204 without data, 206 for a range, 200 for the whole data} */
  public int httpStatus() {
    if (stream == null) {
      return 204;
    }
    return contentRange != null ? 206 : 200;
  }

  /**
   * The bytes; an empty stream when there is no data. The caller closes it.
   *
   * @return the bytes; an empty stream when there is no data
   */
  public InputStream stream() {
    return stream != null ? stream : InputStream.nullInputStream();
  }

  /** {@return the number of bytes {@link #stream()} yields} */
  public long contentLength() {
    return contentLength;
  }

  /** {@return the range returned, for a range request} */
  public Optional<ContentRange> contentRange() {
    return Optional.ofNullable(contentRange);
  }

  /** {@return the image's MD5 checksum, when it has data} */
  public Optional<String> contentMd5() {
    return Optional.ofNullable(contentMd5);
  }

  /** {@return the store the bytes come from} */
  public Optional<StoreId> store() {
    return Optional.ofNullable(store);
  }

  @Override
  public void close() throws IOException {
    if (stream != null) {
      stream.close();
    }
  }
}
