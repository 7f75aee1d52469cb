package dev.imagegov.access;

import java.util.List;

/**
 * A policy read from a file, with the loader's warnings about it ({@link Policy#loadChecked}):
 * each names the file, the line and the rule that can have no effect.
 *
 * @param policy the policy as loaded
 * @param warnings the warnings, in the file's order; empty when every rule is used
 */
public record LoadedPolicy(Policy policy, List<String> warnings) {
  /**
   * A loaded policy.
   *
   * @param policy the policy as loaded
   * @param warnings the warnings, in the file's order
   */
  public LoadedPolicy {
    java.util.Objects.requireNonNull(policy, "policy");
    warnings = List.copyOf(warnings);
  }
}
