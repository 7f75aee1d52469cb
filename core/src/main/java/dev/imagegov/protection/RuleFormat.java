package dev.imagegov.protection;

/**
 * How the values of a property-protections file name who is allowed: Glance's {@code
 * property_protection_rule_format} option, {@code roles} by default.
 */
public enum RuleFormat {
  /**
   * Each value is a comma-separated list of role names, compared with the caller's roles (implied
   * roles included) ignoring case; {@code @} means every caller and {@code !} none.
   */
  ROLES,
  /**
   * Each value is the name of exactly one rule of the policy, evaluated for the caller with an
   * empty target; {@code @} means every caller and {@code !} none.
   */
  POLICIES
}
