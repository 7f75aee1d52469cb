package dev.imagegov.spi;

import dev.imagegov.model.Visibility;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code visibility} list parameter: {@link #DEFAULT} (absent: community images only when
 * the caller's project owns them), {@link #ALL} (no visibility restriction), or one visibility.
 */
public enum VisibilityFilter {
  DEFAULT(null),
  ALL(null),
  PUBLIC(Visibility.PUBLIC),
  COMMUNITY(Visibility.COMMUNITY),
  SHARED(Visibility.SHARED),
  PRIVATE(Visibility.PRIVATE);

  private final @Nullable Visibility only;

  VisibilityFilter(@Nullable Visibility only) {
    this.only = only;
  }

  /** The single visibility this filter keeps, if it is one. */
  public Optional<Visibility> only() {
    return Optional.ofNullable(only);
  }

  /** The filter that keeps exactly {@code visibility}. */
  public static VisibilityFilter of(Visibility visibility) {
    return valueOf(visibility.name());
  }
}
