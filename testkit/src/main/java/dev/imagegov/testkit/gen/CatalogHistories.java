package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * Catalog histories: images inserted into an empty catalog, then a run of changes, each a delete or
 * a compare-and-set copying some attributes of a donor image onto a live image; and {@link
 * Question}s to ask the catalog afterwards, whose markers name one of its live images. For stores
 * whose indexes or persisted state must stay in step through long runs of changes
 * ({@link dev.imagegov.testkit.contract.CatalogContract}'s properties use short ones).
 *
 * <pre>{@code
 * qt().forAll(CatalogHistories.histories(), lists().of(CatalogHistories.questions()).ofSize(3))
 *     .checkAssert((history, questions) -> {
 *       Map<ImageId, Image> live = new TreeMap<>();
 *       CatalogHistories.play(catalog, history, live, new HashMap<>());
 *       ...
 *     });
 * }</pre>
 *
 * <p>Images are {@link Images#images()} (sometimes unowned, created within 6 seconds so that sorts
 * meet ties) with owners and members from {@link Catalogs#PROJECTS}; questions are {@link
 * Queries#catalogQueries()}. Inserted ids are numbered from 1; about one in five is written in
 * upper case, which Glance keeps, so the id order of a sort meets both cases. Shrinks towards fewer
 * images, fewer changes (the first change targeting the first image) and simpler images.
 */
public final class CatalogHistories {
  /** The projects histories draw owners and members from */
  public static final List<ProjectId> PROJECTS = Catalogs.PROJECTS;

  private static final int UNBOUNDED_LIMIT = 1000;

  private CatalogHistories() {}

  /**
   * A change to an inserted image (the {@code target}-th, modulo how many were inserted), skipped
   * if the image is deleted by then: a delete at its current version, or a compare-and-set of its
   * current version that takes the attributes {@code mask} selects from {@code donor} (bit 1
   * visibility, 2 members, 4 owner, 8 status, 16 name and size, 32 creation time, 64 tags and
   * properties, 128 protected and hidden).
   */
  public record Change(int target, boolean delete, int mask, Image donor) {
    @Override
    public String toString() {
      String on = "inserted[" + target + " % n]";
      return delete
          ? "delete " + on
          : "set " + on + " mask=" + mask + " from " + Images.describe(donor);
    }
  }

  /** A history: {@code inserts} (distinct ids) inserted in order, then {@code changes} applied. */
  public record History(List<Image> inserts, List<Change> changes) {
    /**
     * Copies the lists.
     *
     * @param changes the changes after the inserts, in order
     * @param inserts the images inserted first, in order
     */
    public History {
      inserts = List.copyOf(inserts);
      changes = List.copyOf(changes);
    }

    /** {@return the ids of the inserted images, in insert order} */
    public List<ImageId> ids() {
      List<ImageId> ids = new ArrayList<>(inserts.size());
      inserts.forEach(i -> ids.add(i.id()));
      return ids;
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder("history of ").append(inserts.size()).append(':');
      inserts.forEach(i -> out.append("\n  insert ").append(Images.describe(i)));
      changes.forEach(c -> out.append("\n  ").append(c));
      return out.toString();
    }
  }

  /**
   * A query and, if present, the index (modulo their count) of the live image its marker names.
   */
  public record Question(CatalogQuery query, Optional<Integer> marker) {
    /**
     * {@return the query, with its marker naming an image of {@code liveIds} (none if it is empty)}
     *
     * @param liveIds the ids of the live images after the history
     */
    public CatalogQuery at(List<ImageId> liveIds) {
      if (marker.isEmpty() || liveIds.isEmpty()) {
        return query;
      }
      return CatalogQuery.builder()
          .from(query)
          .marker(liveIds.get(marker.get() % liveIds.size()))
          .build();
    }

    @Override
    public String toString() {
      return Queries.describe(query) + marker.map(m -> " at live image " + m).orElse("");
    }
  }

  /** {@return histories of 0 to 30 inserted images and 0 to 30 changes} */
  public static Gen<History> histories() {
    return histories(30, 30);
  }

  /**
   * {@return histories of 0 to {@code maxImages} inserted images and 0 to {@code maxChanges}
   * changes}
   *
   * @param maxImages the most images inserted
   * @param maxChanges the most changes after the inserts
   */
  public static Gen<History> histories(int maxImages, int maxChanges) {
    if (maxImages < 0 || maxChanges < 0) {
      throw new IllegalArgumentException("history sizes must not be negative");
    }
    Gen<Image> images = Images.images().withProjects(PROJECTS).sometimesUnowned().createdWithin(6);
    Gen<Boolean> upperCase = integers().between(0, 4).map(i -> i == 4);
    Gen<List<Image>> inserts =
        lists()
            .of(images.zip(upperCase, Insert::new))
            .ofSizeBetween(0, maxImages)
            .map(CatalogHistories::numbered);
    Gen<Change> changes =
        in ->
            new Change(
                integers().between(0, 40).generate(in),
                integers().between(0, 5).generate(in) == 5,
                integers().between(1, 255).generate(in),
                images.generate(in));
    Gen<List<Change>> changeLists = lists().of(changes).ofSizeBetween(0, maxChanges);
    return inserts.zip(changeLists, History::new).describedAs(History::toString);
  }

  private record Insert(Image image, boolean upperCase) {}

  private static List<Image> numbered(List<Insert> inserts) {
    List<Image> out = new ArrayList<>(inserts.size());
    for (int i = 0; i < inserts.size(); i++) {
      String id = Ids.imageId(i + 1).value();
      Insert insert = inserts.get(i);
      out.add(
          Catalogs.withId(
              insert.image(), ImageId.of(insert.upperCase() ? id.toUpperCase(Locale.ROOT) : id)));
    }
    return out;
  }

  /**
   * Questions: {@link Queries#catalogQueries()}, about one in eight with a limit high enough to
   * list everything, half of them with a marker.
   *
   * @return questions: {@link Queries#catalogQueries()}, about one in eight with a limit high
   *     enough to list everything, half of them with a marker
   */
  public static Gen<Question> questions() {
    Gen<CatalogQuery> queries = Queries.catalogQueries(PROJECTS);
    Gen<Boolean> unbounded = integers().between(0, 7).map(i -> i == 7);
    Gen<Optional<Integer>> markers =
        integers()
            .between(0, 1000)
            .zip(integers().between(0, 1), (m, has) -> has == 1 ? Optional.of(m) : Optional.empty());
    return new Gen<Question>() {
      @Override
      public Question generate(RandomnessSource in) {
        CatalogQuery query = queries.generate(in);
        if (unbounded.generate(in)) {
          query = CatalogQuery.builder().from(query).limit(UNBOUNDED_LIMIT).build();
        }
        return new Question(query, markers.generate(in));
      }

      @Override
      public String asString(Question q) {
        return q.toString();
      }
    };
  }

  /**
   * Plays {@code history} into {@code catalog} (empty, or holding none of its ids), keeping {@code
   * live} (id to the stored image) and {@code dead} (id to tombstone) in step.
   *
   * @param catalog the catalog of images and members
   * @param history the inserts and changes to play, in order
   * @param live receives the live images as stored
   * @param dead receives the tombstones of deleted images
   * @throws AssertionError if the catalog's {@code find} disagrees with {@code live} before a
   *     change
   */
  public static void play(
      Catalog catalog, History history, Map<ImageId, Image> live, Map<ImageId, Tombstone> dead) {
    for (Image image : history.inserts()) {
      Image stored = catalog.insert(image);
      live.put(stored.id(), stored);
    }
    List<ImageId> ids = history.ids();
    for (Change change : history.changes()) {
      if (ids.isEmpty()) {
        break;
      }
      ImageId id = ids.get(change.target() % ids.size());
      Optional<Image> current = catalog.find(id);
      if (!current.equals(Optional.ofNullable(live.get(id)))) {
        throw new AssertionError(
            "find(" + id + ") answered " + current + " but the history left " + live.get(id));
      }
      if (current.isEmpty()) {
        continue;
      }
      Image image = current.get();
      if (change.delete()) {
        dead.put(id, catalog.delete(id, image.version(), ImageStatus.DELETED, Images.T0));
        live.remove(id);
        continue;
      }
      live.put(id, catalog.compareAndSet(image.version(), apply(change, image)).orElseThrow());
    }
  }

  private static Image apply(Change change, Image image) {
    Image donor = Catalogs.withId(change.donor(), image.id());
    int m = change.mask();
    return image.toBuilder()
        .visibility((m & 1) != 0 ? donor.visibility() : image.visibility())
        .members((m & 2) != 0 ? donor.members() : image.members())
        .owner((m & 4) != 0 ? donor.owner() : image.owner())
        .status((m & 8) != 0 ? donor.status() : image.status())
        .name((m & 16) != 0 ? donor.name() : image.name())
        .size((m & 16) != 0 ? donor.size() : image.size())
        .createdAt((m & 32) != 0 ? donor.createdAt() : image.createdAt())
        .tags((m & 64) != 0 ? donor.tags() : image.tags())
        .properties((m & 64) != 0 ? donor.properties() : image.properties())
        .isProtected((m & 128) != 0 ? donor.isProtected() : image.isProtected())
        .osHidden((m & 128) != 0 ? donor.osHidden() : image.osHidden())
        .build();
  }
}
