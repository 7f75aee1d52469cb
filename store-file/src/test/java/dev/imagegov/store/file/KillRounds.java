package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The kill rounds of a crash test, fixed by its seed. One round in five (rounded down) kills the
 * child while it opens, and so recovers, its store; every other round kills it while it writes.
 * The seed decides which rounds those are, the seed each child is given and each kill's delay,
 * so every run covers both kinds a fixed number of times.
 *
 * <p>Every delay starts at a signal from the child, never at its start: an opening round waits
 * for {@code OPENING} (printed just before the child opens its store), a writing round for
 * {@code READY} and then for the child's first acknowledged change. How fast a loaded machine
 * starts a JVM therefore decides only where a kill lands, never whether a writing round kills a
 * child that commits changes (it asserts so). Where an opening round's kill lands, before or
 * after {@code READY}, is up to the machine: {@link #summary} counts it. The children's protocol: {@code OPENING}, {@code READY}, then one line per change,
 * {@code x ARGS} (lower case) before it is tried and {@code X ARGS} (upper case) once it returned.
 */
final class KillRounds {
  /**
   * The longest delay from {@code OPENING} to the kill: about what a child's open of the crash
   * tests' catalog takes (400 to 500 ms measured on a lightly loaded two-core machine, most of it
   * class loading), so that most opening rounds' kills land inside the open.
   */
  private static final int MAX_OPENING_DELAY_MILLIS = 400;

  private final String test;
  private final long seed;
  private final int maxWritingDelayMillis;
  private final Random random;
  private final List<Boolean> opening = new ArrayList<>();
  private int landedBeforeReady;
  private long acknowledgements;
  /** Time spent, for the summary only (never asserted): to READY in writing rounds, in all. */
  private long readyNanos;
  private long roundNanos;
  private int writingRounds;

  /**
   * The schedule of {@code rounds} rounds for the test {@code test}; a writing round's kill comes
   * up to {@code maxWritingDelayMillis} after the first acknowledgement.
   */
  KillRounds(String test, long seed, int rounds, int maxWritingDelayMillis) {
    this.test = test;
    this.seed = seed;
    this.maxWritingDelayMillis = maxWritingDelayMillis;
    this.random = new Random(seed);
    for (int round = 0; round < rounds; round++) {
      opening.add(round < rounds / 5);
    }
    Collections.shuffle(opening, random);
  }

  /** The description of round {@code round}: names the test's seed, which replays the schedule. */
  String when(int round) {
    return test + " round " + round + " (" + (opening.get(round) ? "opening" : "writing")
        + "), seed " + seed + " (-Dimagegov.crash.seed=" + seed + ")";
  }

  /** The seed of the child of the next round; call once per round, before {@link #kill}. */
  long childSeed() {
    return random.nextLong();
  }

  /**
   * Runs round {@code round}: starts {@code child} with its standard output in {@code out},
   * SIGKILLs it at the round's moment and returns the complete lines it printed.
   */
  List<String> kill(int round, ProcessBuilder child, Path out) throws Exception {
    String when = when(round);
    long start = System.nanoTime();
    Process process = child.redirectOutput(out.toFile()).start();
    try {
      if (opening.get(round)) {
        assertThat(ChildJvm.awaitLine(process, out, "OPENING"::equals))
            .as("%s: the child started opening its store", when).isTrue();
        Thread.sleep(random.nextInt(MAX_OPENING_DELAY_MILLIS));
      } else {
        assertThat(ChildJvm.awaitLine(process, out, "READY"::equals))
            .as("%s: the child opened its store", when).isTrue();
        readyNanos += System.nanoTime() - start;
        writingRounds++;
        // The first changes of a fresh JVM are slow (class loading): kill once changes commit.
        assertThat(ChildJvm.awaitLine(process, out, KillRounds::isAcknowledgement))
            .as("%s: the child acknowledged a change", when).isTrue();
        Thread.sleep(random.nextInt(maxWritingDelayMillis));
      }
    } finally {
      process.destroyForcibly();
    }
    assertThat(process.waitFor(ChildJvm.HANG_SECONDS, java.util.concurrent.TimeUnit.SECONDS))
        .as("%s: the killed child exited", when).isTrue();
    roundNanos += System.nanoTime() - start;
    List<String> lines = ChildJvm.lines(out);
    if (opening.get(round) && !lines.contains("READY")) {
      landedBeforeReady++;
    }
    acknowledgements += lines.stream().filter(KillRounds::isAcknowledgement).count();
    return lines;
  }

  /** Whether a line of the protocol reports an acknowledged change. */
  static boolean isAcknowledgement(String line) {
    return line.length() > 2 && line.charAt(1) == ' ' && Character.isUpperCase(line.charAt(0));
  }

  /** Whether a line of the protocol is a signal rather than a change. */
  static boolean isSignal(String line) {
    return line.equals("OPENING") || line.equals("READY");
  }

  /**
   * What the rounds covered, for the test's output: where the opening rounds' kills landed is up
   * to the machine, so it is reported, not asserted.
   */
  String summary() {
    long openingRounds = opening.stream().filter(o -> o).count();
    return String.format(
        "%s, seed %d: %d rounds killed while writing, %d after OPENING (%d of them before READY);"
            + " %d changes acknowledged in all; a child took %d ms to READY and a round %d ms"
            + " until its child was gone (means)",
        test, seed, opening.size() - openingRounds, openingRounds, landedBeforeReady,
        acknowledgements, writingRounds == 0 ? 0 : readyNanos / writingRounds / 1_000_000,
        opening.isEmpty() ? 0 : roundNanos / opening.size() / 1_000_000);
  }
}
