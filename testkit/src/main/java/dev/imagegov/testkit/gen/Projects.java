package dev.imagegov.testkit.gen;

import dev.imagegov.model.ProjectId;
import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Project ids drawn from a small pool ({@code p0}, {@code p1}, ...), so that generated images share
 * owners and members and sharing actually happens. Shrinks towards {@code p0}.
 */
public final class Projects {
  /** The default pool size. */
  public static final int DEFAULT_POOL = 4;

  private Projects() {}

  /**
   * {@return the pool {@code p0 .. p(size-1)}}
   *
   * @param size how many projects
   */
  public static List<ProjectId> pool(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a project pool needs at least one project");
    }
    List<ProjectId> pool = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      pool.add(ProjectId.of("p" + i));
    }
    return List.copyOf(pool);
  }

  /** {@return projects of the default pool} */
  public static Gen<ProjectId> projects() {
    return from(pool(DEFAULT_POOL));
  }

  /**
   * {@return projects of a pool of {@code size}}
   *
   * @param size the pool's size
   */
  public static Gen<ProjectId> projects(int size) {
    return from(pool(size));
  }

  /**
   * {@return projects picked from {@code pool}, shrinking towards its first}
   *
   * @param pool the projects to pick from
   */
  public static Gen<ProjectId> from(List<ProjectId> pool) {
    if (pool.isEmpty()) {
      throw new IllegalArgumentException("a project pool needs at least one project");
    }
    return Generate.pick(List.copyOf(pool)).describedAs(ProjectId::value);
  }
}
