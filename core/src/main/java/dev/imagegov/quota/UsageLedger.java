package dev.imagegov.quota;

import com.google.common.collect.ImmutableMap;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Location;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * What each project consumes, and what is reserved for work in progress. Storage is charged to
 * the image's owner: an image contributes its size once per location (per store) while it is
 * live (not killed, deleted or pending delete). Live image counts come from the catalog. An
 * image that is {@code uploading} or {@code importing}, or being copied to more stores, counts
 * its size as staged bytes and itself as one upload in progress (Glance's usage definitions).
 *
 * <p>Guarantees: {@link Reservation#tryGrow} succeeds only if the project's committed usage plus
 * everything reserved plus the growth stays within the limit, decided atomically per project, so
 * concurrent reservations never overshoot. Committed usage moves only through {@link #record},
 * which callers invoke after the catalog committed a change; they release a reservation only
 * after recording what it covered, so usage is never under-counted in between. At rest (no
 * reservation open) the stored bytes equal the sum over live images of size times locations.
 * Thread-safe; one lock per project, none global.
 */
public final class UsageLedger {
  /** The quantities the ledger counts per project. */
  public enum Resource {
    /** Bytes stored in final stores (size times locations). */
    STORED_BYTES,
    /** Bytes staged, or being copied between stores. */
    STAGED_BYTES,
    /** Live images. */
    IMAGES,
    /** Images whose data is being written. */
    UPLOADS
  }

  private final ToLongFunction<ProjectId> liveImages;
  private final ConcurrentHashMap<ProjectId, Account> accounts = new ConcurrentHashMap<>();

  /** A ledger whose live image counts come from {@code liveImages} (the catalog's usage). */
  public UsageLedger(ToLongFunction<ProjectId> liveImages) {
    this.liveImages = Objects.requireNonNull(liveImages, "liveImages");
  }

  private Account account(ProjectId project) {
    return accounts.computeIfAbsent(project, p -> new Account());
  }

  /**
   * Records a committed change of one image: {@code before} stops contributing and {@code after}
   * starts (either may be null, for an insert or a delete).
   */
  public void record(@Nullable Image before, @Nullable Image after) {
    contribute(before, -1);
    contribute(after, 1);
  }

  private void contribute(@Nullable Image image, int sign) {
    if (image == null || image.owner().isEmpty() || !counts(image.status())) {
      return;
    }
    long size = image.size().orElse(0);
    if (isInFlight(image)) {
      Account a = account(image.owner().get());
      synchronized (a) {
        a.staged += sign * size;
        a.uploads += sign;
      }
    }
    if (size == 0 || image.locations().isEmpty()) {
      return;
    }
    Account a = account(image.owner().get());
    synchronized (a) {
      for (Location l : image.locations()) {
        a.stored.merge(l.store(), sign * size, Long::sum);
        if (a.stored.get(l.store()) == 0) {
          a.stored.remove(l.store());
        }
        a.storedTotal += sign * size;
      }
    }
  }

  /** The property naming the stores an import or copy is writing to. */
  static final String IMPORTING_TO_STORES = "os_glance_importing_to_stores";

  /**
   * Whether the image counts as staged and uploading between calls (Glance's {@code
   * image_stage_total} and {@code image_count_uploading}): it is {@code uploading} or {@code
   * importing}, or a live image being copied (a non-empty {@code os_glance_importing_to_stores}).
   * A classic upload ({@code saving}) is counted by its reservation while it runs.
   */
  static boolean isInFlight(Image image) {
    return image.status() == ImageStatus.UPLOADING
        || image.status() == ImageStatus.IMPORTING
        || !image.properties().getOrDefault(IMPORTING_TO_STORES, "").isEmpty();
  }

  /** Whether images in this status count against storage. */
  static boolean counts(ImageStatus status) {
    return status != ImageStatus.KILLED && !status.isDeleted();
  }

  /** Opens an empty reservation for {@code project}; close it when the work ends. */
  public Reservation open(ProjectId project) {
    return new Reservation(Objects.requireNonNull(project, "project"), account(project));
  }

  /** Committed usage plus everything reserved, of {@code resource} for {@code project}. */
  public long usage(ProjectId project, Resource resource) {
    Account a = account(project);
    synchronized (a) {
      return a.committed(project, resource) + a.reserved.getOrDefault(resource, 0L);
    }
  }

  /** A consistent snapshot of {@code project}'s account. */
  public Snapshot snapshot(ProjectId project) {
    Account a = account(project);
    long images = liveImages.applyAsLong(project);
    synchronized (a) {
      Map<Resource, Long> reserved = new EnumMap<>(Resource.class);
      reserved.putAll(a.reserved);
      return new Snapshot(
          images,
          a.storedTotal,
          ImmutableMap.copyOf(new TreeMap<>(a.stored)),
          ImmutableMap.copyOf(reserved));
    }
  }

  /**
   * A project's account at one moment: live images, committed stored bytes (in total and per
   * store) and what open reservations hold per resource.
   */
  public record Snapshot(
      long images,
      long storedBytes,
      ImmutableMap<StoreId, Long> storedByStore,
      ImmutableMap<Resource, Long> reserved) {
    /** What reservations hold of {@code resource}. */
    public long reserved(Resource resource) {
      return reserved.getOrDefault(resource, 0L);
    }
  }

  private final class Account {
    final Map<StoreId, Long> stored = new TreeMap<>();
    long storedTotal;
    long staged;
    long uploads;
    final Map<Resource, Long> reserved = new EnumMap<>(Resource.class);

    long committed(ProjectId project, Resource resource) {
      switch (resource) {
        case STORED_BYTES:
          return storedTotal;
        case IMAGES:
          return liveImages.applyAsLong(project);
        case STAGED_BYTES:
          return staged;
        case UPLOADS:
          return uploads;
        default:
          return 0;
      }
    }
  }

  /**
   * Amounts held for one piece of work in one project. Grow it before consuming, close it when
   * the work ends (after recording what it produced). Not for use by several threads at once;
   * closing twice is harmless.
   */
  public final class Reservation implements AutoCloseable {
    private final ProjectId project;
    private final Account account;
    private final Map<Resource, Long> held = new EnumMap<>(Resource.class);

    private Reservation(ProjectId project, Account account) {
      this.project = project;
      this.account = account;
    }

    /** The project charged. */
    public ProjectId project() {
      return project;
    }

    /**
     * Reserves {@code delta} more of {@code resource} if usage plus reservations plus {@code
     * delta} stays within {@code limit} (negative: unlimited).
     *
     * @return whether the reservation grew (if not, nothing changed)
     */
    public boolean tryGrow(Resource resource, long delta, long limit) {
      if (delta < 0) {
        throw new IllegalArgumentException("delta must not be negative: " + delta);
      }
      synchronized (account) {
        long reserved = account.reserved.getOrDefault(resource, 0L);
        if (limit >= 0) {
          long usage = account.committed(project, resource) + reserved;
          if (delta > limit - usage) {
            return false;
          }
        }
        account.reserved.put(resource, reserved + delta);
      }
      held.merge(resource, delta, Long::sum);
      return true;
    }

    /** What this reservation holds of {@code resource}. */
    public long held(Resource resource) {
      return held.getOrDefault(resource, 0L);
    }

    /** Releases everything held. */
    @Override
    public void close() {
      synchronized (account) {
        held.forEach((r, n) -> account.reserved.merge(r, -n, Long::sum));
        account.reserved.values().removeIf(v -> v == 0);
      }
      held.clear();
    }
  }
}
