package dev.imagegov.access;

import com.google.common.collect.ImmutableSet;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.UserId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who is asking: a project (absent for a project-less context), a user, and roles. Roles are
 * lower-cased as Glance's context middleware does; implied roles (admin implies member implies
 * reader) are not added here but by the {@link Policy} that evaluates a rule, from its
 * configuration. Every governance operation takes the caller first.
 */
public final class Caller {
  private final Optional<ProjectId> project;
  private final Optional<UserId> user;
  private final ImmutableSet<String> roles;
  /**
   * What the last {@link Policy} that evaluated this caller derived from it (implied roles, role
   * bits, {@code is_admin}), so that a caller making many requests pays for that once. Written
   * without synchronization: the facts are an immutable object of final fields, safe to publish by
   * a race, and they name the policy they belong to, so a caller used with another policy
   * recomputes them. Not part of the caller's value ({@link #equals} ignores it).
   */
  Policy.@Nullable CallerFacts facts;

  private Caller(Optional<ProjectId> project, Optional<UserId> user, Iterable<String> roles) {
    this.project = project;
    this.user = user;
    ImmutableSet.Builder<String> lower = ImmutableSet.builder();
    for (String role : roles) {
      Objects.requireNonNull(role, "role");
      String r = role.trim().toLowerCase(Locale.ROOT);
      if (!r.isEmpty()) {
        lower.add(r);
      }
    }
    this.roles = lower.build();
  }

  /**
   * {@return a caller in {@code project} with these roles}
   *
   * @param project the project the caller's token is scoped to
   * @param roles the caller's role names
   */
  public static Caller of(ProjectId project, String... roles) {
    return new Caller(Optional.of(project), Optional.empty(), Arrays.asList(roles));
  }

  /**
   * {@return a caller in {@code project} with these roles}
   *
   * @param project the project's id
   * @param roles the caller's role names
   */
  public static Caller of(String project, String... roles) {
    return of(ProjectId.of(project), roles);
  }

  /**
   * {@return a caller with an optional project, an optional user and roles}
   *
   * @param project the project the caller's token is scoped to, if any
   * @param user the user the caller acts as, if known
   * @param roles the caller's role names
   */
  public static Caller of(Optional<ProjectId> project, Optional<UserId> user, Set<String> roles) {
    return new Caller(project, user, roles);
  }

  /**
   * {@return a caller without a project (for example a system-scoped or anonymous context)}
   *
   * @param roles the caller's role names
   */
  public static Caller withoutProject(String... roles) {
    return new Caller(Optional.empty(), Optional.empty(), Arrays.asList(roles));
  }

  /**
   * {@return an admin of {@code project}: roles admin, member and reader}
   *
   * @param project the project's id
   */
  public static Caller admin(String project) {
    return of(project, "admin", "member", "reader");
  }

  /**
   * {@return a member of {@code project}: roles member and reader}
   *
   * @param project the project's id
   */
  public static Caller member(String project) {
    return of(project, "member", "reader");
  }

  /**
   * {@return a reader of {@code project}: role reader only}
   *
   * @param project the project's id
   */
  public static Caller reader(String project) {
    return of(project, "reader");
  }

  /**
   * This caller acting as {@code user}.
   *
   * @param user the user the caller acts as
   * @return a copy of this caller with {@code user} and the same project and roles
   */
  public Caller as(UserId user) {
    return new Caller(project, Optional.of(user), roles);
  }

  /** {@return the caller's project, if any} */
  public Optional<ProjectId> project() {
    return project;
  }

  /** {@return the caller's user, if known} */
  public Optional<UserId> user() {
    return user;
  }

  /** {@return the roles as given, lower-cased, without implied roles} */
  public ImmutableSet<String> roles() {
    return roles;
  }

  /**
   * {@return whether this caller's project is {@code other}}
   *
   * @param other the project to compare with
   */
  public boolean isIn(ProjectId other) {
    return project.map(other::equals).orElse(false);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Caller)) {
      return false;
    }
    Caller c = (Caller) o;
    return project.equals(c.project) && user.equals(c.user) && roles.equals(c.roles);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, user, roles);
  }

  @Override
  public String toString() {
    return "Caller{project=" + project.map(ProjectId::value).orElse("-") + ", roles=" + roles + "}";
  }
}
