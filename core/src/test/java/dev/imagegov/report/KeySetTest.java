package dev.imagegov.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The key set is exact: it holds what was added and nothing else, ids or not. */
class KeySetTest {
  @Test
  void holdsExactlyTheKeysAddedWhateverTheirForm() {
    Random r = new Random(20_261_207L);
    KeySet keys = new KeySet();
    Set<String> added = new HashSet<>();
    for (int i = 0; i < 5_000; i++) {
      String id = new UUID(r.nextLong(), r.nextLong()).toString();
      String key = switch (i % 7) {
        case 0 -> id.toUpperCase(java.util.Locale.ROOT);
        case 1 -> "stray-" + i;
        case 2 -> id.replace('-', 'x');
        default -> id;
      };
      keys.add(key);
      added.add(key);
    }
    for (String key : added) {
      assertThat(keys.contains(key)).as(key).isTrue();
    }
    for (int i = 0; i < 5_000; i++) {
      String id = new UUID(r.nextLong(), r.nextLong()).toString();
      assertThat(keys.contains(id)).as("seed 20261207: never added %s", id).isFalse();
      assertThat(keys.contains(id.toUpperCase(java.util.Locale.ROOT))).as(id).isFalse();
    }
  }

  @Test
  void theIdOfAllZerosAndOfAllOnesAreHeldLikeAnyOther() {
    KeySet keys = new KeySet();
    String zeros = new UUID(0, 0).toString();
    String ones = new UUID(-1, -1).toString();
    assertThat(keys.contains(zeros)).isFalse();
    assertThat(keys.contains(ones)).isFalse();
    keys.add(zeros);
    keys.add(ones);
    assertThat(keys.contains(zeros)).isTrue();
    assertThat(keys.contains(ones)).isTrue();
    assertThat(keys.contains(new UUID(0, 1).toString())).isFalse();
  }

  @Test
  void aKeyDifferingFromAnIdOnlyInCaseIsAnotherKey() {
    KeySet keys = new KeySet();
    String id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    keys.add(id);
    assertThat(keys.contains(id.toUpperCase(java.util.Locale.ROOT))).isFalse();
    assertThat(keys.contains("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4")).isFalse();
  }
}
