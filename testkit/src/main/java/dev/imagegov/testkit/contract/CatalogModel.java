package dev.imagegov.testkit.contract;

import static org.quicktheories.generators.SourceDSL.integers;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CompareAndSetResult;
import dev.imagegov.testkit.gen.Ids;
import dev.imagegov.testkit.gen.Images;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.quicktheories.core.Gen;
import org.quicktheories.core.stateful.Command;
import org.quicktheories.generators.Generate;

/**
 * A small model of a catalog for QuickTheories' stateful checks: three image ids, two projects, and
 * per image its version, owner, size and a counter property. Commands are run sequentially against
 * the model and the catalog, then concurrently, and the catalog's final state must be the end state
 * of some order of the commands.
 */
final class CatalogModel {
  static final List<ImageId> IDS = List.of(Ids.imageId(1), Ids.imageId(2), Ids.imageId(3));
  static final List<ProjectId> PROJECTS = List.of(ProjectId.of("p0"), ProjectId.of("p1"));
  static final String COUNTER = "counter";

  private CatalogModel() {}

  /** What the model knows of one live image. */
  record Row(long version, ProjectId owner, long size, int counter) {}

  /** The whole observable state: live rows and deleted ids. */
  record State(Map<ImageId, Row> live, Set<ImageId> deleted) {
    static State of(Map<ImageId, Row> live, Set<ImageId> deleted) {
      return new State(new TreeMap<>(live), new TreeSet<>(deleted));
    }

    State with(ImageId id, Row row) {
      Map<ImageId, Row> m = new TreeMap<>(live);
      m.put(id, row);
      return of(m, deleted);
    }

    State without(ImageId id) {
      Map<ImageId, Row> m = new TreeMap<>(live);
      m.remove(id);
      Set<ImageId> d = new TreeSet<>(deleted);
      d.add(id);
      return of(m, d);
    }
  }

  /** Images #1 (owned by p0) and #2 (owned by p1) at version 1; #3 is free. */
  static State initial() {
    Map<ImageId, Row> live = new TreeMap<>();
    live.put(IDS.get(0), new Row(1, PROJECTS.get(0), 0, 0));
    live.put(IDS.get(1), new Row(1, PROJECTS.get(1), 0, 0));
    return State.of(live, Set.of());
  }

  static Image image(ImageId id, Row row) {
    return Image.builder()
        .id(id)
        .owner(row.owner())
        .status(ImageStatus.ACTIVE)
        .visibility(Visibility.PRIVATE)
        .size(OptionalLong.of(row.size()))
        .putProperties(COUNTER, Integer.toString(row.counter()))
        .createdAt(Images.T0)
        .updatedAt(Images.T0)
        .build();
  }

  /** {@code image} with its counter property set to {@code counter}. */
  static Image withCounter(Image image, int counter) {
    Map<String, String> properties = new TreeMap<>(image.properties());
    properties.put(COUNTER, Integer.toString(counter));
    return image.toBuilder().properties(properties).build();
  }

  /** A fresh catalog from {@code factory} holding {@code state} (which has versions of 1 only). */
  static Catalog load(Supplier<Catalog> factory, State state) {
    Catalog catalog = factory.get();
    state.live().forEach((id, row) -> catalog.insert(image(id, row)));
    return catalog;
  }

  /** The state of {@code catalog} as the model sees it. */
  static State read(Catalog catalog) {
    Map<ImageId, Row> live = new TreeMap<>();
    Set<ImageId> deleted = new TreeSet<>();
    for (ImageId id : IDS) {
      Optional<Image> found = catalog.find(id);
      if (found.isPresent()) {
        Image i = found.get();
        live.put(
            id,
            new Row(
                i.version(),
                i.owner().orElse(ProjectId.of("-")),
                i.size().orElse(-1),
                Integer.parseInt(i.properties().getOrDefault(COUNTER, "-1"))));
      }
      if (catalog.tombstone(id).isPresent()) {
        deleted.add(id);
      }
    }
    return new State(live, deleted);
  }

  static Gen<Command<Catalog, State>> commands() {
    Gen<ImageId> ids = Generate.pick(IDS);
    Gen<Command<Catalog, State>> increment = ids.map(Increment::new);
    Gen<Command<Catalog, State>> move =
        ids.zip(Generate.pick(PROJECTS), (id, p) -> (Command<Catalog, State>) new Move(id, p));
    Gen<Command<Catalog, State>> casAt =
        ids.zip(
            integers().between(1, 3),
            integers().between(10, 12),
            (id, v, c) -> (Command<Catalog, State>) new CasAt(id, v, c));
    Gen<Command<Catalog, State>> delete = ids.map(Delete::new);
    Gen<Command<Catalog, State>> insert =
        ids.zip(Generate.pick(PROJECTS), (id, p) -> (Command<Catalog, State>) new Insert(id, p));
    return Generate.oneOf(increment, move, casAt, delete, insert);
  }

  /** Retries {@code change} on the current image until it commits or the image is gone. */
  interface Change {
    Image apply(Image current);
  }

  static void retry(Catalog catalog, ImageId id, Change change) {
    for (int attempt = 0; attempt < 10_000; attempt++) {
      Optional<Image> current = catalog.find(id);
      if (current.isEmpty()) {
        return;
      }
      CompareAndSetResult result =
          catalog.compareAndSet(current.get().version(), change.apply(current.get()));
      if (!result.isStale()) {
        return;
      }
    }
    throw new AssertionError("Compare-and-set: a retry loop on " + id + " never succeeded");
  }

  /** Adds one to the counter and the size, retrying on a stale version. */
  record Increment(ImageId id) implements Command<Catalog, State> {
    @Override
    public void run(Catalog catalog) {
      retry(
          catalog,
          id,
          i ->
              withCounter(
                  i.toBuilder().size(i.size().orElse(0) + 1).build(),
                  Integer.parseInt(i.properties().get(COUNTER)) + 1));
    }

    @Override
    public State nextState(State s) {
      Row r = s.live().get(id);
      return r == null
          ? s
          : s.with(id, new Row(r.version() + 1, r.owner(), r.size() + 1, r.counter() + 1));
    }

    @Override
    public String toString() {
      return "increment " + Ids.shortName(id);
    }
  }

  /** Gives the image to another project, retrying on a stale version. */
  record Move(ImageId id, ProjectId owner) implements Command<Catalog, State> {
    @Override
    public void run(Catalog catalog) {
      retry(catalog, id, i -> i.toBuilder().owner(owner).build());
    }

    @Override
    public State nextState(State s) {
      Row r = s.live().get(id);
      return r == null ? s : s.with(id, new Row(r.version() + 1, owner, r.size(), r.counter()));
    }

    @Override
    public String toString() {
      return "move " + Ids.shortName(id) + " to " + owner;
    }
  }

  /** Sets the counter once, only from {@code version}: no retry. */
  record CasAt(ImageId id, int version, int counter) implements Command<Catalog, State> {
    @Override
    public void run(Catalog catalog) {
      Optional<Image> current = catalog.find(id);
      if (current.isEmpty() || current.get().version() != version) {
        return;
      }
      catalog.compareAndSet(version, withCounter(current.get(), counter));
    }

    @Override
    public State nextState(State s) {
      Row r = s.live().get(id);
      return r == null || r.version() != version
          ? s
          : s.with(id, new Row(r.version() + 1, r.owner(), r.size(), counter));
    }

    @Override
    public String toString() {
      return "compare-and-set "
          + Ids.shortName(id)
          + " from v"
          + version
          + " to counter "
          + counter;
    }
  }

  /** Deletes the image, retrying on a stale version. */
  record Delete(ImageId id) implements Command<Catalog, State> {
    @Override
    public void run(Catalog catalog) {
      for (int attempt = 0; attempt < 10_000; attempt++) {
        Optional<Image> current = catalog.find(id);
        if (current.isEmpty()) {
          return;
        }
        try {
          catalog.delete(id, current.get().version(), ImageStatus.DELETED, Images.T0);
          return;
        } catch (GovernanceException e) {
          if (e.code() == StoreErrorCode.IMAGE_NOT_FOUND) {
            return;
          }
          if (e.code() != StoreErrorCode.STALE_VERSION) {
            throw e;
          }
        }
      }
      throw new AssertionError("Delete: a retry loop on " + id + " never succeeded");
    }

    @Override
    public State nextState(State s) {
      return s.live().containsKey(id) ? s.without(id) : s;
    }

    @Override
    public String toString() {
      return "delete " + Ids.shortName(id);
    }
  }

  /** Inserts the id owned by {@code owner}; refused if the id is known. */
  record Insert(ImageId id, ProjectId owner) implements Command<Catalog, State> {
    @Override
    public void run(Catalog catalog) {
      try {
        catalog.insert(image(id, new Row(1, owner, 0, 0)));
      } catch (GovernanceException e) {
        if (e.code() != StoreErrorCode.DUPLICATE_IMAGE_ID) {
          throw e;
        }
      }
    }

    @Override
    public State nextState(State s) {
      return s.live().containsKey(id) || s.deleted().contains(id)
          ? s
          : s.with(id, new Row(1, owner, 0, 0));
    }

    @Override
    public String toString() {
      return "insert " + Ids.shortName(id) + " owned by " + owner;
    }
  }
}
