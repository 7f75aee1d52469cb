package dev.imagegov.store.memory;

import dev.imagegov.model.Image;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.FilterOperator;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.VisibilityFilter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The visibility indexes of listable images in one {@link Order}: by visibility (their union is
 * every listable image), by owner, and by (member project, member status) for the memberships of
 * shared images. {@link #selectors} picks, for a query, the few indexes whose union holds every
 * row the caller may list. Empty owner and membership indexes are dropped, so memory follows the
 * catalog. Writers are serialised by the catalog.
 */
final class IndexFamily {
  private final Order order;
  private final Map<Visibility, Index> byVisibility = new EnumMap<>(Visibility.class);
  private final ConcurrentHashMap<ProjectId, Index> byOwner = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MemberSlot, Index> byMember = new ConcurrentHashMap<>();

  private static final MemberStatus[] STATUSES = MemberStatus.values();
  private static final Visibility[] VISIBILITIES = Visibility.values();

  /** A member project with a membership status: the key of a membership index. */
  private record MemberSlot(ProjectId project, MemberStatus status) {}

  IndexFamily(Order order) {
    this.order = order;
    for (Visibility v : Visibility.values()) {
      byVisibility.put(v, new Index(order));
    }
  }

  Order order() {
    return order;
  }

  /** Indexes the listable image {@code slot} points at. */
  void add(Slot slot) {
    Image image = slot.image();
    byVisibility.get(image.visibility()).add(slot);
    if (image.owner().isPresent()) {
      byOwner.computeIfAbsent(image.owner().get(), o -> new Index(order)).add(slot);
    }
    if (image.visibility() == Visibility.SHARED) {
      for (Member member : image.members().values()) {
        byMember
            .computeIfAbsent(new MemberSlot(member.project(), member.status()), s -> new Index(order))
            .add(slot);
      }
    }
  }

  /**
   * Indexes the listable images of a bulk load into this family's empty indexes: {@code slots}
   * are in the default order, {@code positions} (null for the default order itself) the order of
   * their positions in this family's order ({@link BulkLoad#sortedPositions}), and {@code
   * groups} which indexes each position belongs to. Each slot is appended to the run of each of
   * its groups, and every run, sorted by construction, is built in linear time ({@link
   * Index#loadSorted}). One pass, no sort, no hash lookup and no per-entry key object.
   *
   * @param slots the slots of listable images, in the default order
   * @param positions the positions of {@code slots} in this family's order, or null when it is
   *     the default order
   * @param groups the groups of each position of {@code slots}
   */
  void load(Slot[] slots, int @Nullable [] positions, BulkLoad.Groups groups) {
    int count = groups.count();
    Object[][] runs = new Object[count][];
    for (int g = 0; g < count; g++) {
      runs[g] = new Object[groups.sizes[g]];
    }
    int[] filled = new int[count];
    int[] start = groups.start;
    int[] ids = groups.ids;
    for (int k = 0; k < slots.length; k++) {
      int i = positions == null ? k : positions[k];
      Slot slot = slots[i];
      for (int p = start[i], end = start[i + 1]; p < end; p++) {
        int g = ids[p];
        runs[g][filled[g]++] = slot;
      }
    }
    for (int g = 0; g < count; g++) {
      Object[] run = runs[g];
      if (g < VISIBILITIES.length) {
        if (run.length > 0) {
          byVisibility.get(VISIBILITIES[g]).loadSorted(run, run.length);
        }
      } else if (run.length > 0) {
        Index index = new Index(order);
        index.loadSorted(run, run.length);
        MemberStatus status = groups.statuses[g];
        ProjectId project = java.util.Objects.requireNonNull(groups.projects[g]);
        if (status == null) {
          byOwner.put(project, index);
        } else {
          byMember.put(new MemberSlot(project, status), index);
        }
      }
    }
  }

  /** Removes a slot indexed by {@link #add}, while it still points at the image it indexed. */
  void remove(Slot slot) {
    Image image = slot.image();
    byVisibility.get(image.visibility()).remove(slot);
    if (image.owner().isPresent()) {
      removeFrom(byOwner, image.owner().get(), slot);
    }
    if (image.visibility() == Visibility.SHARED) {
      for (Member member : image.members().values()) {
        removeFrom(byMember, new MemberSlot(member.project(), member.status()), slot);
      }
    }
  }

  /** Removes {@code slot} from the index of {@code key}, and the index once it is empty. */
  static <K> void removeFrom(ConcurrentHashMap<K, Index> map, K key, Slot slot) {
    Index index = map.get(key);
    if (index != null) {
      index.remove(slot);
      if (index.size() == 0) {
        map.remove(key);
      }
    }
  }

  /**
   * Whether {@code next} sorts by another value of this family's field than {@code old} (two
   * versions of one image, with the same creation time): then every entry of the image in this
   * family moves, since each of its indexes is ordered by that value.
   */
  private boolean keyChanges(Image old, Image next) {
    return !java.util.Objects.equals(order.value(old), order.value(next));
  }

  /**
   * The first half of moving {@code slot} from {@code old} to {@code next}, two versions of its
   * image with the same creation time, both listable: takes the slot out of the indexes of this
   * family that hold {@code old} and must not hold {@code next}, or out of all of them when the
   * family's sort value changes; an index whose entry stays where it is is not touched. Call
   * while the slot still points at {@code old}, then {@link #enter} once it points at {@code
   * next}.
   */
  void leave(Slot slot, Image old, Image next) {
    if (keyChanges(old, next)) {
      remove(slot);
      return;
    }
    if (old.visibility() != next.visibility()) {
      byVisibility.get(old.visibility()).remove(slot);
    }
    Optional<ProjectId> owner = old.owner();
    if (owner.isPresent() && !owner.equals(next.owner())) {
      removeFrom(byOwner, owner.get(), slot);
    }
    if (old.visibility() == Visibility.SHARED) {
      for (Member member : old.members().values()) {
        if (!hasMembership(next, member)) {
          removeFrom(byMember, new MemberSlot(member.project(), member.status()), slot);
        }
      }
    }
  }

  /**
   * The second half of {@link #leave}: puts {@code slot}, now pointing at {@code next}, into the
   * indexes of this family that hold {@code next} and did not hold {@code old} (all of them when
   * the family's sort value changed).
   */
  void enter(Slot slot, Image old, Image next) {
    if (keyChanges(old, next)) {
      add(slot);
      return;
    }
    if (old.visibility() != next.visibility()) {
      byVisibility.get(next.visibility()).add(slot);
    }
    Optional<ProjectId> owner = next.owner();
    if (owner.isPresent() && !owner.equals(old.owner())) {
      byOwner.computeIfAbsent(owner.get(), o -> new Index(order)).add(slot);
    }
    if (next.visibility() == Visibility.SHARED) {
      for (Member member : next.members().values()) {
        if (!hasMembership(old, member)) {
          byMember
              .computeIfAbsent(
                  new MemberSlot(member.project(), member.status()), s -> new Index(order))
              .add(slot);
        }
      }
    }
  }

  /**
   * Whether {@code image} sits in the membership index of {@code member}'s project and status:
   * it is shared and that project is a member of that status.
   */
  private static boolean hasMembership(Image image, Member member) {
    if (image.visibility() != Visibility.SHARED) {
      return false;
    }
    Member other = image.members().get(member.project());
    return other != null && other.status() == member.status();
  }

  /**
   * The indexes whose union holds every row of {@code query} (and maybe rows it does not match:
   * callers re-check each with {@link dev.imagegov.spi.QueryEvaluator#matches}), chosen as narrow
   * as the query allows:
   *
   * <ul>
   *   <li>an owner filter ({@code owner} equal to or in a list of projects) of an admin, or naming
   *       only the caller's own project: those owners' indexes;
   *   <li>an admin: the index of the requested visibility; all visibility indexes for {@code
   *       all}; and without a visibility parameter, every index but the community one, plus the
   *       caller's owner index for its own community images;
   *   <li>anyone else: the public index, the community index when the visibility parameter asks
   *       for community images or all, the caller's owner index and its membership indexes (of
   *       the requested member status, or all statuses), each only where the visibility
   *       parameter can let its rows through; with a lineage (hierarchical sharing), the
   *       membership indexes of each group above the caller too, when the unanswered status is
   *       wanted.
   * </ul>
   */
  List<Index> selectors(CatalogQuery query) {
    Optional<ProjectId> project = query.project();
    List<Index> result = new ArrayList<>();
    Optional<Set<String>> owners = ownerFilter(query);
    boolean onlyOwn =
        project.isPresent() && owners.equals(Optional.of(Set.of(project.get().value())));
    if (owners.isPresent() && (query.seesAll() || onlyOwn)) {
      return ownersFiltered(query).orElseThrow();
    }
    if (query.seesAll()) {
      Optional<Visibility> only = query.visibility().only();
      if (only.isPresent()) {
        result.add(byVisibility.get(only.get()));
      } else if (query.visibility() == VisibilityFilter.ALL) {
        result.addAll(byVisibility.values());
      } else {
        // Without a visibility parameter community images are listed only to their owner.
        result.add(byVisibility.get(Visibility.PUBLIC));
        result.add(byVisibility.get(Visibility.SHARED));
        result.add(byVisibility.get(Visibility.PRIVATE));
        addOwned(result, project);
      }
      return result;
    }
    switch (query.visibility()) {
      case PUBLIC:
        result.add(byVisibility.get(Visibility.PUBLIC));
        break;
      case COMMUNITY:
        result.add(byVisibility.get(Visibility.COMMUNITY));
        break;
      case PRIVATE:
        addOwned(result, project);
        break;
      case SHARED:
        addOwned(result, project);
        addMemberships(result, query);
        break;
      case DEFAULT:
        result.add(byVisibility.get(Visibility.PUBLIC));
        addOwned(result, project);
        addMemberships(result, query);
        break;
      default:
        result.add(byVisibility.get(Visibility.PUBLIC));
        result.add(byVisibility.get(Visibility.COMMUNITY));
        addOwned(result, project);
        addMemberships(result, query);
        break;
    }
    return result;
  }

  /**
   * The owner indexes of the projects an {@code owner} equality filter of {@code query} names,
   * whoever asks (their union holds every row of the query, whatever the caller may see), or
   * empty when the query has no such filter: for a caller whose own selectors are larger than the
   * owners' images.
   */
  Optional<List<Index>> ownersFiltered(CatalogQuery query) {
    Optional<Set<String>> owners = ownerFilter(query);
    if (owners.isEmpty()) {
      return Optional.empty();
    }
    List<Index> result = new ArrayList<>();
    for (String owner : owners.get()) {
      if (!owner.isEmpty()) {
        addIfPresent(result, byOwner.get(ProjectId.of(owner)));
      }
    }
    return Optional.of(result);
  }

  private static void addIfPresent(List<Index> result, @Nullable Index index) {
    if (index != null) {
      result.add(index);
    }
  }

  private void addOwned(List<Index> result, Optional<ProjectId> project) {
    if (project.isPresent()) {
      addIfPresent(result, byOwner.get(project.get()));
    }
  }

  private void addMemberships(List<Index> result, CatalogQuery query) {
    if (query.project().isEmpty()) {
      return;
    }
    ProjectId project = query.project().get();
    Optional<MemberStatus> only = query.memberStatus();
    if (only.isPresent()) {
      addIfPresent(result, byMember.get(new MemberSlot(project, only.get())));
    } else {
      for (MemberStatus status : STATUSES) {
        addIfPresent(result, byMember.get(new MemberSlot(project, status)));
      }
    }
    addGroupOffers(result, query);
  }

  /**
   * Hierarchical sharing: the images offered to a group above the caller that it has not
   * answered have no row of the caller, so they are read from the groups' own membership indexes
   * (every status: a group's own answer says nothing of the caller's), when the status wanted is
   * the unanswered one. The caller's answers to groups sit in its own membership indexes, read
   * above. Each row is re-checked with {@link Image#membershipOf}, which skips the images the
   * caller answered otherwise or that reach it by a group answer only: the rows a walk skips are
   * bounded by the caller's own answers and the groups' own answers, not by the catalog.
   */
  private void addGroupOffers(List<Index> result, CatalogQuery query) {
    List<ProjectId> lineage = query.lineage();
    if (lineage.isEmpty()
        || !query.memberStatus().map(query.unansweredStatus()::equals).orElse(true)) {
      return;
    }
    for (ProjectId group : lineage) {
      for (MemberStatus status : STATUSES) {
        addIfPresent(result, byMember.get(new MemberSlot(group, status)));
      }
    }
  }

  /** The owners named by the first {@code owner = x} or {@code owner in (…)} filter, if any. */
  private static Optional<Set<String>> ownerFilter(CatalogQuery query) {
    for (FieldFilter filter : query.filters()) {
      if (filter.field() == ImageField.OWNER
          && (filter.operator() == FilterOperator.EQ || filter.operator() == FilterOperator.IN)) {
        Set<String> owners = new LinkedHashSet<>();
        for (Object operand : filter.operands()) {
          owners.add((String) operand);
        }
        return Optional.of(owners);
      }
    }
    return Optional.empty();
  }
}
