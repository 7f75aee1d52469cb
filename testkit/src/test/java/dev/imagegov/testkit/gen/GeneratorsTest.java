package dev.imagegov.testkit.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListQueryParser;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The generators produce what they promise, describe it readably and shrink it small. */
class GeneratorsTest {
  private static final ListQueryParser PARSER = ListQueryParser.glanceDefaults();

  /**
   * The seed of the tests whose outcome depends on what was drawn (coverage, and what a failing
   * property shrinks to): fixed, so that they are certain; the other properties draw a new seed
   * each run.
   */
  private static final long SEED = 20261207L;

  @Test
  void everyInvalidListRequestFailsWithItsLabelledCode() {
    qt().withExamples(300)
        .forAll(Queries.invalidListRequests())
        .checkAssert(
            invalid ->
                assertThatThrownBy(() -> PARSER.parse(invalid.request()))
                    .as("%s", invalid)
                    .isInstanceOfSatisfying(
                        GovernanceException.class,
                        e -> assertThat(e.code()).as("%s", invalid).isEqualTo(invalid.expected())));
  }

  @Test
  void everyValidListRequestParses() {
    qt().withExamples(300).forAll(Queries.listRequests()).checkAssert(PARSER::parse);
  }

  @Test
  void constrainedImagesKeepTheirConstraints() {
    ProjectId producer = ProjectId.of("producer");
    qt().forAll(
            Images.images()
                .withVisibility(Visibility.SHARED)
                .ownedBy(producer)
                .withStatus(ImageStatus.ACTIVE))
        .checkAssert(
            image -> {
              assertThat(image.visibility()).isEqualTo(Visibility.SHARED);
              assertThat(image.owner()).contains(producer);
              assertThat(image.status()).isEqualTo(ImageStatus.ACTIVE);
              assertThat(image.members()).doesNotContainKey(producer);
            });
  }

  @Test
  void unconstrainedImagesAreLiveAndCoverEveryVisibility() {
    Set<Visibility> seen = new HashSet<>();
    qt().withFixedSeed(SEED)
        .withExamples(200)
        .forAll(Images.images())
        .checkAssert(
            image -> {
              assertThat(image.status().isDeleted()).isFalse();
              seen.add(image.visibility());
            });
    assertThat(seen)
        .as("visibilities of 200 images from seed %d", SEED)
        .containsExactlyInAnyOrder(Visibility.values());
  }

  @Test
  void catalogsHaveDistinctIdsAndMembersOfTheirOwnImage() {
    qt().forAll(Catalogs.catalogs(10))
        .checkAssert(
            images -> {
              Set<ImageId> ids = new HashSet<>();
              for (int i = 0; i < images.size(); i++) {
                Image image = images.get(i);
                assertThat(image.id()).isEqualTo(Ids.imageId(i + 1));
                assertThat(ids.add(image.id())).isTrue();
                for (Member m : image.members().values()) {
                  assertThat(m.imageId()).isEqualTo(image.id());
                  assertThat(Catalogs.PROJECTS).contains(m.project());
                }
              }
            });
  }

  @Test
  void propertyMapsMixInReservedAndBaseNamesOnlyWhenAsked() {
    qt().forAll(PropertyMaps.properties())
        .checkAssert(m -> assertThat(PropertyMaps.CUSTOM_KEYS).containsAll(m.keySet()));
    Set<String> keys = new HashSet<>();
    qt().withFixedSeed(SEED)
        .withExamples(300)
        .forAll(
            PropertyMaps.properties()
                .withReservedKeys()
                .withBaseAttributeNames()
                .ofSizeBetween(1, 4))
        .checkAssert(m -> keys.addAll(m.keySet()));
    assertThat(keys)
        .as("keys of 300 maps from seed %d", SEED)
        .anyMatch(k -> k.startsWith("os_glance_"))
        .contains("owner");
  }

  @Test
  void callersOfAProjectHaveTheAskedRole() {
    qt().forAll(Callers.of("p1").member())
        .checkAssert(c -> assertThat(Callers.describe(c)).isEqualTo("p1.member"));
    qt().forAll(Callers.of("p1").withRoles(Callers.Role.READER, Callers.Role.NO_ROLE))
        .checkAssert(c -> assertThat(Callers.describe(c)).isIn("p1.reader", "p1.no-role"));
    assertThat(Callers.Role.NO_PROJECT.in(ProjectId.of("p1")).project()).isEmpty();
  }

  /** What QuickTheories reports of a property over {@code gen} that {@code check} fails. */
  private static <T> AbstractThrowableAssert<?, ? extends Throwable> reportOf(
      Gen<T> gen, Consumer<T> check) {
    return assertThatThrownBy(() -> qt().withFixedSeed(SEED).forAll(gen).checkAssert(check))
        .as("the report of a property failing from seed %d", SEED);
  }

  @Test
  void aFailingPropertyReportsASmallReadableImage() {
    reportOf(Images.images(), i -> assertThat(i).isNull())
        .hasMessageContaining("#1{public queued owner=p0 created=+0s}");
  }

  @Test
  void aFailingPropertyReportsASmallReadableCatalog() {
    reportOf(Catalogs.catalogs(10), l -> assertThat(l).isEmpty())
        .hasMessageContaining("catalog of 1:\n  #1{public queued owner=p0 created=+0s}");
  }

  @Test
  void aFailingPropertyReportsASmallReadableQuery() {
    reportOf(Queries.catalogQueries(), q -> assertThat(q).isNull())
        .hasMessageContaining(
            "query{as p0 member_status=any visibility=default sort=[created_at:desc, id:desc]"
                + " limit=0}");
  }

  @Test
  void aFailingPropertyReportsASmallReadableHistory() {
    reportOf(CatalogHistories.histories(), h -> assertThat(h.inserts()).isEmpty())
        .hasMessageContaining("history of 1:\n  insert #1{public queued owner=p0 created=+0s}");
  }

  @Test
  void listsOfIdsShrinkTowardsTheFirstIds() {
    reportOf(Ids.imageIds(), id -> assertThat(id).isNull())
        .hasMessageContaining(Ids.imageId(1).value());
    assertThat(Ids.shortName(Ids.imageId(12))).isEqualTo("#12");
    assertThat(Projects.pool(2)).isEqualTo(List.of(ProjectId.of("p0"), ProjectId.of("p1")));
  }
}
