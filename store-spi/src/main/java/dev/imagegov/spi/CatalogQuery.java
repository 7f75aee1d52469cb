package dev.imagegov.spi;

import com.google.common.collect.ImmutableList;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;

/**
 * One page of a list, pushed down to the catalog: who is asking, what they filter on, how to
 * sort and where to start. Core builds it from Glance's list parameters after checking policy;
 * a catalog answers it with its indexes, or by scanning with {@link QueryEvaluator}.
 *
 * <p>The result is defined by {@link QueryEvaluator}: soft-deleted and killed images never
 * appear; the base set is everything when {@link #seesAll()} (an admin), else public and
 * community images, the images {@link #project()} owns, and the shared images of which it is a
 * member whose status is {@link #memberStatus()} (any status when empty), its membership being
 * {@link dev.imagegov.model.Image#membershipOf(dev.imagegov.model.ProjectId, java.util.List,
 * dev.imagegov.model.MemberStatus, java.util.Optional)} with {@link #lineage()}, {@link
 * #unansweredStatus()} (hierarchical sharing: an image shared with a group above the project) and
 * {@link #membershipsAt()} (a membership expired by then counts as absent). A query without a
 * project has no memberships. Then {@link #visibility()} narrows the set, then every filter must
 * hold; rows are ordered by {@link #effectiveSort()} and the page holds up to {@link #limit()}
 * rows strictly after {@link #marker()}.
 */
@Value.Immutable
public abstract class CatalogQuery {
  /** {@return whether the caller sees every image (admin): member status then has no effect} */
  @Value.Default
  public boolean seesAll() {
    return false;
  }

  /** {@return the caller's project, if it has one} */
  public abstract Optional<ProjectId> project();

  /**
   * The caller's lineage: the projects above {@link #project()}, nearest first, then its domain,
   * as the tenancy directory answers at the moment the query is built (so a project moved out of
   * a subtree no longer carries the group). Empty for flat sharing and for a query without a
   * project.
   *
   * @return the groups above the caller's project, nearest first, then its domain
   */
  public abstract List<ProjectId> lineage();

  /**
   * The status of a project that has not answered an image offered to a group above it: pending
   * (the default), or accepted when the governance is configured so.
   *
   * @return the status of a project that has not answered a group's offer
   */
  @Value.Default
  public MemberStatus unansweredStatus() {
    return MemberStatus.PENDING;
  }

  /**
   * The member status shared images must have to be listed; empty means any status. (Glance's
   * list default, accepted, is set by whoever builds the query from list parameters.)
   *
   * @return the member status shared images must have to be listed; empty means any status
   */
  public abstract Optional<MemberStatus> memberStatus();

  /**
   * The instant memberships are judged at: a member whose {@link
   * dev.imagegov.model.Member#expiresAt() expiry} is no later than it counts as absent (it is no
   * member at all). Empty: memberships never count as expired (a query built without a clock).
   *
   * @return the instant memberships are judged at, if any
   */
  public abstract Optional<java.time.Instant> membershipsAt();

  /** {@return the visibility parameter} */
  @Value.Default
  public VisibilityFilter visibility() {
    return VisibilityFilter.DEFAULT;
  }

  /**
   * Conditions on base attributes, all of which must hold.
   *
   * @return the field conditions, all of which a matching image meets
   */
  public abstract List<FieldFilter> filters();

  /** {@return custom properties that must be present with exactly these values} */
  public abstract Map<String, String> propertyFilters();

  /**
   * Tags the image must all carry.
   *
   * @return the tags every matching image carries (all of them); empty for no tag condition
   */
  public abstract Set<String> tags();

  /** {@return the requested sort keys; empty means {@code created_at desc}} */
  public abstract List<SortKey> sort();

  /** {@return the page size, at least 0} */
  @Value.Default
  public int limit() {
    return 25;
  }

  /** {@return the id of the last image of the previous page} */
  public abstract Optional<ImageId> marker();

  /**
   * The total order rows are listed in: the requested keys, then {@code created_at} and {@code
   * id} when absent, in the direction of the first key ({@code desc} by default).
   *
   * @return the total order rows are listed in: the requested keys, then {@code created_at} and
   *     {@code id} when absent, in the direction of the first key ({@code desc} by default)
   */
  @Value.Lazy
  public List<SortKey> effectiveSort() {
    List<SortKey> keys = new ArrayList<>(sort());
    boolean ascending = !keys.isEmpty() && keys.get(0).ascending();
    if (keys.stream().noneMatch(k -> k.field() == ImageField.CREATED_AT)) {
      keys.add(ImmutableSortKey.of(ImageField.CREATED_AT, ascending));
    }
    if (keys.stream().noneMatch(k -> k.field() == ImageField.ID)) {
      keys.add(ImmutableSortKey.of(ImageField.ID, ascending));
    }
    return ImmutableList.copyOf(keys);
  }

  /** {@return a builder} */
  public static Builder builder() {
    return new Builder();
  }

  @Value.Check
  void check() {
    if (limit() < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
    if (project().isEmpty() && !lineage().isEmpty()) {
      throw new IllegalArgumentException("a lineage needs a project");
    }
    if (project().isPresent() && lineage().contains(project().get())) {
      throw new IllegalArgumentException("a project is not in its own lineage");
    }
    List<SortKey> sort = sort();
    for (int i = 1; i < sort.size(); i++) { // a handful of keys: no set, no stream
      for (int j = 0; j < i; j++) {
        if (sort.get(i).field().equals(sort.get(j).field())) {
          throw new IllegalArgumentException("a sort key may appear only once");
        }
      }
    }
  }

  /** {@return a builder holding this value's attributes} */
  public Builder toBuilder() {
    return builder().from(this);
  }

  /**
   * A builder of {@code CatalogQuery}: set attributes, then {@code build()}, which checks
   * the value. Not thread-safe.
   */
  public static final class Builder extends ImmutableCatalogQuery.Builder {
    Builder() {}
  }
}
