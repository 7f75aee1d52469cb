package dev.imagegov.access;

import com.google.common.collect.ImmutableMap;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A {@link PolicyTarget} backed by an immutable map. */
final class MapTarget implements PolicyTarget {
  static final MapTarget EMPTY = new MapTarget(ImmutableMap.of());

  private final ImmutableMap<String, String> values;

  MapTarget(ImmutableMap<String, String> values) {
    this.values = values;
  }

  @Override
  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  @Nullable String raw(String key) {
    return values.get(key);
  }

  @Override
  public String toString() {
    return "PolicyTarget" + values;
  }
}
