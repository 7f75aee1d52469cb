package dev.imagegov.report;

/** The rules a {@link CapacityReport} checks for each store and project. */
public enum CapacityRule {
  /**
   * The sum over projects of their storage limits exceeds a store's capacity: every location
   * counts against its owner's limit, so one project may place its whole limit in any one store,
   * and all of them together could fill it.
   */
  OVERCOMMITTED("overcommitted"),
  /** A project has no storage limit: it alone can fill any store of bounded capacity. */
  UNLIMITED_PROJECT("unlimited-project"),
  /** A store's used bytes reached the near-full share of its capacity. */
  NEARLY_FULL("nearly-full"),
  /**
   * The catalog's locations in a store count more bytes than the store's blobs hold: some
   * location's blob is missing or shorter (see the hygiene report's missing-blob findings).
   */
  CATALOG_EXCEEDS_STORE("catalog-exceeds-store");

  private final String rule;

  CapacityRule(String rule) {
    this.rule = rule;
  }

  /** {@return the rule's name, as JSON and Markdown show it} */
  public String rule() {
    return rule;
  }
}
