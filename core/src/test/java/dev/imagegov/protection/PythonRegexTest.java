package dev.imagegov.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Section names are Python regular expressions searched in the property name. The expected
 * answers below were taken from Python 3.11's {@code re.search} and {@code re.compile}.
 */
class PythonRegexTest {

  @ParameterizedTest(name = "re.search({0}, {1}) is {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "foo | xfooy | true",
        "^foo$ | `foo\n` | true",
        "^foo\\Z | `foo\n` | false",
        "^foo\\Z | foo | true",
        "a.b | `a\nb` | false",
        "a.b | `a\rb` | true",
        "(?s)a.b | `a\nb` | true",
        "[[]x | [x | true",
        "[a&&b] | & | true",
        "[]a] | ] | true",
        "x{ | x{ | true",
        "x{,2}y | xxy | true",
        "^x{,2}y | xxxy | false",
        "a{} | a{} | true",
        "x} | x} | true",
        "\\d | \u0663 | true",
        "^\\w+$ | caf\u00e9 | true",
        "(?i)CAF\u00c9 | caf\u00e9 | true",
        "\\x41\\u0042\\U00000043 | ABC | true",
        "\\101 | A | true",
        "(a)\\1 | aa | true",
        "(?P<w>ab)_(?P=w) | ab_ab | true",
        "(?P<w>ab)_(?P=w) | ab_ac | false",
        "a\\012b | `a\nb` | true",
        "[\\b] | `\b` | true",
        "\\v | `\u000b` | true",
        "\\v | `\n` | false",
        "(?#note)ab | ab | true",
        "a(?i:B)c | abc | true",
        "a(?i:B)c | abC | false",
        "\\N{LATIN SMALL LETTER E WITH ACUTE} | \u00e9 | true",
        "\\. | a.b | true",
        "\\. | ab | false",
        "[\\d-]+$ | 1-2 | true",
        "\\s | `\u00a0` | true",
        "\\bfoo\\b | a foo | true",
      })
  void searchesAsPythonDoes(String pattern, String input, boolean found) {
    assertThat(PythonRegex.compile(pattern).matcher(input).find()).isEqualTo(found);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\\p{L}", "\\Q", "\\z", "(?(1)a|b)", "a(?i)b", "(a", "a)", "[a", "\\1", "(a\\1)",
        "(?P<1a>x)", "*a", "a{3,2}", "(?<n>x)", "\\8", "\\400", "\\x4", "[\\B]", "(?x)a b",
        "(?a)x", "\\", "(?P=nope)"
      })
  void refusesWhatPythonRefusesOrJavaCannotMatchFaithfully(String pattern) {
    assertThatThrownBy(() -> PythonRegex.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void patternNestedDeeperThanSixtyFourGroupsIsRefused() {
    assertThat(PythonRegex.compile("(".repeat(64) + "x" + ")".repeat(64)).matcher("x").find()).isTrue();
    assertThatThrownBy(() -> PythonRegex.compile("(?:".repeat(200) + "x" + ")".repeat(200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nested deeper than 64");
    assertThatThrownBy(() -> PythonRegex.compile("(".repeat(65) + "x" + ")".repeat(65)))
        .hasMessageContaining("nested deeper than 64");
  }

  @org.junit.jupiter.api.Test
  void patternLongerThanTheBoundIsRefused() {
    assertThat(PythonRegex.compile("a?".repeat(512)).matcher("").find()).isTrue();
    assertThatThrownBy(() -> PythonRegex.compile("a?".repeat(100_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than 1024");
  }
}
