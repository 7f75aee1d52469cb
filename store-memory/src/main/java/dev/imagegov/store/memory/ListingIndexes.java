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
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.VisibilityFilter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The sorted listing indexes of a {@link MemoryCatalog}, each a concurrent set of {@link
 * IndexKey}s in {@link IndexKey#LISTING_ORDER}: by visibility (their union is every listable
 * image), by owner, and by (member project, member status) for the memberships of shared images.
 *
 * <p>Only listable images (neither deleted nor killed, see {@link QueryEvaluator#isListable}) are
 * indexed, and memberships only while their image is shared, so each index holds exactly the
 * images that can enter a list through it. Writers must be serialised by the catalog; readers may
 * read concurrently (the catalog validates what they read).
 */
final class ListingIndexes {
  private final Map<Visibility, NavigableSet<IndexKey>> byVisibility =
      new EnumMap<>(Visibility.class);
  private final ConcurrentHashMap<ProjectId, NavigableSet<IndexKey>> byOwner =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MemberSlot, NavigableSet<IndexKey>> byMember =
      new ConcurrentHashMap<>();

  /** A member project with a membership status: the key of a membership index. */
  private record MemberSlot(ProjectId project, MemberStatus status) {}

  ListingIndexes() {
    for (Visibility v : Visibility.values()) {
      byVisibility.put(v, newIndex());
    }
  }

  private static NavigableSet<IndexKey> newIndex() {
    return new ConcurrentSkipListSet<>(IndexKey.LISTING_ORDER);
  }

  /** Indexes a new image. */
  void add(Image image) {
    IndexKey key = IndexKey.of(image);
    forEachIndex(image, true, index -> index.add(key));
  }

  /** Removes an image from every index that holds it. */
  void remove(Image image) {
    IndexKey key = IndexKey.of(image);
    forEachIndex(image, false, index -> index.remove(key));
  }

  /** Moves an image from the indexes of its old version to those of its new one. */
  void replace(Image old, Image replacement) {
    IndexKey oldKey = IndexKey.of(old);
    IndexKey newKey = IndexKey.of(replacement);
    if (IndexKey.LISTING_ORDER.compare(oldKey, newKey) != 0) {
      remove(old);
      add(replacement);
      return;
    }
    Set<NavigableSet<IndexKey>> before = Collections.newSetFromMap(new IdentityHashMap<>());
    forEachIndex(old, false, before::add);
    Set<NavigableSet<IndexKey>> after = Collections.newSetFromMap(new IdentityHashMap<>());
    forEachIndex(replacement, true, after::add);
    for (NavigableSet<IndexKey> index : before) {
      if (!after.contains(index)) {
        index.remove(oldKey);
      }
    }
    for (NavigableSet<IndexKey> index : after) {
      if (!before.contains(index)) {
        index.add(newKey);
      }
    }
  }

  /**
   * Calls {@code action} with every index {@code image} belongs to; with {@code create} false,
   * indexes that do not exist yet are skipped (they cannot hold the image).
   */
  private void forEachIndex(Image image, boolean create, Consumer<NavigableSet<IndexKey>> action) {
    if (!QueryEvaluator.isListable(image)) {
      return;
    }
    action.accept(byVisibility.get(image.visibility()));
    if (image.owner().isPresent()) {
      NavigableSet<IndexKey> owned = ownerIndex(image.owner().get(), create);
      if (owned != null) {
        action.accept(owned);
      }
    }
    if (image.visibility() == Visibility.SHARED) {
      for (Member member : image.members().values()) {
        MemberSlot slot = new MemberSlot(member.project(), member.status());
        NavigableSet<IndexKey> shared =
            create ? byMember.computeIfAbsent(slot, s -> newIndex()) : byMember.get(slot);
        if (shared != null) {
          action.accept(shared);
        }
      }
    }
  }

  private @Nullable NavigableSet<IndexKey> ownerIndex(ProjectId owner, boolean create) {
    return create ? byOwner.computeIfAbsent(owner, o -> newIndex()) : byOwner.get(owner);
  }

  /**
   * The indexes whose union holds every row of {@code query} (and maybe rows it does not match:
   * callers re-check each with {@link QueryEvaluator#matches}), chosen as narrow as the query
   * allows:
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
   *       parameter can let its rows through.
   * </ul>
   */
  List<NavigableSet<IndexKey>> candidates(CatalogQuery query) {
    Optional<ProjectId> project = query.project();
    List<NavigableSet<IndexKey>> result = new ArrayList<>();
    Optional<Set<String>> owners = ownerFilter(query);
    boolean onlyOwn =
        project.isPresent() && owners.equals(Optional.of(Set.of(project.get().value())));
    if (owners.isPresent() && (query.seesAll() || onlyOwn)) {
      for (String owner : owners.get()) {
        if (!owner.isEmpty()) {
          NavigableSet<IndexKey> owned = byOwner.get(ProjectId.of(owner));
          if (owned != null) {
            result.add(owned);
          }
        }
      }
      return result;
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

  private void addOwned(List<NavigableSet<IndexKey>> result, Optional<ProjectId> project) {
    if (project.isPresent()) {
      NavigableSet<IndexKey> owned = byOwner.get(project.get());
      if (owned != null) {
        result.add(owned);
      }
    }
  }

  private void addMemberships(List<NavigableSet<IndexKey>> result, CatalogQuery query) {
    if (query.project().isEmpty()) {
      return;
    }
    ProjectId project = query.project().get();
    for (MemberStatus status : MemberStatus.values()) {
      if (query.memberStatus().map(status::equals).orElse(true)) {
        NavigableSet<IndexKey> shared = byMember.get(new MemberSlot(project, status));
        if (shared != null) {
          result.add(shared);
        }
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
