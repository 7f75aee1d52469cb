package dev.imagegov.store.file;

import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.ProjectUsage;
import dev.imagegov.model.Tombstone;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.Catalog;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.FilterOperator;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.SortKey;
import dev.imagegov.spi.VisibilityFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.quicktheories.core.Gen;

/** Generated catalog histories and queries (the memory store's generators, shared by copy until
 * the testkit offers them). */
final class CatalogHistories {
  private CatalogHistories() {}

  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final List<ProjectId> PROJECTS =
      List.of(ProjectId.of("p0"), ProjectId.of("p1"), ProjectId.of("p2"), ProjectId.of("p3"));
  private static final List<String> NAMES = List.of("alpha", "beta", "gamma");
  private static final List<String> TAGS = List.of("a", "b", "c");
  private static final List<ImageStatus> LIVE_STATUSES =
      List.of(
          ImageStatus.QUEUED,
          ImageStatus.SAVING,
          ImageStatus.ACTIVE,
          ImageStatus.ACTIVE,
          ImageStatus.KILLED,
          ImageStatus.DEACTIVATED,
          ImageStatus.UPLOADING,
          ImageStatus.IMPORTING);

  /** An image's attributes without its id. */
  record Spec(
      Optional<String> name,
      ImageStatus status,
      Visibility visibility,
      Optional<ProjectId> owner,
      OptionalLong size,
      int minDisk,
      boolean isProtected,
      boolean osHidden,
      Set<String> tags,
      Map<String, String> properties,
      Map<ProjectId, MemberStatus> members,
      long createdSecond) {
    Image build(ImageId id) {
      Instant created = T0.plusSeconds(createdSecond);
      Map<ProjectId, Member> rows = new LinkedHashMap<>();
      members.forEach(
          (p, s) ->
              rows.put(
                  p,
                  Member.builder()
                      .imageId(id)
                      .project(p)
                      .status(s)
                      .createdAt(created)
                      .updatedAt(created)
                      .build()));
      return Image.builder()
          .id(id)
          .name(name)
          .status(status)
          .visibility(visibility)
          .owner(owner)
          .size(size)
          .minDisk(minDisk)
          .isProtected(isProtected)
          .osHidden(osHidden)
          .tags(tags)
          .properties(properties)
          .members(rows)
          .createdAt(created)
          .updatedAt(created.plusSeconds(minDisk))
          .build();
    }
  }

  /** A change to an existing image: copy some of the donor's attributes, or delete it. */
  record Change(int target, boolean delete, int mask, Spec donor) {}

  /** A catalog history: images inserted, then changed. */
  record History(List<ImageId> ids, List<Spec> inserts, List<Change> changes) {}

  /** A query and the index of its marker among the live images, if it has one. */
  record QuerySpec(CatalogQuery query, Optional<Integer> marker) {}

  private static <T> Gen<Optional<T>> optional(Gen<T> gen) {
    return in -> booleans().all().generate(in) ? Optional.of(gen.generate(in)) : Optional.empty();
  }

  private static <T> Gen<Set<T>> subsetOf(List<T> values) {
    return in -> {
      Set<T> chosen = new LinkedHashSet<>();
      for (T value : values) {
        if (integers().between(0, 2).generate(in) == 0) {
          chosen.add(value);
        }
      }
      return chosen;
    };
  }

  static Gen<ImageId> ids() {
    Gen<Long> low = longs().between(0, 40);
    Gen<Boolean> upper = integers().between(0, 4).map(i -> i == 0);
    return in -> {
      String text = new UUID(low.generate(in) % 3, low.generate(in)).toString();
      return ImageId.of(upper.generate(in) ? text.toUpperCase(Locale.ROOT) : text);
    };
  }

  static Gen<Spec> specs() {
    Gen<Optional<String>> names = optional(arbitrary().pick(NAMES));
    Gen<ImageStatus> statuses = arbitrary().pick(LIVE_STATUSES);
    Gen<Visibility> visibilities = arbitrary().enumValues(Visibility.class);
    Gen<Optional<ProjectId>> owners =
        in -> integers().between(0, 5).generate(in) == 0
            ? Optional.empty()
            : Optional.of(arbitrary().pick(PROJECTS).generate(in));
    Gen<OptionalLong> sizes =
        in -> booleans().all().generate(in)
            ? OptionalLong.of(longs().between(0, 100).generate(in))
            : OptionalLong.empty();
    Gen<Integer> small = integers().between(0, 3);
    Gen<Set<String>> tags = subsetOf(TAGS);
    Gen<Map<String, String>> properties =
        optional(arbitrary().pick("linux", "windows")).map(
            os -> os.map(o -> Map.of("os", o)).orElse(Map.of()));
    Gen<MemberStatus> memberStatuses = arbitrary().enumValues(MemberStatus.class);
    Gen<Set<ProjectId>> memberProjects = subsetOf(PROJECTS);
    Gen<Long> seconds = longs().between(0, 6);
    return in -> {
      Map<ProjectId, MemberStatus> members = new LinkedHashMap<>();
      for (ProjectId p : memberProjects.generate(in)) {
        members.put(p, memberStatuses.generate(in));
      }
      return new Spec(
          names.generate(in),
          statuses.generate(in),
          visibilities.generate(in),
          owners.generate(in),
          sizes.generate(in),
          small.generate(in),
          booleans().all().generate(in),
          booleans().all().generate(in),
          tags.generate(in),
          properties.generate(in),
          members,
          seconds.generate(in));
    };
  }

  static Gen<History> histories() {
    Gen<List<ImageId>> ids = lists().of(ids()).ofSizeBetween(0, 30);
    Gen<Spec> specs = specs();
    Gen<Change> changes =
        in -> new Change(
            integers().between(0, 40).generate(in),
            integers().between(0, 5).generate(in) == 0,
            integers().between(1, 255).generate(in),
            specs.generate(in));
    Gen<List<Change>> changeLists = lists().of(changes).ofSizeBetween(0, 30);
    return in -> {
      List<ImageId> chosen = List.copyOf(new LinkedHashSet<>(ids.generate(in)));
      List<Spec> inserts = new ArrayList<>();
      for (int i = 0; i < chosen.size(); i++) {
        inserts.add(specs.generate(in));
      }
      return new History(chosen, inserts, changeLists.generate(in));
    };
  }

  static Gen<FieldFilter> filters() {
    List<Gen<FieldFilter>> kinds = new ArrayList<>();
    Gen<String> names = arbitrary().pick(NAMES);
    Gen<String> owners =
        arbitrary().pick(PROJECTS).map(ProjectId::value).mix(arbitrary().constant("nobody"), 10);
    kinds.add(in -> FieldFilter.eq(ImageField.NAME, names.generate(in)));
    kinds.add(in -> FieldFilter.of(ImageField.NAME, FilterOperator.NEQ,
        List.of(names.generate(in))));
    kinds.add(in -> FieldFilter.of(ImageField.NAME, FilterOperator.IN,
        List.of(names.generate(in), names.generate(in))));
    kinds.add(in -> FieldFilter.eq(ImageField.OWNER, owners.generate(in)));
    kinds.add(in -> FieldFilter.of(ImageField.OWNER, FilterOperator.IN,
        List.of(owners.generate(in), owners.generate(in))));
    kinds.add(in -> FieldFilter.of(ImageField.OWNER, FilterOperator.NEQ,
        List.of(owners.generate(in))));
    kinds.add(in -> FieldFilter.eq(ImageField.STATUS,
        arbitrary().pick(LIVE_STATUSES).generate(in).wireName()));
    kinds.add(in -> FieldFilter.eq(ImageField.VISIBILITY,
        arbitrary().enumValues(Visibility.class).generate(in).wireName()));
    kinds.add(in -> FieldFilter.of(ImageField.SIZE,
        arbitrary().pick(FilterOperator.GT, FilterOperator.LTE).generate(in),
        List.of(longs().between(0, 100).generate(in))));
    kinds.add(in -> FieldFilter.of(ImageField.MIN_DISK, FilterOperator.GTE,
        List.of((long) integers().between(0, 3).generate(in))));
    kinds.add(in -> FieldFilter.eq(ImageField.PROTECTED, booleans().all().generate(in)));
    kinds.add(in -> FieldFilter.eq(ImageField.OS_HIDDEN, booleans().all().generate(in)));
    kinds.add(in -> FieldFilter.of(ImageField.CREATED_AT,
        arbitrary().pick(FilterOperator.GT, FilterOperator.LT).generate(in),
        List.of(T0.plusSeconds(longs().between(0, 6).generate(in)))));
    Gen<Integer> kind = integers().between(0, kinds.size() - 1);
    return in -> kinds.get(kind.generate(in)).generate(in);
  }

  static Gen<List<SortKey>> sorts() {
    List<SortKey> defaultOrder =
        List.of(SortKey.desc(ImageField.CREATED_AT), SortKey.desc(ImageField.ID));
    List<SortKey> reverseOrder =
        List.of(SortKey.asc(ImageField.CREATED_AT), SortKey.asc(ImageField.ID));
    Gen<ImageField> fields =
        arbitrary().pick(ImageField.NAME, ImageField.SIZE, ImageField.CREATED_AT,
            ImageField.UPDATED_AT, ImageField.OWNER, ImageField.ID, ImageField.STATUS,
            ImageField.MIN_DISK);
    return in -> {
      switch (integers().between(0, 5).generate(in)) {
        case 0:
        case 1:
          return List.of();
        case 2:
          return booleans().all().generate(in) ? defaultOrder : reverseOrder;
        case 3:
          return List.of(SortKey.asc(ImageField.CREATED_AT));
        default:
          Map<ImageField, SortKey> keys = new LinkedHashMap<>();
          int count = integers().between(1, 3).generate(in);
          for (int i = 0; i < count; i++) {
            ImageField f = fields.generate(in);
            keys.putIfAbsent(f, booleans().all().generate(in) ? SortKey.asc(f) : SortKey.desc(f));
          }
          return List.copyOf(keys.values());
      }
    };
  }

  static Gen<QuerySpec> queries() {
    Gen<Optional<ProjectId>> projects =
        optional(
            arbitrary().pick(PROJECTS).mix(arbitrary().constant(ProjectId.of("outsider")), 15));
    Gen<Optional<MemberStatus>> memberStatuses =
        optional(arbitrary().enumValues(MemberStatus.class));
    Gen<VisibilityFilter> visibilities = arbitrary().enumValues(VisibilityFilter.class);
    Gen<List<FieldFilter>> filters = lists().of(filters()).ofSizeBetween(0, 2);
    Gen<Map<String, String>> properties =
        optional(arbitrary().pick("linux", "windows")).map(
            os -> os.map(o -> Map.of("os", o)).orElse(Map.of()));
    Gen<Set<String>> tags = subsetOf(TAGS);
    Gen<List<SortKey>> sorts = sorts();
    Gen<Integer> limits = integers().between(0, 7).mix(arbitrary().constant(1000), 15);
    Gen<Optional<Integer>> markers = optional(integers().between(0, 1000));
    return in -> {
      boolean seesAll = integers().between(0, 3).generate(in) == 0;
      CatalogQuery query =
          CatalogQuery.builder()
              .seesAll(seesAll)
              .project(projects.generate(in))
              .memberStatus(memberStatuses.generate(in))
              .visibility(visibilities.generate(in))
              .addAllFilters(filters.generate(in))
              .putAllPropertyFilters(
                  integers().between(0, 3).generate(in) == 0
                      ? properties.generate(in) : Map.of())
              .addAllTags(integers().between(0, 3).generate(in) == 0 ? tags.generate(in) : Set.of())
              .addAllSort(sorts.generate(in))
              .limit(limits.generate(in))
              .build();
      return new QuerySpec(query, markers.generate(in));
    };
  }

  /** Plays a history into {@code catalog}, keeping {@code model} (id to live image) in step. */
  static void play(
      Catalog catalog, History history, Map<ImageId, Image> model, Map<ImageId, Tombstone> dead) {
    for (int i = 0; i < history.ids().size(); i++) {
      Image stored = catalog.insert(history.inserts().get(i).build(history.ids().get(i)));
      model.put(stored.id(), stored);
    }
    List<ImageId> ids = history.ids();
    for (Change change : history.changes()) {
      if (ids.isEmpty()) {
        break;
      }
      ImageId id = ids.get(change.target() % ids.size());
      Optional<Image> current = catalog.find(id);
      if (current.isEmpty()) {
        continue;
      }
      Image image = current.get();
      if (change.delete()) {
        dead.put(id, catalog.delete(id, image.version(), ImageStatus.DELETED, T0));
        model.remove(id);
        continue;
      }
      Image donor = change.donor().build(id);
      int m = change.mask();
      Image replacement =
          image.toBuilder()
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
      model.put(id, catalog.compareAndSet(image.version(), replacement));
    }
  }

  /** The usage of every test project, counted over {@code live}. */
  static Map<ProjectId, ProjectUsage> usageOf(Iterable<Image> live) {
    Map<ProjectId, ProjectUsage> usage = new TreeMap<>();
    for (ProjectId project : PROJECTS) {
      usage.put(project, ProjectUsage.zero());
    }
    for (Image image : live) {
      image.owner().ifPresent(
          o -> usage.merge(o, ProjectUsage.of(1, image.size().orElse(0)), ProjectUsage::plus));
    }
    return usage;
  }
}
