package dev.imagegov.sharing;

import dev.imagegov.model.ProjectId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tenancy port: which projects exist, the project above each, and the domain each belongs
 * to (the embedding application's identity service, Keystone's projects and domains in an
 * OpenStack cloud). imagegov reads it for hierarchical sharing, for isolation verification and
 * for the hygiene reports (an image whose owner the directory does not know is orphaned).
 *
 * <p>Contract: answers reflect the directory at the moment of the call (a project moved out of
 * a subtree is answered from its new place at once); the parent chain of a known project ends
 * at a project with no parent and never loops, and every project on it is known. {@link
 * MemoryTenancy} is a complete in-memory implementation. Implementations must be thread-safe;
 * calls must not call back into the governance.
 */
public interface TenancyDirectory {
  /**
   * The longest parent chain a directory may have; {@link #lineage} refuses a deeper one. Keystone
   * bounds its own hierarchy far lower (its {@code max_project_tree_depth} defaults to 5).
   */
  int MAX_DEPTH = 64;

  /**
   * {@return the tenant with this id, or empty if the directory does not know it}
   *
   * @param project the project asked about
   */
  Optional<Tenant> find(ProjectId project);

  /** {@return every tenant the directory knows, domains included, in a stable order} */
  List<Tenant> tenants();

  /**
   * {@return whether the directory knows the project}
   *
   * @param project the project asked about
   */
  default boolean knows(ProjectId project) {
    return find(project).isPresent();
  }

  /**
   * The projects above {@code project}, nearest first (its parent, the parent's parent, up to a
   * top-level project), then its domain if it has one. Empty for an unknown or top-level project
   * with no domain.
   *
   * @param project the project asked about
   * @return the ancestors, nearest first, then the domain
   * @throws IllegalStateException if the chain loops, names an unknown project, or is deeper than
   *     {@link #MAX_DEPTH}: the directory breaks its contract
   */
  default List<ProjectId> lineage(ProjectId project) {
    Optional<Tenant> start = find(project);
    if (start.isEmpty()) {
      return List.of();
    }
    List<ProjectId> chain = new ArrayList<>();
    Tenant current = start.get();
    while (current.parent().isPresent()) {
      ProjectId parent = current.parent().get();
      if (parent.equals(project) || chain.contains(parent)) {
        throw new IllegalStateException("the parent chain of " + project + " loops at " + parent);
      }
      if (chain.size() == MAX_DEPTH) {
        throw new IllegalStateException(
            "the parent chain of " + project + " is deeper than " + MAX_DEPTH);
      }
      chain.add(parent);
      current = find(parent).orElseThrow(() -> new IllegalStateException(
          "the parent chain of " + project + " names an unknown project " + parent));
    }
    start.get().domain().filter(d -> !chain.contains(d)).ifPresent(chain::add);
    return List.copyOf(chain);
  }

  /** {@return the directory that knows no project (the default: every sharing rule is flat)} */
  static TenancyDirectory none() {
    return MemoryTenancy.builder().build();
  }
}
