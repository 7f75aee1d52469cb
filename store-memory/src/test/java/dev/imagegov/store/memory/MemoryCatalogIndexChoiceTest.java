package dev.imagegov.store.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.FilterOperator;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Indexed answers equal the full scan's ({@link QueryEvaluator#evaluate} over every image) on
 * catalogs large enough that the plan's choice between the caller's selectors and an owner,
 * tag, property or equality index goes both ways: random {@link CloudLists} catalogs (a random
 * size, a random share of images changed after insertion) and random combinations of the
 * common shapes' parameters, with and without a marker (a row of the whole answer), for a
 * consumer, an owner and an admin, under the default indexes and under every Glance sort key and two indexed properties. Fixed
 * seeds: the same catalogs and queries every run.
 */
class MemoryCatalogIndexChoiceTest {
  private static final List<String> NAMES = List.of("ubuntu-1", "debian-0", "rocky-1", "none");

  @Test
  void theDefaultIndexesAnswerWhatTheFullScanAnswers() {
    check(20261207L, () -> MemoryCatalog.builder().build());
  }

  @Test
  void everyGlanceSortKeyAndTwoIndexedPropertiesAnswerWhatTheFullScanAnswers() {
    check(
        20261209L,
        () ->
            MemoryCatalog.builder()
                .sortIndexes(MemoryCatalog.GLANCE_SORT_INDEXES)
                .propertyIndexes(List.of("os_distro", "prop_3"))
                .build());
  }

  private static void check(long seed, java.util.function.Supplier<MemoryCatalog> catalogs) {
    Random random = new Random(seed);
    int nonEmpty = 0;
    for (int round = 0; round < 6; round++) {
      MemoryCatalog catalog = catalogs.get();
      int size = 200 + random.nextInt(3000);
      Map<ImageId, Image> model = new HashMap<>();
      for (int n = 0; n < size; n++) {
        Image stored = catalog.insert(CloudLists.image(n));
        model.put(stored.id(), stored);
      }
      // Move some images in their indexes: another owner, visibility or name.
      List<Image> images = new ArrayList<>(model.values());
      for (int k = 0; k < size / 10; k++) {
        Image old = images.get(random.nextInt(images.size()));
        Image current = model.get(old.id());
        Image changed =
            current.toBuilder()
                .owner(CloudLists.project(random.nextInt(CloudLists.OWNERS + CloudLists.CONSUMERS)))
                .name(NAMES.get(random.nextInt(NAMES.size())))
                .build();
        model.put(changed.id(), ((dev.imagegov.spi.CompareAndSetResult.Stored)
            catalog.compareAndSet(current.version(), changed)).image());
      }
      List<Image> live = List.copyOf(model.values());
      for (int q = 0; q < 150; q++) {
        CatalogQuery query = randomQuery(random);
        if (random.nextBoolean()) {
          List<Image> all = QueryEvaluator.evaluate(
              query.toBuilder().limit(Integer.MAX_VALUE).build(), live, id -> Optional.empty());
          if (!all.isEmpty()) {
            query = query.toBuilder().marker(all.get(random.nextInt(all.size())).id()).build();
          }
        }
        List<Image> expected =
            QueryEvaluator.evaluate(query, live, id -> Optional.ofNullable(model.get(id)));
        assertThat(catalog.query(query))
            .as("seed %d round %d (%d images): %s", seed, round, size, query)
            .containsExactlyElementsOf(expected);
        if (!expected.isEmpty()) {
          nonEmpty++;
        }
      }
    }
    assertThat(nonEmpty).as("non-empty answers from seed %d", seed).isGreaterThan(400);
  }

  private static CatalogQuery randomQuery(Random random) {
    int who = random.nextInt(3);
    CatalogQuery.Builder q =
        CatalogQuery.builder()
            .seesAll(who == 2)
            .project(who == 0 ? CloudLists.CONSUMER : who == 1 ? CloudLists.OWNER : CloudLists.ADMIN)
            .limit(1 + random.nextInt(40))
            .addFilters(FieldFilter.eq(ImageField.OS_HIDDEN, false));
    if (random.nextInt(3) == 0) {
      q.addFilters(FieldFilter.eq(ImageField.NAME, NAMES.get(random.nextInt(NAMES.size()))));
    }
    if (random.nextInt(3) == 0) {
      q.addTags(CloudLists.TAGS.get(random.nextInt(CloudLists.TAGS.size())));
    }
    if (random.nextInt(3) == 0) {
      List<String> owners = new ArrayList<>();
      for (int k = 1 + random.nextInt(2); k > 0; k--) {
        owners.add(CloudLists.project(random.nextInt(CloudLists.OWNERS + 2)).value());
      }
      q.addFilters(FieldFilter.of(ImageField.OWNER, FilterOperator.IN, owners));
    }
    if (random.nextInt(3) == 0) {
      q.putPropertyFilters(
          random.nextBoolean() ? "os_distro" : "prop_3",
          random.nextBoolean()
              ? CloudLists.DISTROS.get(random.nextInt(CloudLists.DISTROS.size()))
              : "v" + random.nextInt(4));
    }
    if (random.nextInt(4) == 0) {
      q.visibility(VisibilityFilter.values()[random.nextInt(VisibilityFilter.values().length)]);
    }
    if (random.nextInt(4) == 0) {
      q.memberStatus(MemberStatus.values()[random.nextInt(MemberStatus.values().length)]);
    }
    if (random.nextBoolean()) {
      List<ImageField> keys =
          List.of(
              ImageField.NAME, ImageField.SIZE, ImageField.STATUS, ImageField.DISK_FORMAT,
              ImageField.ID, ImageField.UPDATED_AT, ImageField.CREATED_AT);
      ImageField key = keys.get(random.nextInt(keys.size()));
      q.addSort(random.nextBoolean() ? SortKey.asc(key) : SortKey.desc(key));
    }
    return q.build();
  }
}
