package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.lists;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Tag sets (insertion-ordered, as the model keeps them), drawn from a small pool so that tag
 * filters match some images and not others. Shrinks towards the empty set.
 */
public final class Tags {
  /** The tags {@link #tags()} draws from. */
  public static final List<String> POOL = List.of("a", "b", "c", "gpu", "lts");

  private Tags() {}

  /** {@return one tag of {@link #POOL}} */
  public static Gen<String> tag() {
    return Generate.pick(POOL);
  }

  /**
   * Sets of 0 to 3 tags of the pool.
   *
   * @return sets of tags drawn from the pool
   */
  public static Gen<Set<String>> tags() {
    return tags(3);
  }

  /**
   * Sets of 0 to {@code max} tags of the pool.
   *
   * @param max the most tags in a set
   * @return sets of tags drawn from the pool
   */
  public static Gen<Set<String>> tags(int max) {
    return lists()
        .of(tag())
        .ofSizeBetween(0, max)
        .map(l -> (Set<String>) new LinkedHashSet<>(l))
        .describedAs(Object::toString);
  }
}
