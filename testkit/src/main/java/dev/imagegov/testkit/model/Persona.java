package dev.imagegov.testkit.model;

import dev.imagegov.access.Caller;
import java.util.List;

/**
 * A caller as the reference model sees it: its project and which of Glance's secure-RBAC roles it
 * holds (with implications spelled out: an admin is also member and reader).
 *
 * @param label a short name for failure reports, such as {@code p1.member}
 * @param caller the caller passed to the governance
 * @param project the caller's project
 * @param admin whether the caller is an admin
 * @param member whether the caller holds the member role
 * @param reader whether the caller holds the reader role
 */
public record Persona(
    String label, Caller caller, String project, boolean admin, boolean member, boolean reader) {

  /**
   * {@return a member (roles member, reader) of {@code project}}
   *
   * @param project the project's id
   */
  public static Persona member(String project) {
    return new Persona(project + ".member", Caller.member(project), project, false, true, true);
  }

  /**
   * {@return a reader (role reader only) of {@code project}}
   *
   * @param project the project's id
   */
  public static Persona reader(String project) {
    return new Persona(project + ".reader", Caller.reader(project), project, false, false, true);
  }

  /**
   * {@return an admin (roles admin, member, reader) of {@code project}}
   *
   * @param project the project's id
   */
  public static Persona admin(String project) {
    return new Persona(project + ".admin", Caller.admin(project), project, true, true, true);
  }

  /**
   * The personas the model check uses by default: members of three projects (owners, members,
   * outsiders by turns), readers of two of them, and an admin of a project of its own.
   *
   * @return the personas the model check uses by default: members of three projects (owners,
   *     members, outsiders by turns), readers of two of them, and an admin of a project of its own
   */
  public static List<Persona> defaults() {
    return List.of(
        member("p1"), member("p2"), member("p3"), reader("p1"), reader("p3"), admin("adm"));
  }

  @Override
  public String toString() {
    return label;
  }
}
