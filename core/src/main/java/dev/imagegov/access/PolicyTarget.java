package dev.imagegov.access;

import com.google.common.collect.ImmutableMap;
import java.util.Map;
import java.util.Optional;

/**
 * The values a rule's {@code %(key)s} placeholders are filled from: what the caller wants to act
 * on. A key without a value never matches anything, so a check that needs it fails (as
 * oslo.policy's generic check does when the target lacks a key).
 *
 * <p>Implementations must be immutable and thread-safe. {@link ImageTarget} is the target of image
 * and member rules; {@link #of(Map)} serves every other rule, for example {@code get_images},
 * whose target is the caller's own project: {@code PolicyTarget.of(Map.of("project_id", p))}.
 */
public interface PolicyTarget {
  /**
   * {@return the value of {@code key}, if the target has one}
   *
   * @param key a key as a rule names it ({@code owner}, {@code project_id}, ...)
   */
  Optional<String> get(String key);

  /**
   * {@return a target holding exactly these values (copied), with no aliases}
   *
   * @param values the target's values by key
   */
  static PolicyTarget of(Map<String, String> values) {
    return new MapTarget(ImmutableMap.copyOf(values));
  }

  /** {@return a target with no values: every placeholder check fails} */
  static PolicyTarget empty() {
    return MapTarget.EMPTY;
  }
}
