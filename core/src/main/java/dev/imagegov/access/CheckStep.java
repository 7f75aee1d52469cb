package dev.imagegov.access;

import java.util.List;

/**
 * One step of an action's check pipeline as {@link Access#explain} reports it: what was checked,
 * whether it passed, the policy decisions it evaluated (with their traces), and a detail (the
 * refusal's message when it failed, or why it passed when there is something to say).
 *
 * @param kind the kind of check
 * @param check what was checked, in a few words
 * @param passed whether the check passed
 * @param decisions the policy decisions the check evaluated, in order (empty for non-policy
 *     checks)
 * @param detail the refusal's message when the check failed; otherwise a note, possibly empty
 */
public record CheckStep(
    CheckKind kind, String check, boolean passed, List<Decision> decisions, String detail) {

  /**
   * Refuses null components.
   *
   * @param kind the kind of check
   * @param check what was checked, in a few words
   * @param passed whether the check passed
   * @param decisions the policy decisions the check evaluated, in order (empty for non-policy
   *     checks)
   * @param detail the refusal's message when the check failed; otherwise a note, possibly empty
   */
  public CheckStep {
    decisions = List.copyOf(decisions);
  }
}
