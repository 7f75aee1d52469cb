package dev.imagegov.events;

/**
 * Where a {@link GovernanceListener}'s exception goes. A listener runs after its change is
 * committed, so its failure can neither undo the change nor be answered to the caller: the
 * governance logs it through the {@link System.Logger} named {@code dev.imagegov.events} (level
 * {@code WARNING}, with the listener, the event's type and image, and the exception) and then hands
 * it to this handler, set with {@code ImageGovernance.Builder.listenerFailures}. Delivery then
 * goes on with the next listener. The thread's uncaught-exception handler is never called.
 *
 * <p>A handler is called on the thread that made the change, once per failed delivery. An
 * exception it throws itself is logged the same way and otherwise ignored.
 */
@FunctionalInterface
public interface ListenerFailureHandler {
  /** The default: nothing beyond the log entry. */
  ListenerFailureHandler LOG_ONLY = (listener, event, failure) -> {};

  /**
   * Called after {@code listener} threw {@code failure} on {@code event}.
   *
   * @param listener the listener that failed
   * @param event the event it was given, whose change is committed
   * @param failure what it threw
   */
  void listenerFailed(GovernanceListener listener, GovernanceEvent event, RuntimeException failure);
}
