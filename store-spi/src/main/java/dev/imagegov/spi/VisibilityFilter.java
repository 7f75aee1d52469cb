package dev.imagegov.spi;

import dev.imagegov.model.Visibility;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code visibility} list parameter: {@link #DEFAULT} (absent: community images only when
 * the caller's project owns them), {@link #ALL} (no visibility restriction), or one visibility.
 */
public enum VisibilityFilter {
  /** No {@code visibility} parameter: every visibility, community images only when owned. */
  DEFAULT(null),
  /** {@code visibility=all}: every image the caller may see, community ones included. */
  ALL(null),
  /** {@code visibility=public}. */
  PUBLIC(Visibility.PUBLIC),
  /** {@code visibility=community}. */
  COMMUNITY(Visibility.COMMUNITY),
  /** {@code visibility=shared}. */
  SHARED(Visibility.SHARED),
  /** {@code visibility=private}. */
  PRIVATE(Visibility.PRIVATE);

  private final @Nullable Visibility only;

  VisibilityFilter(@Nullable Visibility only) {
    this.only = only;
  }

  /** {@return the single visibility this filter keeps, if it is one} */
  public Optional<Visibility> only() {
    return Optional.ofNullable(only);
  }

  /**
   * {@return the filter that keeps exactly {@code visibility}}
   *
   * @param visibility the one visibility to list
   */
  public static VisibilityFilter of(Visibility visibility) {
    return valueOf(visibility.name());
  }
}
