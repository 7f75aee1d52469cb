package dev.imagegov.internal.ini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

/** configparser's interpolation is bounded in depth and in the length it produces. */
class IniFileInterpolationTest {
  private static String interpolate(IniFile ini, String section, String key) {
    IniFile.Section s =
        ini.sections().stream().filter(x -> x.name().equals(section)).findFirst().orElseThrow();
    return ini.interpolate(s, ini.lookup(s, key).orElseThrow(), new HashSet<>());
  }

  @Test
  void interpolationNestedDeeperThanTenLevelsIsRefused() {
    StringBuilder chain = new StringBuilder("[s]\n");
    for (int i = 0; i < 10_000; i++) {
      chain.append("k").append(i).append(" = %(k").append(i + 1).append(")s\n");
    }
    chain.append("k10000 = end\n");
    IniFile ini = IniFile.parse(chain.toString());
    assertThatThrownBy(() -> interpolate(ini, "s", "k0"))
        .isInstanceOfSatisfying(IniFile.SyntaxError.class, e -> assertThat(e.line()).isEqualTo(2))
        .hasMessageContaining("nested more than 10 levels");
    assertThat(interpolate(ini, "s", "k9995")).isEqualTo("end");
    IniFile cycle = IniFile.parse("[s]\na = %(b)s\nb = %(a)s\n");
    assertThatThrownBy(() -> interpolate(cycle, "s", "a")).isInstanceOf(IniFile.SyntaxError.class);
  }

  @Test
  void interpolationLongerThanTheBoundIsRefused() {
    StringBuilder doubling = new StringBuilder("[s]\nk0 = x\n");
    for (int i = 1; i <= 9; i++) {
      doubling.append("k").append(i).append(" = ").append(("%(k" + (i - 1) + ")s").repeat(8)).append('\n');
    }
    IniFile ini = IniFile.parse(doubling.toString());
    assertThat(interpolate(ini, "s", "k6")).hasSize(1 << 18);
    assertThatThrownBy(() -> interpolate(ini, "s", "k9"))
        .isInstanceOf(IniFile.SyntaxError.class)
        .hasMessageContaining("more than " + IniFile.MAX_INTERPOLATED_LENGTH + " characters");
  }
}
