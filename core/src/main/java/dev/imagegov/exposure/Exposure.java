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
 * Exposure governance for operators: the {@link ExposureGuardrail} in force, its change by an
 * admin, and the {@link ExposureReport} of existing images it would not allow. The guardrail itself
 * is enforced by the check pipelines of the actions that expose an image (create, visibility
 * change, patch). Thread-safe.
 */
public final class Exposure {
  private final Engine engine;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code exposure()}.
   *
   * @param engine the kernel that reads the catalog and holds the guardrail in force
   */
  public Exposure(Engine engine) {
    this.engine = engine;
  }

  /**
   * {@return the guardrail in force: the configuration's {@link GovernanceConfig#exposure()} until
   * an admin {@link #change changes} it}
   */
  public ExposureGuardrail guardrail() {
    return engine.exposure();
  }

  /**
   * Puts another guardrail in force, at once, for every operation of this governance: how an admin
   * lifts {@code blocked} (or imposes it). Like setting it in the configuration, it changes no
   * existing image ({@link #report} lists those the new one would not allow). The setting lives
   * in this governance, not in the catalog: with several nodes on one catalog, change it on each
   * node (or in each node's configuration); until then a node keeps the guardrail it had.
   *
   * @param caller who asks; must be an admin
   * @param guardrail the guardrail to put in force
   * @return the guardrail that was in force before
   * @throws GovernanceException 403 {@code POLICY_DENIED} for a caller who is not an admin, 400
   *     {@code INVALID_VALUE} for a null guardrail; either way nothing changes
   */
  public ExposureGuardrail change(Caller caller, ExposureGuardrail guardrail) {
    return engine.metered("exposure.change", () -> changeUnmetered(caller, guardrail));
  }

  private ExposureGuardrail changeUnmetered(Caller caller, ExposureGuardrail guardrail) {
    if (!engine.isAdmin(caller)) {
      throw GovernanceException.of(RuleCode.POLICY_DENIED,
          "Only an admin may change the exposure guardrail.");
    }
    if (guardrail == null) {
      throw GovernanceException.of(dev.imagegov.error.StoreErrorCode.INVALID_VALUE,
          "The exposure guardrail to put in force is missing.");
    }
    ExposureGuardrail before = engine.exposure();
    engine.exposure(guardrail);
    return before;
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
    ExposureGuardrail guardrail = engine.exposure();
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
