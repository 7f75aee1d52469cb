package dev.imagegov.spi;

import dev.imagegov.model.Image;
import dev.imagegov.model.ProjectId;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * A base attribute of an image that a {@link CatalogQuery} can filter or sort on, with the Java
 * type of its values: {@code String}, {@code Long}, {@code Boolean} or {@code Instant}.
 * Enum-valued attributes (status, visibility) compare by their wire names, as Glance's database
 * stores them.
 */
public enum ImageField {
  ID(String.class, i -> Optional.of(i.id().value())),
  NAME(String.class, Image::name),
  STATUS(String.class, i -> Optional.of(i.status().wireName())),
  VISIBILITY(String.class, i -> Optional.of(i.visibility().wireName())),
  OWNER(String.class, i -> i.owner().map(ProjectId::value)),
  DISK_FORMAT(String.class, Image::diskFormat),
  CONTAINER_FORMAT(String.class, Image::containerFormat),
  CHECKSUM(String.class, Image::checksum),
  OS_HASH_ALGO(String.class, Image::osHashAlgo),
  OS_HASH_VALUE(String.class, Image::osHashValue),
  SIZE(Long.class, i -> i.size().isPresent() ? Optional.of(i.size().getAsLong()) : Optional.empty()),
  VIRTUAL_SIZE(
      Long.class,
      i -> i.virtualSize().isPresent() ? Optional.of(i.virtualSize().getAsLong()) : Optional.empty()),
  MIN_DISK(Long.class, i -> Optional.of((long) i.minDisk())),
  MIN_RAM(Long.class, i -> Optional.of((long) i.minRam())),
  PROTECTED(Boolean.class, i -> Optional.of(i.isProtected())),
  OS_HIDDEN(Boolean.class, i -> Optional.of(i.osHidden())),
  CREATED_AT(Instant.class, i -> Optional.of(i.createdAt())),
  UPDATED_AT(Instant.class, i -> Optional.of(i.updatedAt()));

  private final Class<?> type;
  private final Function<Image, Optional<?>> extractor;

  <T extends Comparable<? super T>> ImageField(
      Class<T> type, Function<Image, Optional<? extends T>> extractor) {
    this.type = type;
    this.extractor = extractor::apply;
  }

  /** The Java type of this field's values. */
  public Class<?> type() {
    return type;
  }

  /** This field's value on {@code image}, empty when the image has none (SQL NULL). */
  @SuppressWarnings("unchecked")
  public Optional<Comparable<Object>> valueOf(Image image) {
    return (Optional<Comparable<Object>>) extractor.apply(image);
  }
}
