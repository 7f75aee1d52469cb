package dev.imagegov.events;

import dev.imagegov.error.ErrorCode;
import java.time.Duration;

/**
 * The metrics hook: told about every operation a caller asks of the governance (each public
 * use-case method taking a {@code Caller}: {@code images().create}, {@code data().upload}, {@code
 * sharing().addMember}, …), once, when it ends, with how long it took. An operation ends in one of
 * three ways: it completed, it was refused (a {@link dev.imagegov.error.GovernanceException}, with
 * its code), or it failed with another exception (a store's or a bug's). An operation that calls
 * another one (an overload delegating, a copy running an import) is reported once, under the name
 * the caller called.
 *
 * <p>Operation names are {@code <group>.<method>}, the group being the facade's accessor: {@code
 * images.create}, {@code data.download}, {@code imports.importImage}, {@code reports.hygiene}.
 *
 * <p>Calls are synchronous, on the caller's thread, after the operation ended; an implementation
 * must be thread-safe and quick, and should not throw (an exception it throws is logged through the
 * {@link System.Logger} {@code dev.imagegov.metrics} and ignored). Set with {@code
 * ImageGovernance.Builder.metrics}; {@link MemoryMetrics} counts and times in memory, and an
 * adapter to Micrometer or OpenTelemetry is a few lines over this interface.
 */
public interface GovernanceMetrics {
  /** Records nothing: the default. */
  GovernanceMetrics NONE = new GovernanceMetrics() {};

  /**
   * The operation completed.
   *
   * @param operation {@code <group>.<method>}
   * @param elapsed how long it took
   */
  default void completed(String operation, Duration elapsed) {}

  /**
   * The operation was refused.
   *
   * @param operation {@code <group>.<method>}
   * @param code the refusal's code
   * @param elapsed how long it took until refused
   */
  default void refused(String operation, ErrorCode code, Duration elapsed) {}

  /**
   * The operation failed with an exception that is not a refusal.
   *
   * @param operation {@code <group>.<method>}
   * @param failure what it threw
   * @param elapsed how long it took until it failed
   */
  default void failed(String operation, RuntimeException failure, Duration elapsed) {}
}
