package dev.imagegov.store.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writer process with SIGKILL at random moments, reopens its catalog after each kill and
 * checks that no acknowledged change was lost, that no unacknowledged change is half present, that
 * the indexes agree with a full scan and that usage equals the sum over the stored images. The
 * rounds ({@link KillRounds}) are fixed by {@code imagegov.crash.seed} (a new one each run,
 * named in every assertion); one in five kills the writer while it opens the catalog, the others
 * once it has acknowledged a change. The number of kills is {@code imagegov.crash.kills} (50 by
 * default).
 */
class FileCatalogCrashTest {
  private static final int THREADS = 4;

  @TempDir Path dir;

  /** What the writers tried and what they were told, per image. */
  private final Map<ImageId, Long> acknowledged = new HashMap<>();
  private final Map<ImageId, Long> attempted = new HashMap<>();
  private final Set<ImageId> deleteAcknowledged = new HashSet<>();
  private final Set<ImageId> deleteAttempted = new HashSet<>();

  @Test
  void everyAcknowledgedChangeSurvivesSigkillAndNothingElseIsHalfPresent() throws Exception {
    int kills = Integer.getInteger("imagegov.crash.kills", 50);
    long seed = Long.getLong("imagegov.crash.seed", System.nanoTime());
    KillRounds rounds = new KillRounds(getClass().getSimpleName(), seed, kills, 250);
    Path home = dir.resolve("catalog");
    for (int round = 0; round < kills; round++) {
      ProcessBuilder writer =
          ChildJvm.builder(CrashWriter.class, home.toString(), Integer.toString(round),
              Integer.toString(THREADS), Long.toString(rounds.childSeed()));
      record(rounds.kill(round, writer, dir.resolve("writer-" + round + ".out")));
      check(home, rounds.when(round));
    }
    System.out.println(rounds.summary());
  }

  private final List<String> output = new ArrayList<>();

  private List<String> mentions(ImageId id) {
    return output.stream().filter(l -> l.contains(id.value())).toList();
  }

  private void record(List<String> lines) {
    output.addAll(lines);
    for (String line : lines) {
      if (KillRounds.isSignal(line)) {
        continue;
      }
      String[] parts = line.split(" ");
      ImageId id = ImageId.of(parts[1]);
      switch (parts[0]) {
        case "i" -> attempted.merge(id, 1L, Math::max);
        case "u" -> attempted.merge(id, Long.parseLong(parts[2]), Math::max);
        case "d" -> deleteAttempted.add(id);
        case "I" -> acknowledged.merge(id, 1L, Math::max);
        case "U" -> acknowledged.merge(id, Long.parseLong(parts[2]), Math::max);
        case "D" -> deleteAcknowledged.add(id);
        default -> throw new AssertionError("unexpected output: " + line);
      }
    }
  }

  private void check(Path home, String when) {
    try (FileCatalog catalog = FileCatalog.open(home)) {
      Map<ImageId, Image> live = new HashMap<>();
      catalog.forEach(i -> live.put(i.id(), i));
      // Every acknowledged change is present.
      for (Map.Entry<ImageId, Long> ack : acknowledged.entrySet()) {
        ImageId id = ack.getKey();
        Image image = live.get(id);
        if (deleteAcknowledged.contains(id)) {
          assertThat(image == null).as("%s: acknowledged delete of %s", when, id).isTrue();
          assertThat(catalog.tombstone(id)).as(when).isPresent();
        } else if (image == null) {
          assertThat(deleteAttempted.contains(id))
              .as("%s: %s vanished without a delete", when, id).isTrue();
          assertThat(catalog.tombstone(id)).as(when).isPresent();
        } else {
          assertThat(image.version()).as("%s: version of %s", when, id)
              .isGreaterThanOrEqualTo(ack.getValue());
        }
      }
      // Nothing unacknowledged is half present: every image is a state some writer committed.
      for (Image image : live.values()) {
        assertThat(attempted.containsKey(image.id()))
            .as("%s: %s was stored but never tried; output: %s", when, image.id(),
                mentions(image.id()))
            .isTrue();
        assertThat(image.version()).as("%s: %s is past what was tried", when, image.id())
            .isLessThanOrEqualTo(attempted.get(image.id()));
        assertThat(image).as(when).isEqualTo(CrashWriter.content(image.id(), image.version()));
      }
      for (ImageId id : deleteAttempted) {
        if (!live.containsKey(id)) {
          assertThat(catalog.tombstone(id)).as("%s: %s is neither live nor deleted", when, id)
              .isPresent();
        }
      }
      assertThat(catalog.size()).as(when).isEqualTo(live.size());
      // The indexes agree with a full scan.
      List<Image> scan = new ArrayList<>(live.values());
      for (CatalogQuery query : queries()) {
        assertThat(catalog.query(query)).as("%s: %s", when, query)
            .containsExactlyElementsOf(QueryEvaluator.evaluate(query, scan, catalog::find));
      }
    }
  }

  private static List<CatalogQuery> queries() {
    List<CatalogQuery> queries = new ArrayList<>();
    queries.add(CatalogQuery.builder().seesAll(true).limit(Integer.MAX_VALUE).build());
    for (ProjectId project : CrashWriter.OWNERS) {
      queries.add(CatalogQuery.builder().project(project).limit(Integer.MAX_VALUE).build());
      queries.add(CatalogQuery.builder().project(project).visibility(VisibilityFilter.ALL)
          .memberStatus(Optional.of(MemberStatus.ACCEPTED)).limit(50).build());
      queries.add(CatalogQuery.builder().seesAll(true)
          .addFilters(FieldFilter.eq(ImageField.OWNER, project.value()))
          .addSort(SortKey.asc(ImageField.SIZE)).limit(Integer.MAX_VALUE).build());
    }
    queries.add(CatalogQuery.builder().visibility(VisibilityFilter.COMMUNITY)
        .limit(Integer.MAX_VALUE).build());
    queries.add(CatalogQuery.builder().seesAll(true).addTags("t1").putPropertyFilters("version",
        "3").limit(Integer.MAX_VALUE).build());
    return queries;
  }
}
