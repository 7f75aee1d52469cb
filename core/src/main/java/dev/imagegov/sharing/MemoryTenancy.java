package dev.imagegov.sharing;

import dev.imagegov.model.ProjectId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TenancyDirectory} held in memory, changeable while in use: {@link #put} adds or moves a
 * project, {@link #remove} forgets one. Reads see every completed change at once. Thread-safe.
 *
 * <p>Each change is checked so the directory never breaks its contract: a parent or domain must
 * be known before a project names it, a move may not put a project below itself, and a project
 * that others name as parent or domain cannot be removed.
 */
public final class MemoryTenancy implements TenancyDirectory {
  private final Map<ProjectId, Tenant> tenants = new LinkedHashMap<>();

  private MemoryTenancy() {}

  /** {@return a builder of a directory, empty until tenants are added} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public synchronized Optional<Tenant> find(ProjectId project) {
    Objects.requireNonNull(project, "project");
    return Optional.ofNullable(tenants.get(project));
  }

  @Override
  public synchronized List<Tenant> tenants() {
    return List.copyOf(tenants.values());
  }

  /**
   * Adds a tenant, or moves a known one to the parent and domain given.
   *
   * @param tenant the tenant as it is now
   * @throws IllegalArgumentException if its parent or domain is unknown, or if the move would put
   *     the project below itself
   */
  public synchronized void put(Tenant tenant) {
    Objects.requireNonNull(tenant, "tenant");
    for (Optional<ProjectId> above : List.of(tenant.parent(), tenant.domain())) {
      if (above.isPresent() && !tenants.containsKey(above.get())) {
        throw new IllegalArgumentException(
            "tenant " + tenant.id() + " names " + above.get()
                + ", which the directory does not know");
      }
    }
    if (tenant.parent().isPresent() && lineage(tenant.parent().get()).contains(tenant.id())) {
      throw new IllegalArgumentException(
          "tenant " + tenant.id() + " cannot move below its own descendant "
              + tenant.parent().get());
    }
    tenants.put(tenant.id(), tenant);
  }

  /**
   * Forgets a project.
   *
   * @param project the project to forget
   * @return whether the directory knew it
   * @throws IllegalArgumentException if another tenant names it as parent or domain
   */
  public synchronized boolean remove(ProjectId project) {
    Objects.requireNonNull(project, "project");
    for (Tenant t : tenants.values()) {
      if (t.parent().filter(project::equals).isPresent()
          || t.domain().filter(project::equals).isPresent()) {
        throw new IllegalArgumentException(
            "project " + project + " cannot be removed: tenant " + t.id() + " is below it");
      }
    }
    return tenants.remove(project) != null;
  }

  /** Builds a {@link MemoryTenancy}; tenants are added in order, parents and domains first. */
  public static final class Builder {
    private final MemoryTenancy directory = new MemoryTenancy();

    private Builder() {}

    /**
     * Adds a domain (a tenant with neither parent nor domain).
     *
     * @param domain the domain's id
     * @return this builder
     */
    public Builder domain(ProjectId domain) {
      directory.put(Tenant.root(domain));
      return this;
    }

    /**
     * Adds a project.
     *
     * @param project the project's id
     * @param parent the project directly above it, or {@code null} for a top-level project
     * @param domain its domain, or {@code null} for none
     * @return this builder
     * @throws IllegalArgumentException if the parent or the domain was not added before
     */
    public Builder project(
        ProjectId project,
        @Nullable ProjectId parent,
        @Nullable ProjectId domain) {
      directory.put(new Tenant(project, Optional.ofNullable(parent), Optional.ofNullable(domain)));
      return this;
    }

    /**
     * Adds a top-level project with no domain.
     *
     * @param project the project's id
     * @return this builder
     */
    public Builder project(ProjectId project) {
      return project(project, null, null);
    }

    /** {@return the directory; the builder must not be used after} */
    public MemoryTenancy build() {
      return directory;
    }
  }
}
