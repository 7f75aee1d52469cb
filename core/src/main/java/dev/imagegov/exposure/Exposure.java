package dev.imagegov.exposure;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Exposure governance for operators: the configured {@link ExposureGuardrail} and the {@link
 * ExposureReport} of existing images it would not allow. The guardrail itself is enforced by the
 * check pipelines of the actions that expose an image (create, visibility change, patch).
 * Thread-safe.
 */
public final class Exposure {
  private final Engine engine;
  private final GovernanceConfig config;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code exposure()}.
   *
   * @param engine the kernel that reads the catalog
   * @param config the configuration holding the guardrail
   */
  public Exposure(Engine engine, GovernanceConfig config) {
    this.engine = engine;
    this.config = config;
  }

  /** {@return the guardrail in force} */
  public ExposureGuardrail guardrail() {
    return config.exposure();
  }

  /**
   * The public and community images the guardrail in force would not let their owner expose
   * today (judged as the owner acting without admin rights). Reads the whole catalog once; an
   * operator tool, so only an admin may ask.
   *
   * @param caller who asks; must be an admin
   * @return the disallowed images, in id order
   * @throws GovernanceException 403 {@code POLICY_DENIED} for a caller who is not an admin
   */
  public ExposureReport report(Caller caller) {
    return engine.metered("exposure.report", () -> reportUnmetered(caller));
  }

  private ExposureReport reportUnmetered(Caller caller) {
    if (!engine.isAdmin(caller)) {
      throw GovernanceException.of(RuleCode.POLICY_DENIED,
          "Only an admin may read the exposure report.");
    }
    ExposureGuardrail guardrail = config.exposure();
    List<ExposureReport.Finding> found = new ArrayList<>();
    engine.forEach(image -> finding(guardrail, image).ifPresent(found::add));
    found.sort(Comparator.comparing(d -> d.image().value()));
    return new ExposureReport(guardrail, found);
  }

  private static Optional<ExposureReport.Finding> finding(
      ExposureGuardrail guardrail, Image image) {
    return guardrail.refusal(false, image.owner(), image.visibility())
        .map(reason -> new ExposureReport.Finding(
            image.id(), image.owner(), image.visibility(), reason));
  }
}
