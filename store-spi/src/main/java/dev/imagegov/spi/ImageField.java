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
  /** {@code id}, a string. */
  ID(String.class, i -> Optional.of(i.id().value())),
  /** {@code name}, a string; absent when unnamed. */
  NAME(String.class, Image::name),
  /** {@code status}, its wire name. */
  STATUS(String.class, i -> Optional.of(i.status().wireName())),
  /** {@code visibility}, its wire name. */
  VISIBILITY(String.class, i -> Optional.of(i.visibility().wireName())),
  /** {@code owner}, the project id; absent for an image without owner. */
  OWNER(String.class, i -> i.owner().map(ProjectId::value)),
  /** {@code disk_format}; absent until set. */
  DISK_FORMAT(String.class, Image::diskFormat),
  /** {@code container_format}; absent until set. */
  CONTAINER_FORMAT(String.class, Image::containerFormat),
  /** {@code checksum}, the MD5 hex digest; absent without data. */
  CHECKSUM(String.class, Image::checksum),
  /** {@code os_hash_algo}; absent without data. */
  OS_HASH_ALGO(String.class, Image::osHashAlgo),
  /** {@code os_hash_value}; absent without data. */
  OS_HASH_VALUE(String.class, Image::osHashValue),
  /** {@code size} in bytes; absent without data. */
  SIZE(Long.class, i -> i.size().isPresent() ? Optional.of(i.size().getAsLong()) : Optional.empty()),
  /** {@code virtual_size} in bytes; absent unless known. */
  VIRTUAL_SIZE(
      Long.class,
      i -> i.virtualSize().isPresent() ? Optional.of(i.virtualSize().getAsLong()) : Optional.empty()),
  /** {@code min_disk} in GB. */
  MIN_DISK(Long.class, i -> Optional.of((long) i.minDisk())),
  /** {@code min_ram} in MB. */
  MIN_RAM(Long.class, i -> Optional.of((long) i.minRam())),
  /** {@code protected}. */
  PROTECTED(Boolean.class, i -> Optional.of(i.isProtected())),
  /** {@code os_hidden}. */
  OS_HIDDEN(Boolean.class, i -> Optional.of(i.osHidden())),
  /** {@code created_at}. */
  CREATED_AT(Instant.class, i -> Optional.of(i.createdAt())),
  /** {@code updated_at}. */
  UPDATED_AT(Instant.class, i -> Optional.of(i.updatedAt()));

  private final Class<?> type;
  private final Function<Image, Optional<?>> extractor;

  <T extends Comparable<? super T>> ImageField(
      Class<T> type, Function<Image, Optional<? extends T>> extractor) {
    this.type = type;
    this.extractor = extractor::apply;
  }

  /** {@return the Java type of this field's values} */
  public Class<?> type() {
    return type;
  }

  /**
   * This field's value on {@code image}, empty when the image has none (SQL NULL).
   *
   * @param image the image as stored
   * @return the value, comparable with other values of this field; empty when the image has none
   */
  @SuppressWarnings("unchecked")
  public Optional<Comparable<Object>> valueOf(Image image) {
    return (Optional<Comparable<Object>>) extractor.apply(image);
  }
}
