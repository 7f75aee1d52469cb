package dev.imagegov.data;

import com.google.common.collect.ImmutableList;
import dev.imagegov.data.imports.ImportTask;
import dev.imagegov.model.ImageId;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The import tasks of this governance, by id, in memory (Glance keeps them in its database).
 * Tasks do not outlive the process: an image whose lock names a task this registry does not know
 * has a stale lock, which the next import breaks (Glance's rule for a missing task record).
 * Thread-safe.
 */
final class ImportTasks {
  private final ConcurrentHashMap<String, ImportTask> tasks = new ConcurrentHashMap<>();

  /** Records {@code task}, replacing the task of the same id. */
  void put(ImportTask task) {
    tasks.put(task.id(), task);
  }

  /** The task with this id, if this governance knows it. */
  Optional<ImportTask> find(String id) {
    return Optional.ofNullable(tasks.get(id));
  }

  /** The tasks of {@code image}, oldest first. */
  ImmutableList<ImportTask> of(ImageId image) {
    return tasks.values().stream()
        .filter(t -> t.image().equals(image))
        .sorted(Comparator.comparing(ImportTask::createdAt).thenComparing(ImportTask::id))
        .collect(ImmutableList.toImmutableList());
  }
}
