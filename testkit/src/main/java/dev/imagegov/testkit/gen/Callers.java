package dev.imagegov.testkit.gen;

import dev.imagegov.access.Caller;
import dev.imagegov.model.ProjectId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * Callers with a mix of roles: admins, members, readers, callers with no role in their project, and
 * callers without a project. Roles are Glance's secure-RBAC ones with their implications spelled
 * out (an admin also carries member and reader, a member also reader).
 *
 * <pre>{@code
 * Gen<Caller> anyone = Callers.callers();
 * Gen<Caller> consumers = Callers.of(ProjectId.of("p2")).member();
 * Gen<Caller> mix = Callers.of(project).withRoles(Role.MEMBER, Role.READER);
 * }</pre>
 */
public final class Callers {
  private Callers() {}

  /** A role mix a generated caller has. */
  public enum Role {
    /** Roles admin, member and reader. */
    ADMIN,
    /** Roles member and reader. */
    MEMBER,
    /** Role reader only. */
    READER,
    /** A project but no role at all. */
    NO_ROLE,
    /** No project; role member and reader (a project-less context). */
    NO_PROJECT;

    /**
     * {@return the caller of this role in {@code project} (ignored for {@link #NO_PROJECT})}
     *
     * @param project the caller's project
     */
    public Caller in(ProjectId project) {
      switch (this) {
        case ADMIN:
          return Caller.of(project, "admin", "member", "reader");
        case MEMBER:
          return Caller.of(project, "member", "reader");
        case READER:
          return Caller.of(project, "reader");
        case NO_ROLE:
          return Caller.of(project);
        default:
          return Caller.withoutProject("member", "reader");
      }
    }
  }

  /** {@return every role, shrinking towards {@link Role#MEMBER}} */
  public static Gen<Role> roles() {
    return Generate.pick(
        List.of(Role.MEMBER, Role.READER, Role.ADMIN, Role.NO_ROLE, Role.NO_PROJECT));
  }

  /** {@return callers of every role in the default project pool} */
  public static Gen<Caller> callers() {
    return callers(Projects.pool(Projects.DEFAULT_POOL));
  }

  /**
   * {@return callers of every role in {@code projects}}
   *
   * @param projects the projects to draw callers from
   */
  public static Gen<Caller> callers(List<ProjectId> projects) {
    return Projects.from(projects).zip(roles(), (p, r) -> r.in(p)).describedAs(Callers::describe);
  }

  /**
   * {@return callers of {@code project}; refine with {@link Of#member()} and friends}
   *
   * @param project the callers' project
   */
  public static Of of(ProjectId project) {
    return new Of(project, List.of(Role.values()));
  }

  /**
   * {@return callers of {@code project}}
   *
   * @param project the project's id
   */
  public static Of of(String project) {
    return of(ProjectId.of(project));
  }

  /**
   * A short readable description: {@code p1.member}, {@code p0.admin}, {@code p2.reader}, {@code
   * p3.no-role}, {@code no-project.member}.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @return a short readable description: {@code p1.member}, {@code p0.admin}, {@code p2.reader},
   *     {@code p3.no-role}, {@code no-project.member}
   */
  public static String describe(Caller caller) {
    String project = caller.project().map(ProjectId::value).orElse("no-project");
    Set<String> roles = caller.roles();
    String role =
        roles.contains("admin")
            ? "admin"
            : roles.contains("member") ? "member" : roles.contains("reader") ? "reader" : "no-role";
    return project + "." + role;
  }

  /** Callers of one project with a chosen set of roles; immutable, itself a {@link Gen}. */
  public static final class Of implements Gen<Caller> {
    private final ProjectId project;
    private final List<Role> roles;

    private Of(ProjectId project, List<Role> roles) {
      if (roles.isEmpty()) {
        throw new IllegalArgumentException("at least one role is needed");
      }
      this.project = project;
      this.roles = List.copyOf(roles);
    }

    /**
     * {@return only callers with one of {@code roles}}
     *
     * @param roles the roles to draw from
     */
    public Of withRoles(Role... roles) {
      return new Of(project, Arrays.asList(roles));
    }

    /**
     * Admins of the project.
     *
     * @return this generator narrowed to admins
     */
    public Of admin() {
      return withRoles(Role.ADMIN);
    }

    /** {@return members of the project} */
    public Of member() {
      return withRoles(Role.MEMBER);
    }

    /**
     * Readers of the project.
     *
     * @return this generator narrowed to readers
     */
    public Of reader() {
      return withRoles(Role.READER);
    }

    /** {@return callers in the project without any role} */
    public Of noRole() {
      return withRoles(Role.NO_ROLE);
    }

    /** {@return the first (or only) caller of this spec, for use outside a property} */
    public Caller caller() {
      return roles.get(0).in(project);
    }

    /** {@return the project, if its callers have one} */
    public Optional<ProjectId> project() {
      return Optional.of(project);
    }

    @Override
    public Caller generate(RandomnessSource in) {
      return Generate.pick(roles).map(r -> r.in(project)).generate(in);
    }

    @Override
    public String asString(Caller caller) {
      return describe(caller);
    }
  }
}
