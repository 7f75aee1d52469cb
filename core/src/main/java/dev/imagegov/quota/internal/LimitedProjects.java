package dev.imagegov.quota.internal;

import dev.imagegov.model.ProjectId;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.sharing.Tenant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The projects whose limits count towards a store (the one home of this rule, shared by the
 * capacity report, the quota recommendation, the what-if and reconciliation): every project of
 * the tenancy directory that is not a domain, and every owner the catalog names (known to the
 * directory or not). Not API.
 */
public final class LimitedProjects {
  private LimitedProjects() {}

  /**
   * {@return the projects whose limits count, in id order}
   *
   * @param tenancy the directory of known projects and domains
   * @param owners every owner the catalog names
   */
  public static SortedSet<ProjectId> of(TenancyDirectory tenancy, Set<ProjectId> owners) {
    Set<ProjectId> domains = new HashSet<>();
    List<Tenant> tenants = tenancy.tenants();
    for (Tenant t : tenants) {
      t.domain().ifPresent(domains::add);
    }
    SortedSet<ProjectId> projects = new TreeSet<>(Comparator.comparing(ProjectId::value));
    for (Tenant t : tenants) {
      if (!domains.contains(t.id())) {
        projects.add(t.id());
      }
    }
    projects.addAll(owners);
    return projects;
  }
}
