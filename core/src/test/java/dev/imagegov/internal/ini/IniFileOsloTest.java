package dev.imagegov.internal.ini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The oslo.config dialect of the shared INI reader (protection tests cover configparser's). */
class IniFileOsloTest {
  private static String value(IniFile ini, String section, String key) {
    return ini.option(section, key).orElseThrow().value();
  }

  @Test
  void percentSignsAreNotInterpolated() {
    IniFile ini = IniFile.parseOsloConfig("[DEFAULT]\nfmt = %(asctime)s %d %\n");
    assertThat(value(ini, "DEFAULT", "fmt")).isEqualTo("%(asctime)s %d %");
  }

  @Test
  void theLastOfARepeatedOptionWinsAndSectionsMerge() {
    IniFile ini = IniFile.parseOsloConfig("[a]\nk = 1\n[b]\nx = y\n[A]\nk = 2\nj = 3\n");
    assertThat(value(ini, "a", "k")).isEqualTo("2");
    assertThat(ini.option("a", "k").orElseThrow().line()).isEqualTo(6);
    assertThat(value(ini, "a", "j")).isEqualTo("3");
    assertThat(ini.sections()).extracting(IniFile.Section::name).containsExactly("a", "b");
  }

  @Test
  void defaultIsNotInheritedAndKeysKeepTheirCase() {
    IniFile ini = IniFile.parseOsloConfig("[DEFAULT]\nKey = v\n[s]\nother = w\n");
    assertThat(ini.option("DEFAULT", "Key")).isPresent();
    assertThat(ini.option("DEFAULT", "key")).isEmpty();
    assertThat(ini.option("s", "Key")).isEmpty();
  }

  @Test
  void quotesAreStrippedOnceAndContinuationsJoinWithNewlines() {
    IniFile ini =
        IniFile.parseOsloConfig(
            "[s]\na = \"q\"\nb = 'x'y'\nc = \"mixed'\nd = one\n  two\n\tthree\n\ne = 1\n");
    assertThat(value(ini, "s", "a")).isEqualTo("q");
    assertThat(value(ini, "s", "b")).isEqualTo("x'y");
    assertThat(value(ini, "s", "c")).isEqualTo("\"mixed'");
    assertThat(value(ini, "s", "d")).isEqualTo("one\ntwo\nthree");
    assertThat(value(ini, "s", "e")).isEqualTo("1");
  }

  @Test
  void theFirstDelimiterSplitsAndCommentsStartAtColumnOne() {
    IniFile ini = IniFile.parseOsloConfig("# c\n; c\n[s]\nurl: http://h:1/a=b\nk = a:b\n");
    assertThat(value(ini, "s", "url")).isEqualTo("http://h:1/a=b");
    assertThat(value(ini, "s", "k")).isEqualTo("a:b");
  }

  @Test
  void malformedLinesAreSyntaxErrorsAtTheirLine() {
    assertThatThrownBy(() -> IniFile.parseOsloConfig("[s]\n\n  stray\n"))
        .isInstanceOfSatisfying(IniFile.SyntaxError.class, e -> assertThat(e.line()).isEqualTo(3));
    assertThatThrownBy(() -> IniFile.parseOsloConfig("k = v\n"))
        .isInstanceOfSatisfying(IniFile.SyntaxError.class, e -> assertThat(e.line()).isEqualTo(1));
    assertThatThrownBy(() -> IniFile.parseOsloConfig("[s\n"))
        .isInstanceOfSatisfying(IniFile.SyntaxError.class, e -> assertThat(e.line()).isEqualTo(1));
    assertThatThrownBy(() -> IniFile.parseOsloConfig("[]\n"))
        .isInstanceOf(IniFile.SyntaxError.class);
    assertThatThrownBy(() -> IniFile.parseOsloConfig("[s]\nnodelimiter\n"))
        .isInstanceOfSatisfying(IniFile.SyntaxError.class, e -> assertThat(e.line()).isEqualTo(2));
    assertThatThrownBy(() -> IniFile.parseOsloConfig("[s]\n = v\n"))
        .isInstanceOf(IniFile.SyntaxError.class);
  }
}
