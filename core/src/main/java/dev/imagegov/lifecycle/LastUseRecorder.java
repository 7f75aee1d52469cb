package dev.imagegov.lifecycle;

import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Records when an image was last used, in its {@code imagegov_lifecycle_last_used} property,
 * coalesced: an image whose recorded last use is younger than the interval is not written, so
 * a hot image costs at most one catalog write per interval however often it boots, and the
 * download path stays a read in between. Racing recorders of one image write once: each
 * recording is a compare-and-set through the kernel that re-checks the interval on the current
 * image. The write keeps the image's {@code updated_at} (a use is not a change) and publishes no
 * event. Instants are truncated to seconds, so the stored values sort as text.
 *
 * <p>The download authorization ({@code dev.imagegov.access.Access#authorizeDownload}, which
 * every data download runs) is the one caller. Public only so that package asks this one home;
 * it is not API. Thread-safe.
 */
public final class LastUseRecorder {
  private final Engine engine;
  private final Duration interval;

  /**
   * A recorder writing through {@code engine}, at most once per {@code interval} per image.
   *
   * @param engine the kernel that writes the catalog
   * @param interval how long a recorded last use stays current; not negative
   */
  public LastUseRecorder(Engine engine, Duration interval) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.interval = Objects.requireNonNull(interval, "interval");
  }

  /**
   * Records that {@code caller} used {@code image} now, unless the recorded last use is still
   * current. The caller was already admitted to the use: the image is not looked up again for
   * its visibility. A use of an image deleted meanwhile, or that loses every retry of the
   * compare-and-set to other writers, is not recorded (the use itself is not refused for it).
   *
   * @param caller who used the image
   * @param image the image as the use saw it
   */
  public void record(Caller caller, Image image) {
    Instant now = engine.now().truncatedTo(ChronoUnit.SECONDS);
    if (!due(image, now)) {
      return;
    }
    try {
      engine.commitAdmitted(caller, image.id(), null,
          current -> due(current, now)
              ? Optional.of(Keys.with(current, Map.of(Keys.LAST_USED, now.toString()),
                  current.updatedAt()))
              : Optional.empty(),
          Engine.Events.NONE);
    } catch (GovernanceException e) {
      if (e.code() != StoreErrorCode.IMAGE_NOT_FOUND
          && e.code() != StoreErrorCode.STALE_VERSION) {
        throw e;
      }
    }
  }

  /** Whether a use at {@code now} must be written: none recorded, or the recorded one too old. */
  private boolean due(Image image, Instant now) {
    Optional<Instant> last = LifecycleInfo.of(image).lastUsed();
    return last.isEmpty()
        || (now.isAfter(last.get()) && !last.get().plus(interval).isAfter(now));
  }
}
