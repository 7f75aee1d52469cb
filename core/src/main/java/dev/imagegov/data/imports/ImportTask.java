package dev.imagegov.data.imports;

import com.google.common.collect.ImmutableList;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One import as a tracked task (Glance's {@code api_image_import} task): its id (which the image
 * holds in {@code os_glance_import_task} while it runs), the image, the project that asked (the
 * task's owner), the method, the target stores, the status with a message, and times. Immutable:
 * a task that moves on is a new value under the same id.
 *
 * @param id the task id (a UUID)
 * @param image the image imported into
 * @param owner the caller's project, the task's owner; empty for a caller without a project
 * @param method the import method
 * @param stores the target stores
 * @param status the task status
 * @param message why the task failed, or what it did; empty while it runs
 * @param createdAt when the task was created
 * @param updatedAt when the task last changed
 */
public record ImportTask(
    String id,
    ImageId image,
    Optional<ProjectId> owner,
    ImportMethod method,
    ImmutableList<StoreId> stores,
    TaskStatus status,
    String message,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Checks for nulls.
   *
   * @param createdAt when the task was created
   * @param id the task's id
   * @param image the image the task imports into
   * @param message the task's latest message
   * @param method the import method
   * @param owner the project that owns the task
   * @param status where the task is in its lifecycle
   * @param stores the stores the task imports into
   * @param updatedAt when the task last changed
   */
  public ImportTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(stores, "stores");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * This task in {@code next} status with {@code text} as its message, changed at {@code at}.
   *
   * @param next the task's new status
   * @param text the task's new message
   * @param at when it happens
   * @return a copy of this task in the new status
   */
  public ImportTask moveTo(TaskStatus next, String text, Instant at) {
    return new ImportTask(id, image, owner, method, stores, next, text, createdAt, at);
  }
}
