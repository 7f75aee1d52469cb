package dev.imagegov.testkit.gen;

import static org.quicktheories.generators.SourceDSL.lists;

import dev.imagegov.model.ImageId;
import dev.imagegov.model.Member;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Memberships: statuses, single members of an image, and member maps over a project pool (each
 * project at most once). Shrinks towards no members, and towards {@code pending}.
 */
public final class Members {
  private Members() {}

  /** {@return every member status, shrinking towards {@code pending}} */
  public static Gen<MemberStatus> statuses() {
    return Generate.enumValues(MemberStatus.class).describedAs(MemberStatus::wireName);
  }

  /**
   * Members of {@code image}, of any status, drawn from {@code projects}, created at {@code at}.
   *
   * @param image the image's id
   * @param projects the projects members are drawn from
   * @param at when it happens
   * @return members of {@code image}, of any status, drawn from {@code projects}, created at {@code
   *     at}
   */
  public static Gen<Member> members(ImageId image, List<ProjectId> projects, Instant at) {
    return Projects.from(projects)
        .zip(statuses(), (p, s) -> Member.pending(image, p, at).withStatus(s, at))
        .describedAs(m -> m.project() + ":" + m.status().wireName());
  }

  /**
   * {@return members of {@code image} in exactly {@code status}}
   *
   * @param image the image's id
   * @param projects the projects members are drawn from
   * @param status the members' status
   * @param at when it happens
   */
  public static Gen<Member> members(
      ImageId image, List<ProjectId> projects, MemberStatus status, Instant at) {
    return Projects.from(projects)
        .map(p -> Member.pending(image, p, at).withStatus(status, at))
        .describedAs(m -> m.project() + ":" + m.status().wireName());
  }

  /**
   * Maps from member project to status: up to {@code max} distinct projects of {@code projects} (a
   * project drawn twice keeps its first status).
   *
   * @param projects the projects members are drawn from
   * @param max the most members in a map
   * @return maps from member project to status: up to {@code max} distinct projects of {@code
   *     projects} (a project drawn twice keeps its first status)
   */
  public static Gen<Map<ProjectId, MemberStatus>> memberships(List<ProjectId> projects, int max) {
    return lists()
        .of(Projects.from(projects).zip(statuses(), Map::entry))
        .ofSizeBetween(0, max)
        .map(
            entries -> {
              Map<ProjectId, MemberStatus> m = new LinkedHashMap<>();
              entries.forEach(e -> m.putIfAbsent(e.getKey(), e.getValue()));
              return m;
            })
        .describedAs(Members::describe);
  }

  /** {@code {p1:accepted, p2:pending}}. */
  static String describe(Map<ProjectId, MemberStatus> members) {
    StringBuilder out = new StringBuilder("{");
    members.forEach(
        (p, s) ->
            out.append(out.length() > 1 ? ", " : "").append(p).append(':').append(s.wireName()));
    return out.append('}').toString();
  }
}
