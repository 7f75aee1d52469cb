package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Image names. {@link #names()} draws from a few readable names (so that sorting and filtering on
 * names has ties); {@link #texts(int)} draws arbitrary printable ASCII up to a length.
 */
public final class Names {
  /** The readable names {@link #names()} picks from. */
  public static final List<String> POOL = List.of("alpha", "beta", "gamma", "delta", "golden");

  private Names() {}

  /** {@return one of {@link #POOL}, shrinking towards {@code alpha}} */
  public static Gen<String> names() {
    return Generate.pick(POOL).describedAs(n -> '"' + n + '"');
  }

  /** {@return a name, or absent in about one case in five (absent names sort first ascending)} */
  public static Gen<java.util.Optional<String>> optionalNames() {
    return integers()
        .between(0, 4)
        .zip(
            names(),
            (n, name) -> n == 0 ? java.util.Optional.<String>empty() : java.util.Optional.of(name))
        .describedAs(o -> o.map(n -> '"' + n + '"').orElse("no name"));
  }

  /**
   * Printable ASCII text of 0 to {@code maxLength} characters, shrinking towards the empty text.
   *
   * @param maxLength the most characters of a text
   * @return printable ASCII text of 0 to {@code maxLength} characters, shrinking towards the empty
   *     text
   */
  public static Gen<String> texts(int maxLength) {
    return strings()
        .basicLatinAlphabet()
        .ofLengthBetween(0, maxLength)
        .describedAs(t -> '"' + t + '"');
  }
}
