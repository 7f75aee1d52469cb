package dev.imagegov.data.imports;

import java.util.Locale;

/**
 * The status of an import task, as Glance's task statuses: created {@code pending}, running
 * {@code processing}, finished {@code success} or {@code failure}.
 */
public enum TaskStatus {
  /** Created; the work has not started (an asynchronous import waiting for its executor). */
  PENDING,
  /** The work is running. */
  PROCESSING,
  /** The work finished and its result is committed. */
  SUCCESS,
  /** The work failed and was reverted; the task's message says why. */
  FAILURE;

  /** {@return whether the task has finished, either way} */
  public boolean isFinished() {
    return this == SUCCESS || this == FAILURE;
  }

  /** {@return the lower-case wire name} */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
