package dev.imagegov.access;

import dev.imagegov.model.ProjectId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param via for the visibility step of a caller whose project is a member through a group
 *     (hierarchical sharing): the parent project or domain, a member of the image, through which
 *     the membership holds; empty for every other step and every other reason
 */
public record CheckStep(CheckKind kind, String check, boolean passed, List<Decision> decisions,
    String detail, Optional<ProjectId> via) {

  /**
   * Refuses null components.
   *
   * @param kind the kind of check
   * @param check what was checked, in a few words
   * @param passed whether the check passed
   * @param decisions the policy decisions the check evaluated, in order (empty for non-policy
   *     checks)
   * @param detail the refusal's message when the check failed; otherwise a note, possibly empty
   * @param via the group through which a membership holds (the visibility step only), if any
   */
  public CheckStep {
    decisions = List.copyOf(decisions);
    Objects.requireNonNull(via, "via");
  }

  /**
   * A step that names no group.
   *
   * @param kind the kind of check
   * @param check what was checked, in a few words
   * @param passed whether the check passed
   * @param decisions the policy decisions the check evaluated, in order
   * @param detail the refusal's message when the check failed; otherwise a note, possibly empty
   */
  public CheckStep(
      CheckKind kind, String check, boolean passed, List<Decision> decisions, String detail) {
    this(kind, check, passed, decisions, detail, Optional.empty());
  }
}
