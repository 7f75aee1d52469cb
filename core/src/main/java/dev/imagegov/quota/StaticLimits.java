package dev.imagegov.quota;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.ProjectId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link LimitSource} from fixed values: registered (default) limits with per-project
 * overrides, as an operator registers them in Keystone. Unregistered resources are 0. Immutable.
 */
public final class StaticLimits implements LimitSource {
  private final ImmutableMap<UnifiedLimit, Long> registered;
  private final ImmutableMap<ProjectId, ImmutableMap<UnifiedLimit, Long>> overrides;

  private StaticLimits(Builder b) {
    this.registered = ImmutableMap.copyOf(b.registered);
    ImmutableMap.Builder<ProjectId, ImmutableMap<UnifiedLimit, Long>> o = ImmutableMap.builder();
    b.overrides.forEach((p, m) -> o.put(p, ImmutableMap.copyOf(m)));
    this.overrides = o.buildOrThrow();
  }

  /** {@return a builder with nothing registered} */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public long limit(ProjectId project, UnifiedLimit resource) {
    ImmutableMap<UnifiedLimit, Long> own = overrides.get(project);
    if (own != null && own.containsKey(resource)) {
      return own.get(resource);
    }
    return registered.getOrDefault(resource, 0L);
  }

  /** Builds {@link StaticLimits}. */
  public static final class Builder {
    private final Map<UnifiedLimit, Long> registered = new EnumMap<>(UnifiedLimit.class);
    private final Map<ProjectId, Map<UnifiedLimit, Long>> overrides = new HashMap<>();

    private Builder() {}

    /**
     * The default limit of {@code resource} for every project (negative: unlimited).
     *
     * @param resource the limited resource
     * @param limit the limit in the resource's unit; negative for unlimited
     * @return this builder, for chaining
     */
    public Builder registered(UnifiedLimit resource, long limit) {
      registered.put(Objects.requireNonNull(resource, "resource"), limit);
      return this;
    }

    /**
     * {@return the limit of {@code resource} for {@code project}, overriding the registered one}
     *
     * @param project the project the limit applies to
     * @param resource the limited resource
     * @param limit the limit in the resource's unit; negative for unlimited
     */
    public Builder project(ProjectId project, UnifiedLimit resource, long limit) {
      overrides
          .computeIfAbsent(
              Objects.requireNonNull(project, "project"), p -> new EnumMap<>(UnifiedLimit.class))
          .put(Objects.requireNonNull(resource, "resource"), limit);
      return this;
    }

    /** {@return the limits} */
    public StaticLimits build() {
      return new StaticLimits(this);
    }
  }
}
