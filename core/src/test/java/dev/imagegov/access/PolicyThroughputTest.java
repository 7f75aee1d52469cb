package dev.imagegov.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Visibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** A rough throughput check of the fast path; run with {@code -Dimagegov.bench=true}. */
class PolicyThroughputTest {
  @Test
  @EnabledIfSystemProperty(named = "imagegov.bench", matches = "true")
  void getImageDecisionsPerSecond() {
    Policy p = Policy.secureDefaults();
    Caller[] callers = {Caller.reader("p-owner"), Caller.member("p-consumer"), Caller.of("p-x", "reader"), Caller.admin("p-a")};
    ImageTarget[] targets = new ImageTarget[callers.length];
    for (int i = 0; i < callers.length; i++) {
      targets[i] = ImageTarget.of(Fixtures.image(i % 2 == 0 ? Visibility.PRIVATE : Visibility.SHARED), callers[i]);
    }
    long allowed = 0;
    for (int round = 0; round < 5; round++) {
      long n = 5_000_000;
      long start = System.nanoTime();
      for (long i = 0; i < n; i++) {
        int k = (int) (i & 3);
        if (p.allows(Rules.GET_IMAGE, callers[k], targets[k])) {
          allowed++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println("get_image decisions/s: " + (long) (n / seconds));
    }
    assertThat(allowed).isPositive();
  }
}
