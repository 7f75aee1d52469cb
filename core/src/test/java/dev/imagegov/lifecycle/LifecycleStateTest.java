package dev.imagegov.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The lifecycle state machine's table, every pair, and its wire names. */
final class LifecycleStateTest {
  private static final Set<String> LEGAL = Set.of(
      "ACTIVE->DEPRECATED", "DEPRECATED->ACTIVE", "DEPRECATED->OBSOLETE", "OBSOLETE->DELETED");

  @Test
  void everyPairMovesExactlyAsTheTableSays() {
    for (LifecycleState from : LifecycleState.values()) {
      for (LifecycleState to : LifecycleState.values()) {
        assertThat(from.canMoveTo(to)).as("%s -> %s", from, to)
            .isEqualTo(LEGAL.contains(from + "->" + to));
      }
    }
  }

  @Test
  void onlyDeletedIsTerminal() {
    for (LifecycleState s : LifecycleState.values()) {
      assertThat(s.isTerminal()).as("%s", s).isEqualTo(s == LifecycleState.DELETED);
      assertThat(s.successors().isEmpty()).as("%s", s).isEqualTo(s.isTerminal());
    }
  }

  @Test
  void wireNamesRoundTrip() {
    for (LifecycleState s : EnumSet.allOf(LifecycleState.class)) {
      assertThat(LifecycleState.fromWireName(s.wireName())).contains(s);
    }
    assertThat(LifecycleState.fromWireName("Active")).isEmpty();
  }
}
