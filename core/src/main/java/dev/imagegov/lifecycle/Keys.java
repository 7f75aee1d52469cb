package dev.imagegov.lifecycle;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.model.Image;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The property names of the lifecycle namespace ({@link Attributes#LIFECYCLE_NAMESPACE}) and the
 * one writer of them. Values are plain strings: instants in ISO-8601 ({@link Instant#toString}),
 * ids as UUIDs, booleans as {@code true}.
 */
final class Keys {
  static final String FAMILY = Attributes.LIFECYCLE_NAMESPACE + "family";
  static final String VERSION = Attributes.LIFECYCLE_NAMESPACE + "version";
  static final String STATE = Attributes.LIFECYCLE_NAMESPACE + "state";
  static final String SINCE = Attributes.LIFECYCLE_NAMESPACE + "since";
  static final String REPLACEMENT = Attributes.LIFECYCLE_NAMESPACE + "replacement";
  static final String DEPRECATE_AT = Attributes.LIFECYCLE_NAMESPACE + "deprecate_at";
  static final String OBSOLETE_AT = Attributes.LIFECYCLE_NAMESPACE + "obsolete_at";
  static final String DELETE_AT = Attributes.LIFECYCLE_NAMESPACE + "delete_at";
  static final String EXCLUDE_FROM_LATEST = Attributes.LIFECYCLE_NAMESPACE + "exclude_from_latest";
  static final String LAST_USED = Attributes.LIFECYCLE_NAMESPACE + "last_used";

  private Keys() {}

  /**
   * {@code image} with {@code changes} applied (a {@code null} value removes the key) and {@code
   * at} as its update time.
   */
  static Image with(Image image, Map<String, @Nullable String> changes, Instant at) {
    Map<String, String> properties = new LinkedHashMap<>(image.properties());
    for (Map.Entry<String, @Nullable String> c : changes.entrySet()) {
      String value = c.getValue();
      if (value == null) {
        properties.remove(c.getKey());
      } else {
        properties.put(c.getKey(), value);
      }
    }
    return image.toBuilder().properties(ImmutableMap.copyOf(properties)).updatedAt(at).build();
  }
}
