package dev.imagegov.error;

/**
 * A stable, specific reason for a refusal, carried by every {@link GovernanceException}. Two
 * enums implement it: {@link StoreErrorCode}, the codes a store raises, and core's {@code
 * dev.imagegov.errors.RuleCode}, the codes of core's rules. Compare codes by identity ({@code
 * e.code() == RuleCode.POLICY_DENIED}); {@link #name()} is the stable text form.
 */
public interface ErrorCode {
  /**
   * The code's stable name, as the enum constant spells it.
   *
   * @return the name, for example {@code IMAGE_NOT_FOUND}
   */
  String name();

  /**
   * The kind of refusal.
   *
   * @return the kind, which carries Glance's HTTP status
   */
  ErrorKind kind();

  /**
   * Glance's HTTP status for this code.
   *
   * @return the status of the code's kind
   */
  default int httpStatus() {
    return kind().httpStatus();
  }
}
