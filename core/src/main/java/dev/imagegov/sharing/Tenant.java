package dev.imagegov.sharing;

import dev.imagegov.model.ProjectId;
import java.util.Objects;
import java.util.Optional;

/**
 * One project of a {@link TenancyDirectory}: its id, the project directly above it (if any) and
 * the domain it belongs to (if the directory knows domains). A domain is itself a tenant with no
 * parent and no domain; in Keystone's terms it is a project with {@code is_domain} set.
 *
 * @param id the project
 * @param parent the project directly above it; empty for a top-level project or a domain
 * @param domain the domain the project belongs to; empty if the directory has no domains or the
 *     tenant is a domain
 */
public record Tenant(ProjectId id, Optional<ProjectId> parent, Optional<ProjectId> domain) {
  /**
   * Checks that every component is present and that a tenant is neither its own parent nor its
   * own domain.
   *
   * @param id the project
   * @param parent the project directly above it, or empty
   * @param domain the domain it belongs to, or empty
   */
  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(parent, "parent");
    Objects.requireNonNull(domain, "domain");
    if (parent.filter(id::equals).isPresent() || domain.filter(id::equals).isPresent()) {
      throw new IllegalArgumentException("tenant " + id + " cannot be its own parent or domain");
    }
  }

  /**
   * {@return a top-level project with no parent and no domain}
   *
   * @param id the project
   */
  public static Tenant root(ProjectId id) {
    return new Tenant(id, Optional.empty(), Optional.empty());
  }
}
