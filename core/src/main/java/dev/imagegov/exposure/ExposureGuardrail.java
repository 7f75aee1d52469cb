package dev.imagegov.exposure;

import com.google.common.collect.ImmutableSet;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

/**
 * Who may make an image {@code public} or {@code community}, on top of Glance's policy rules
 * ({@code publicize_image}, {@code communitize_image}), which still apply: the guardrail only
 * ever refuses more. An imagegov extension (Glance has no such option), opt-in: {@link #open()} is
 * the default and changes nothing.
 *
 * <ul>
 *   <li>{@link Mode#OPEN}: Glance's behaviour.
 *   <li>{@link Mode#PRODUCERS_ONLY}: only a caller whose project is on the producer list, or an
 *       admin, may make an image public or community.
 *   <li>{@link Mode#BLOCKED}: nobody may, admins included, until an operator builds the
 *       governance from a configuration with another setting.
 * </ul>
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode the setting
 * @param producers the producer projects ({@link Mode#PRODUCERS_ONLY} only; empty otherwise)
 */
public record ExposureGuardrail(Mode mode, Set<ProjectId> producers) {

  /** The guardrail's settings, with the names {@code glance-api.conf} uses. */
  public enum Mode {
    /** Glance's behaviour: only the policy rules decide. */
    OPEN("open"),
    /** Only producer projects and admins may expose an image. */
    PRODUCERS_ONLY("producers-only"),
    /** Nobody may expose an image. */
    BLOCKED("blocked");

    private final String wireName;

    Mode(String wireName) {
      this.wireName = wireName;
    }

    /** {@return the setting's name in {@code glance-api.conf}} */
    public String wireName() {
      return wireName;
    }
  }

  /**
   * Checks the components: producers only with {@link Mode#PRODUCERS_ONLY}.
   *
   * @param mode the setting
   * @param producers the producer projects ({@link Mode#PRODUCERS_ONLY} only; empty otherwise)
   */
  public ExposureGuardrail {
    producers = ImmutableSet.copyOf(producers);
    if (mode != Mode.PRODUCERS_ONLY && !producers.isEmpty()) {
      throw GovernanceException.of(StoreErrorCode.INVALID_VALUE,
          "exposure: a producer list is only meaningful with producers-only, not "
              + mode.wireName());
    }
  }

  /** {@return Glance's behaviour: the guardrail refuses nothing} */
  public static ExposureGuardrail open() {
    return new ExposureGuardrail(Mode.OPEN, Set.of());
  }

  /**
   * {@return the guardrail that lets only {@code producers} (and admins) expose an image}
   *
   * @param producers the producer projects (may be empty: then only admins)
   */
  public static ExposureGuardrail producersOnly(Collection<ProjectId> producers) {
    return new ExposureGuardrail(Mode.PRODUCERS_ONLY, ImmutableSet.copyOf(producers));
  }

  /** {@return the guardrail that lets nobody expose an image, admins included} */
  public static ExposureGuardrail blocked() {
    return new ExposureGuardrail(Mode.BLOCKED, Set.of());
  }

  /**
   * The guardrail named in configuration text.
   *
   * @param mode {@code open}, {@code producers-only} or {@code blocked}
   * @param producers the producer projects ({@code producers-only} only)
   * @return the guardrail
   * @throws GovernanceException 400 naming the bad value
   */
  public static ExposureGuardrail parse(String mode, Collection<ProjectId> producers) {
    for (Mode m : Mode.values()) {
      if (m.wireName.equals(mode)) {
        return new ExposureGuardrail(m, ImmutableSet.copyOf(producers));
      }
    }
    throw GovernanceException.of(StoreErrorCode.INVALID_VALUE,
        "exposure must be open, producers-only or blocked, not '" + mode + "'");
  }

  /**
   * Whether a caller may give an image {@code target}: the one home of the guardrail's rule.
   *
   * @param admin whether the caller is an admin
   * @param project the caller's project, if any
   * @param target the visibility the image would get
   * @return why the guardrail refuses, or empty if it allows (it allows every visibility but
   *     {@code public} and {@code community})
   */
  public Optional<String> refusal(boolean admin, Optional<ProjectId> project, Visibility target) {
    if (target != Visibility.PUBLIC && target != Visibility.COMMUNITY) {
      return Optional.empty();
    }
    switch (mode) {
      case BLOCKED:
        return Optional.of("The exposure guardrail is blocked: no image may be made "
            + target.wireName() + ".");
      case PRODUCERS_ONLY:
        if (admin || project.map(producers::contains).orElse(false)) {
          return Optional.empty();
        }
        return Optional.of("The exposure guardrail is producers-only: only a producer project "
            + "or an admin may make an image " + target.wireName() + ".");
      default:
        return Optional.empty();
    }
  }
}
