package dev.imagegov.events;

/**
 * Receives every {@link GovernanceEvent}, synchronously, on the thread that made the change,
 * after the change is committed and in commit order for one image. A listener that throws does
 * not undo the change nor stop delivery to the other listeners.
 */
@FunctionalInterface
public interface GovernanceListener {
  /**
   * Called once per committed change.
   *
   * @param event the event, published after its change committed
   */
  void onEvent(GovernanceEvent event);
}
