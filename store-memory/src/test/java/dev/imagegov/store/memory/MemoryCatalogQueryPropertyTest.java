package dev.imagegov.store.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.testkit.gen.CatalogHistories;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.EnumSet;
import java.util.function.Supplier;
import dev.imagegov.spi.ImageField;
import dev.imagegov.testkit.gen.PropertyMaps;
import org.junit.jupiter.api.Test;

/**
 * What the catalog contract ({@link MemoryCatalogContractTest}) checks only on short runs of
 * changes, checked here on long ones, many times: after a generated history of inserts,
 * compare-and-sets and deletes, the indexed query path answers exactly what {@link
 * QueryEvaluator#evaluate} answers over the live images, and walking the pages with markers lists
 * the whole result once. The history keeps {@code find} in step with a plain map as it plays.
 */
class MemoryCatalogQueryPropertyTest {
  private int nonEmptyAnswers;
  private int multiPageWalks;

  @Test
  void queriesAnswerExactlyWhatTheEvaluatorAnswersAndPagesWalkTheWholeResult() {
    checkAgainstTheEvaluator(MemoryCatalog::new, 20261207L);
  }

  /**
   * The same with every sort field and every generated custom property indexed, so that every
   * plan (a sort family read forwards and backwards, equality ranges of each field, tag and
   * property indexes, markers placed inside a range) answers some of the queries.
   */
  @Test
  void aCatalogIndexingEverySortFieldAndPropertyAnswersExactlyWhatTheEvaluatorAnswers() {
    checkAgainstTheEvaluator(
        () ->
            MemoryCatalog.builder()
                .sortIndexes(EnumSet.allOf(ImageField.class))
                .propertyIndexes(PropertyMaps.CUSTOM_KEYS)
                .build(),
        20261208L);
  }

  /**
   * A catalog bulk-loaded ({@link MemoryCatalog#loader}) with the live images and tombstones a
   * history left, every sort field and property indexed, answers exactly what the evaluator
   * answers, as one built by the history itself.
   */
  @Test
  void aBulkLoadedCatalogAnswersExactlyWhatTheEvaluatorAnswers() {
    checkAgainstTheEvaluator(
        () -> MemoryCatalog.builder()
            .sortIndexes(EnumSet.allOf(ImageField.class))
            .propertyIndexes(PropertyMaps.CUSTOM_KEYS)
            .build(),
        20261209L, true);
  }

  private void checkAgainstTheEvaluator(Supplier<MemoryCatalog> catalogs, long seed) {
    checkAgainstTheEvaluator(catalogs, seed, false);
  }

  private void checkAgainstTheEvaluator(
      Supplier<MemoryCatalog> catalogs, long seed, boolean bulkLoaded) {
    // A fixed seed: the same histories every run, so that the counts below are certain.
    qt().withFixedSeed(seed)
        .withExamples(1000)
        .forAll(
            CatalogHistories.histories(),
            lists().of(CatalogHistories.questions()).ofSizeBetween(1, 8))
        .checkAssert(
            (history, questions) -> {
              Map<ImageId, Image> model = new TreeMap<>();
              MemoryCatalog played = catalogs.get();
              Map<ImageId, Tombstone> dead = new HashMap<>();
              CatalogHistories.play(played, history, model, dead);
              MemoryCatalog catalog = bulkLoaded ? bulkCopy(played, dead, catalogs) : played;
              List<Image> live = List.copyOf(model.values());
              List<ImageId> liveIds = List.copyOf(model.keySet());
              for (CatalogHistories.Question question : questions) {
                checkQuery(catalog, live, model, question.at(liveIds));
              }
            });
    // The generators must produce interesting cases, not only empty lists.
    assertThat(nonEmptyAnswers).as("non-empty answers from seed %d", seed).isGreaterThan(150);
    assertThat(multiPageWalks).as("walks of several pages from seed %d", seed).isGreaterThan(40);
  }

  /** A new catalog bulk-loaded with the live images and the tombstones of {@code played}. */
  private static MemoryCatalog bulkCopy(
      MemoryCatalog played, Map<ImageId, Tombstone> dead, Supplier<MemoryCatalog> catalogs) {
    MemoryCatalog loaded = catalogs.get();
    MemoryCatalog.Loader loader = loaded.loader();
    played.forEach(loader::add);
    for (ImageId id : dead.keySet()) {
      loader.add(played.tombstone(id).orElseThrow());
    }
    loader.finish();
    assertThat(loaded.size()).isEqualTo(played.size());
    return loaded;
  }

  private void checkQuery(
      MemoryCatalog catalog, List<Image> live, Map<ImageId, Image> model, CatalogQuery query) {
    List<Image> answer = catalog.query(query);
    assertThat(answer)
        .as("%s", query)
        .containsExactlyElementsOf(
            QueryEvaluator.evaluate(query, live, id -> Optional.ofNullable(model.get(id))));
    if (!answer.isEmpty()) {
      nonEmptyAnswers++;
    }

    int pageSize = Math.max(1, Math.min(query.limit(), 7));
    List<Image> all =
        QueryEvaluator.evaluate(
            query.toBuilder().limit(Integer.MAX_VALUE).build(),
            live,
            id -> Optional.ofNullable(model.get(id)));
    List<Image> walked = new ArrayList<>();
    CatalogQuery page = query.toBuilder().limit(pageSize).build();
    while (true) {
      List<Image> rows = catalog.query(page);
      walked.addAll(rows);
      if (rows.size() < pageSize || walked.size() > all.size()) {
        break;
      }
      page = page.toBuilder().marker(rows.get(rows.size() - 1).id()).build();
    }
    assertThat(walked).as("pages of %s", query).containsExactlyElementsOf(all);
    if (all.size() > pageSize) {
      multiPageWalks++;
    }
  }
}
