package dev.imagegov.lifecycle;

import dev.imagegov.model.ImageId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An {@link ImageUsage} in memory that knows every use ({@link #knowsAll()} is true): the
 * application (or a test) records uses with {@link #start} and ends them with {@link #stop}.
 * Thread-safe.
 */
public final class MemoryImageUsage implements ImageUsage {
  private final Map<ImageId, List<ImageUse>> uses = new ConcurrentHashMap<>();

  /**
   * Records that {@code use} began using {@code image}.
   *
   * @param image the image now in use
   * @param use the use that began
   */
  public void start(ImageId image, ImageUse use) {
    uses.computeIfAbsent(image, i -> new CopyOnWriteArrayList<>()).add(use);
  }

  /**
   * Ends every use of {@code image} by {@code consumer}.
   *
   * @param image the image no longer used by {@code consumer}
   * @param consumer the application's name for the instance or volume
   */
  public void stop(ImageId image, String consumer) {
    uses.computeIfPresent(image, (i, list) -> {
      list.removeIf(u -> u.consumer().equals(consumer));
      return list.isEmpty() ? null : list;
    });
  }

  @Override
  public List<ImageUse> usesOf(ImageId image) {
    List<ImageUse> list = uses.get(image);
    return list == null ? List.of() : List.copyOf(list);
  }

  @Override
  public boolean knowsAll() {
    return true;
  }
}
