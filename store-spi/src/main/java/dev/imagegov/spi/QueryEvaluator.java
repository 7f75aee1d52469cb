package dev.imagegov.spi;

import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.Visibility;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The reference semantics of a {@link CatalogQuery}, usable by any catalog to answer a query by
 * scanning, and by indexed catalogs for the parts they do not index. Every catalog's answer must
 * equal {@link #evaluate} over its live images.
 */
public final class QueryEvaluator {
  private QueryEvaluator() {}

  /**
   * Answers {@code query} over {@code images} (live images, any order).
   *
   * @param markerLookup finds the marker image by id
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @param images the live images to scan, in any order
   * @return the page: the matching images after the marker, in the query's sort order, at most its
   *     limit
   * @throws GovernanceException {@link StoreErrorCode#INVALID_MARKER} if the marker names no live image
   */
  public static List<Image> evaluate(
      CatalogQuery query, Iterable<Image> images, Function<ImageId, Optional<Image>> markerLookup) {
    Comparator<Image> order = ordering(query);
    Optional<Image> marker = resolveMarker(query, markerLookup);
    List<Image> rows = new ArrayList<>();
    for (Image image : images) {
      if (matches(query, image) && (marker.isEmpty() || order.compare(image, marker.get()) > 0)) {
        rows.add(image);
      }
    }
    rows.sort(order);
    return rows.size() > query.limit() ? List.copyOf(rows.subList(0, query.limit())) : rows;
  }

  /**
   * The marker image of {@code query}, if it has a marker.
   *
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @param lookup finds a live image by id (the catalog's own read)
   * @return the marker image of {@code query}, if it has a marker
   * @throws GovernanceException {@link StoreErrorCode#INVALID_MARKER} if the marker names no live image
   */
  public static Optional<Image> resolveMarker(
      CatalogQuery query, Function<ImageId, Optional<Image>> lookup) {
    if (query.marker().isEmpty()) {
      return Optional.empty();
    }
    ImageId id = query.marker().get();
    Optional<Image> image = lookup.apply(id);
    if (image.isEmpty()) {
      throw GovernanceException.of(StoreErrorCode.INVALID_MARKER, "No image found with ID " + id);
    }
    return image;
  }

  /**
   * {@return whether {@code image} belongs to the result of {@code query}, ignoring limit and
   * marker}
   *
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @param image the image as stored
   */
  public static boolean matches(CatalogQuery query, Image image) {
    return isListable(image)
        && inBaseSet(query, image)
        && passesVisibility(query, image)
        && passesFilters(query, image);
  }

  /**
   * {@return whether an image can be listed at all: not soft-deleted and not killed}
   *
   * @param image the image as stored
   */
  public static boolean isListable(Image image) {
    return !image.status().isDeleted() && image.status() != ImageStatus.KILLED;
  }

  /**
   * {@return whether {@code image} is in the caller's base set (Glance's list section, rule 5.2)}
   *
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @param image the image as stored
   */
  public static boolean inBaseSet(CatalogQuery query, Image image) {
    if (query.seesAll()) {
      return true;
    }
    Visibility v = image.visibility();
    if (v == Visibility.PUBLIC || v == Visibility.COMMUNITY) {
      return true;
    }
    if (query.project().isEmpty()) {
      return false;
    }
    if (image.isOwnedBy(query.project().get())) {
      return true;
    }
    Optional<Member> member = sharedMembership(query, image);
    if (member.isEmpty()) {
      return false;
    }
    Optional<MemberStatus> wanted = query.memberStatus();
    return wanted.isEmpty() || wanted.get() == member.get().status();
  }

  /**
   * The caller's membership of {@code image} when it is what {@link #inBaseSet} judges: a shared
   * image the caller's project does not own, for a query that does not see everything. Its status
   * decides the base set against the query's member status, and its {@link Member#via()} names
   * the group (a parent project or domain) through which the caller holds it. Empty when the
   * image is in the base set for another reason (admin, public, community, owner), or the caller
   * has no membership (none, expired, or a group answer whose group is no longer above it).
   *
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @param image the image as stored
   * @return the membership that admits the image to the base set, or leaves it out by status
   */
  public static Optional<Member> admittingMembership(CatalogQuery query, Image image) {
    if (query.seesAll() || query.project().isEmpty()
        || image.isOwnedBy(query.project().get())) {
      return Optional.empty();
    }
    return sharedMembership(query, image);
  }

  /** The membership of the query's project (present) in {@code image}, if it is shared. */
  private static Optional<Member> sharedMembership(CatalogQuery query, Image image) {
    if (image.visibility() != Visibility.SHARED) {
      return Optional.empty();
    }
    return image.membershipOf(query.project().get(), query.lineage(), query.unansweredStatus(),
        query.membershipsAt());
  }

  /**
   * {@return whether {@code image} passes the visibility parameter of {@code query}}
   *
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @param image the image as stored
   */
  public static boolean passesVisibility(CatalogQuery query, Image image) {
    switch (query.visibility()) {
      case ALL:
        return true;
      case DEFAULT:
        return image.visibility() != Visibility.COMMUNITY
            || query.project().map(image::isOwnedBy).orElse(false);
      default:
        return query.visibility().only().orElseThrow() == image.visibility();
    }
  }

  /**
   * {@return whether {@code image} passes every field, property and tag filter of {@code query}}
   *
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @param image the image as stored
   */
  public static boolean passesFilters(CatalogQuery query, Image image) {
    // Indexed loops and emptiness checks: this runs once per candidate row, so it allocates no
    // iterator.
    List<FieldFilter> filters = query.filters();
    for (int i = 0, n = filters.size(); i < n; i++) {
      if (!filters.get(i).test(image)) {
        return false;
      }
    }
    Map<String, String> properties = query.propertyFilters();
    if (!properties.isEmpty()) {
      for (Map.Entry<String, String> p : properties.entrySet()) {
        if (!p.getValue().equals(image.properties().get(p.getKey()))) {
          return false;
        }
      }
    }
    return query.tags().isEmpty() || image.tags().containsAll(query.tags());
  }

  /**
   * The total order of {@code query}'s {@link CatalogQuery#effectiveSort() effective sort}. An
   * absent value sorts before every present value in ascending order and after them in
   * descending order.
   *
   * @param query the caller-bound query: visibility predicate, filters, sort, marker and limit
   * @return the total order of {@code query}'s {@link CatalogQuery#effectiveSort() effective sort}
   */
  public static Comparator<Image> ordering(CatalogQuery query) {
    Comparator<Image> order = null;
    for (SortKey key : query.effectiveSort()) {
      Comparator<Image> one = byField(key.field());
      if (!key.ascending()) {
        one = one.reversed();
      }
      order = order == null ? one : order.thenComparing(one);
    }
    return java.util.Objects.requireNonNull(order);
  }

  private static Comparator<Image> byField(ImageField field) {
    return (a, b) -> {
      Optional<Comparable<Object>> x = field.valueOf(a);
      Optional<Comparable<Object>> y = field.valueOf(b);
      if (x.isEmpty()) {
        return y.isEmpty() ? 0 : -1;
      }
      if (y.isEmpty()) {
        return 1;
      }
      return x.get().compareTo(y.get());
    };
  }
}
