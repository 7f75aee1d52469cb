package dev.imagegov.lifecycle;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.access.VisibilityReason;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.LifecycleChanged;
import dev.imagegov.image.Images;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.MemberStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Tombstone;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.VisibilityFilter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The golden-image lifecycle: families and versions, the states {@code active → deprecated →
 * obsolete → deleted} with replacements and schedules, {@link #latest}, and retention plans. The
 * group {@code ImageGovernance.lifecycle()} returns.
 *
 * <p>Everything is stored in the image's {@code imagegov_lifecycle_*} properties (names in the
 * README's Lifecycle section), which plain Glance clients read as ordinary properties and which
 * neither JSON-patch nor property protections can change: only these operations write them. Every
 * write goes through the kernel's compare-and-set ({@link Engine#commit}), runs the {@code MODIFY}
 * check pipeline (visible, {@code modify_image}, owner or admin) on the image it replaces and
 * publishes a {@link LifecycleChanged} after the commit; a refusal changes nothing. A move to the
 * state the image is already in is a no-op, so every operation, {@link #advance} included, is
 * idempotent and safe from several threads.
 */
public final class Lifecycle {
  /** The caller {@link #advance} acts as: an admin of the pseudo-project {@code imagegov}. */
  public static final Caller SCHEDULER = Caller.admin("imagegov");

  /** How many images one catalog query of a family fetches. */
  private static final int PAGE = 500;

  private final Engine engine;
  private final Images images;
  private final ImageUsage usage;
  private final ActionChecks checks;

  /**
   * Built by {@code ImageGovernance}, which hands it out as {@code lifecycle()}; deletions go
   * through {@code images}, so they are Glance's.
   *
   * @param engine the kernel that reads and writes the catalog
   * @param config the governance configuration (admin role, limits)
   * @param images the image use cases that deletions go through
   */
  public Lifecycle(Engine engine, GovernanceConfig config, Images images) {
    this.engine = engine;
    this.images = images;
    this.usage = engine.imageUsage();
    this.checks = new ActionChecks(engine, config);
  }

  // ------------------------------------------------------------------ families and versions

  /**
   * Puts the image in {@code family} of its owner, with an explicit {@code version} (or none:
   * versions are then ordered by creation time). Joining the family it is in with the same
   * version is a no-op.
   *
   * @param caller who asks: must own the image or be an admin
   * @param id the image to add to the family
   * @param family the family name, in the image owner's namespace
   * @param version the version label, or {@code null} for none
   * @return the image as the caller sees it after the change
   * @throws GovernanceException 404 if the caller cannot see the image; 403 unless the caller is
   *     its owner or an admin; 400 {@code INVALID_LIFECYCLE_VALUE} for a bad family name or
   *     version, or an image without an owner
   */
  public Image join(Caller caller, ImageId id, String family, @Nullable String version) {
    return engine.metered("lifecycle.join", () -> joinUnmetered(caller, id, family, version));
  }

  private Image joinUnmetered(Caller caller, ImageId id, String family, @Nullable String version) {
    Objects.requireNonNull(family, "family");
    if (version != null) {
      checkText("version", version);
    }
    return write(caller, id, current -> {
      ProjectId owner = current.owner().orElseThrow(() -> invalid(
          "Image " + id + " has no owner: only an owned image can be in a family."));
      new Family(owner, family);
      Map<String, @Nullable String> changes = new LinkedHashMap<>();
      changes.put(Keys.FAMILY, family);
      changes.put(Keys.VERSION, version);
      return changes;
    });
  }

  /**
   * Marks the version so {@link #latest} skips it (or no longer skips it), as Azure Compute
   * Gallery's "exclude from latest".
   *
   * @param caller who asks: must own the image or be an admin
   * @param id the version to mark
   * @param exclude {@code true} to skip the version in {@link #latest}, {@code false} to stop
   *     skipping it
   * @return the image as the caller sees it after the change
   * @throws GovernanceException 404 if the caller cannot see the image; 403 unless the caller is
   *     its owner or an admin
   */
  public Image excludeFromLatest(Caller caller, ImageId id, boolean exclude) {
    return engine.metered("lifecycle.excludeFromLatest", () ->
        excludeFromLatestUnmetered(caller, id, exclude));
  }

  private Image excludeFromLatestUnmetered(Caller caller, ImageId id, boolean exclude) {
    return write(caller, id, current -> {
      Map<String, @Nullable String> changes = new HashMap<>();
      changes.put(Keys.EXCLUDE_FROM_LATEST, exclude ? "true" : null);
      return changes;
    });
  }

  /**
   * Plans the image's steps: {@link #advance} applies each one once it is due. Replaces any
   * earlier schedule ({@link Schedule#none()} clears it).
   *
   * @param caller who asks: must own the image or be an admin
   * @param id the image to schedule
   * @param schedule the planned steps; {@link Schedule#none()} clears them
   * @return the image as the caller sees it after the change
   * @throws GovernanceException 404 if the caller cannot see the image; 403 unless the caller is
   *     its owner or an admin
   */
  public Image schedule(Caller caller, ImageId id, Schedule schedule) {
    return engine.metered("lifecycle.schedule", () -> scheduleUnmetered(caller, id, schedule));
  }

  private Image scheduleUnmetered(Caller caller, ImageId id, Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    return write(caller, id, current -> {
      Map<String, @Nullable String> changes = new HashMap<>();
      changes.put(Keys.DEPRECATE_AT, schedule.deprecateAt().map(Instant::toString).orElse(null));
      changes.put(Keys.OBSOLETE_AT, schedule.obsoleteAt().map(Instant::toString).orElse(null));
      changes.put(Keys.DELETE_AT, schedule.deleteAt().map(Instant::toString).orElse(null));
      return changes;
    });
  }

  /**
   * The lifecycle of an image the caller may see ({@code get_image}).
   *
   * @param caller who asks
   * @param id the image
   * @return its family, version, state, replacement and schedule
   */
  public LifecycleInfo info(Caller caller, ImageId id) {
    return engine.metered("lifecycle.info", () -> infoUnmetered(caller, id));
  }

  private LifecycleInfo infoUnmetered(Caller caller, ImageId id) {
    Image image = engine.lookup(id).orElse(null);
    return LifecycleInfo.of(checks.check(Action.GET, caller, id, image, ActionArgs.defaults()));
  }

  /**
   * The versions of {@code family} the caller may see by id ({@code get_image}), oldest first,
   * as the caller sees them; obsolete ones included. Empty for a family the caller sees nothing
   * of, whether or not it exists.
   *
   * @param caller who asks: only the versions it may see are listed
   * @param family the family to list
   * @return the visible versions, oldest first; empty if none
   */
  public List<Image> versions(Caller caller, Family family) {
    return engine.metered("lifecycle.versions", () -> versionsUnmetered(caller, family));
  }

  private List<Image> versionsUnmetered(Caller caller, Family family) {
    List<Image> sorted = new ArrayList<>(familyImages(family));
    sorted.sort(VersionOrder.OLDEST_FIRST);
    List<Image> out = new ArrayList<>();
    for (Image image : sorted) {
      if (allows(Action.GET, caller, image)) {
        out.add(engine.viewFor(caller, image));
      }
    }
    return out;
  }

  /**
   * The newest version of {@code family} the caller may use now: one it may download (the
   * download pipeline: visible, {@code get_image}, {@code download_image}, not deactivated, not
   * obsolete), of status {@code active} and lifecycle state active, not excluded from latest, and
   * for a shared image one whose membership the caller's project has accepted.
   *
   * @param caller who asks: only versions it may use qualify
   * @param family the family to pick from
   * @return the newest usable version as the caller sees it
   * @throws GovernanceException 404 {@code NO_USABLE_VERSION} when no version qualifies (the same
   *     answer whether or not the family exists)
   */
  public Image latest(Caller caller, Family family) {
    return engine.metered("lifecycle.latest", () -> latestUnmetered(caller, family));
  }

  private Image latestUnmetered(Caller caller, Family family) {
    return newest(caller, family, false);
  }

  /**
   * The newest version the caller may use now of the family {@code version} belongs to, asked
   * by the id of one of its versions (a pinned image): as {@link #latest(Caller, Family)}, except
   * that a shared version counts for any membership status of the caller's project (pending and
   * rejected too), as Glance serves a member by id whatever its status. The named version itself
   * qualifies only if it is usable.
   *
   * @param caller who asks: must see {@code version} by id ({@code get_image})
   * @param version any version of the family, by id
   * @return the newest usable version as the caller sees it
   * @throws GovernanceException 404 if the caller cannot see {@code version}; 404 {@code
   *     NO_USABLE_VERSION} if it is in no family or no version qualifies
   */
  public Image latest(Caller caller, ImageId version) {
    return engine.metered("lifecycle.latest", () -> latestUnmetered(caller, version));
  }

  private Image latestUnmetered(Caller caller, ImageId version) {
    Image named = engine.lookup(version).orElse(null);
    Image seen = checks.check(Action.GET, caller, version, named, ActionArgs.defaults());
    Family family = LifecycleInfo.of(seen).family().orElseThrow(() -> GovernanceException.of(
        RuleCode.NO_USABLE_VERSION, "Image " + version + " is in no family."));
    return newest(caller, family, true);
  }

  private Image newest(Caller caller, Family family, boolean anyMemberStatus) {
    Image best = null;
    for (Image image : familyImages(family)) {
      if (usableForLatest(caller, image, anyMemberStatus)
          && (best == null || VersionOrder.OLDEST_FIRST.compare(image, best) > 0)) {
        best = image;
      }
    }
    if (best == null) {
      throw GovernanceException.of(RuleCode.NO_USABLE_VERSION,
          "No version of family '" + family.name() + "' of project " + family.owner()
              + " is usable by this caller.");
    }
    return engine.viewFor(caller, best);
  }

  private boolean usableForLatest(Caller caller, Image image, boolean anyMemberStatus) {
    LifecycleInfo info = LifecycleInfo.of(image);
    if (image.status() != ImageStatus.ACTIVE
        || info.state() != LifecycleState.ACTIVE
        || info.excludedFromLatest()
        || !allows(Action.DOWNLOAD, caller, image)) {
      return false;
    }
    if (anyMemberStatus || engine.visibleBecause(caller, image) != VisibilityReason.MEMBER) {
      return true;
    }
    return engine.membershipOf(image, caller.project().orElseThrow())
        .filter(own -> own.status() == MemberStatus.ACCEPTED)
        .isPresent();
  }

  /**
   * The images not used since {@code cutoff}: those whose recorded last use ({@link
   * LifecycleInfo#lastUsed()}, written by downloads and download authorizations) is before it,
   * or that were never used and were created before it. An admin is answered about every live
   * image; anyone else about the images its project owns. Oldest use first (a never-used image
   * counts as used when it was created), then by id. A scan of the catalog: a report, not a
   * request path. The usage port is not asked: an image an instance runs but that was not
   * downloaded since the cutoff is listed (combine with {@link ImageUsage#inUse} to tell).
   *
   * @param caller who asks: an admin, or a project's user for its own images
   * @param cutoff the instant a use must be at or after not to be listed
   * @return the stale images as the caller sees them, least recently used first
   */
  public List<Image> unusedSince(Caller caller, Instant cutoff) {
    return engine.metered("lifecycle.unusedSince", () -> unusedSinceUnmetered(caller, cutoff));
  }

  private List<Image> unusedSinceUnmetered(Caller caller, Instant cutoff) {
    Objects.requireNonNull(cutoff, "cutoff");
    boolean admin = engine.isAdmin(caller);
    List<Image> stale = new ArrayList<>();
    engine.forEach(image -> {
      boolean asked = admin || image.owner().map(caller::isIn).orElse(false);
      if (asked && lastUseOf(image).isBefore(cutoff)) {
        stale.add(image);
      }
    });
    stale.sort(java.util.Comparator.comparing(Lifecycle::lastUseOf)
        .thenComparing(i -> i.id().value()));
    List<Image> out = new ArrayList<>(stale.size());
    for (Image image : stale) {
      out.add(engine.viewFor(caller, image));
    }
    return out;
  }

  /** The recorded last use, or the creation time of an image never used. */
  private static Instant lastUseOf(Image image) {
    return LifecycleInfo.of(image).lastUsed().orElse(image.createdAt());
  }

  private boolean allows(Action action, Caller caller, Image image) {
    try {
      checks.check(action, caller, image.id(), image, ActionArgs.defaults());
      return true;
    } catch (GovernanceException e) {
      return false;
    }
  }

  /** Every live image of {@code family}, in no particular order (pushed down as one query). */
  private List<Image> familyImages(Family family) {
    List<Image> all = new ArrayList<>();
    Optional<ImageId> marker = Optional.empty();
    while (true) {
      CatalogQuery.Builder q = CatalogQuery.builder();
      q.seesAll(true)
          .visibility(VisibilityFilter.ALL)
          .putPropertyFilters(Keys.FAMILY, family.name())
          .addFilters(FieldFilter.eq(ImageField.OWNER, family.owner().value()))
          .limit(PAGE);
      marker.ifPresent(q::marker);
      List<Image> page = engine.query(q.build());
      all.addAll(page);
      if (page.size() < PAGE) {
        return all;
      }
      marker = Optional.of(page.get(page.size() - 1).id());
    }
  }

  // ------------------------------------------------------------------------- transitions

  /**
   * Deprecates the image without a replacement.
   *
   * @param caller who asks: must own the image or be an admin
   * @param id the image to deprecate
   * @return the image as the caller sees it after the change
   * @see #deprecate(Caller, ImageId, ImageId)
   */
  public Image deprecate(Caller caller, ImageId id) {
    return engine.metered("lifecycle.deprecate", () -> deprecateUnmetered(caller, id));
  }

  private Image deprecateUnmetered(Caller caller, ImageId id) {
    return move(caller, id, LifecycleState.DEPRECATED, null, "operation");
  }

  /**
   * Deprecates the image, naming its replacement: still bootable by id and listed, flagged by
   * {@code imagegov_lifecycle_state = deprecated} in every view, skipped by {@link #latest}.
   * Deprecating a deprecated image again changes its replacement.
   *
   * @param caller who asks: must own the image or be an admin
   * @param id the image to deprecate
   * @param replacement the active image callers should move to
   * @return the image as the caller sees it after the change
   * @throws GovernanceException 404 if the caller cannot see the image or the replacement; 403
   *     unless the caller is the image's owner or an admin; 409 {@code
   *     INVALID_LIFECYCLE_TRANSITION} unless the image is active or deprecated; 400 {@code
   *     INVALID_REPLACEMENT} if the replacement is not active, or not visible to everyone the
   *     image is visible to
   */
  public Image deprecate(Caller caller, ImageId id, ImageId replacement) {
    return engine.metered("lifecycle.deprecate", () -> deprecateUnmetered(caller, id, replacement));
  }

  private Image deprecateUnmetered(Caller caller, ImageId id, ImageId replacement) {
    Objects.requireNonNull(replacement, "replacement");
    return move(caller, id, LifecycleState.DEPRECATED, replacement, "operation");
  }

  /**
   * Withdraws a deprecation: the image is active again (its replacement is forgotten).
   *
   * @param caller who asks: must own the image or be an admin
   * @param id the deprecated image
   * @return the image as the caller sees it after the change
   * @throws GovernanceException as {@link #deprecate}; 409 unless the image is deprecated or
   *     active
   */
  public Image reinstate(Caller caller, ImageId id) {
    return engine.metered("lifecycle.reinstate", () -> reinstateUnmetered(caller, id));
  }

  private Image reinstateUnmetered(Caller caller, ImageId id) {
    return move(caller, id, LifecycleState.ACTIVE, null, "operation");
  }

  /**
   * Makes a deprecated image obsolete: hidden from lists unless a list filters on {@code
   * imagegov_lifecycle_state}, refused for a new launch to anyone but an admin, still served to
   * an existing instance.
   *
   * @param caller who asks: must own the image or be an admin
   * @param id the image to make obsolete
   * @return the image as the caller sees it after the change
   * @throws GovernanceException as {@link #deprecate}; 409 unless the image is deprecated or
   *     obsolete
   */
  public Image obsolete(Caller caller, ImageId id) {
    return engine.metered("lifecycle.obsolete", () -> obsoleteUnmetered(caller, id));
  }

  private Image obsoleteUnmetered(Caller caller, ImageId id) {
    return move(caller, id, LifecycleState.OBSOLETE, null, "operation");
  }

  /**
   * Deletes an obsolete image, with Glance's deletion ({@link Images#delete}: protected refused,
   * {@code delayed_delete} honoured, an image the usage port reports in use refused unless the
   * caller is an admin).
   *
   * @param caller who asks: must own the image or be an admin
   * @param id the obsolete image to delete
   * @throws GovernanceException 404 if the caller cannot see the image; 403 as {@link
   *     Images#delete}; 409 {@code INVALID_LIFECYCLE_TRANSITION} unless the image is obsolete, 409
   *     {@code IMAGE_IN_USE} if it is in use and the caller is not an admin
   */
  public void delete(Caller caller, ImageId id) {
    engine.meteredRun("lifecycle.delete", () -> deleteUnmetered(caller, id));
  }

  private void deleteUnmetered(Caller caller, ImageId id) {
    delete(caller, id, "operation");
  }

  private void delete(Caller caller, ImageId id, String cause) {
    Image current = engine.lookup(id).orElse(null);
    checks.check(Action.DELETE, caller, id, current, ActionArgs.defaults());
    GovernanceException refusal = deletionRefusal(Objects.requireNonNull(current));
    if (refusal != null) {
      throw refusal;
    }
    // An obsolete image can only be deleted next, so the state checked here still holds.
    images.delete(caller, id);
    engine.publish(new LifecycleChanged(caller, id, engine.now(), LifecycleState.OBSOLETE,
        LifecycleState.DELETED, cause));
  }

  /**
   * Restores a {@code pending_delete} image before the scrub finished its deletion (Glance's
   * {@code glance-scrubber --restore}, which imagegov offers to the image's owner as well as to
   * admins): the image is live again exactly as it was when deleted, in the status it had (Glance
   * sets {@code active}; a deactivated image stays deactivated), with its members, properties,
   * locations and lifecycle state, and it counts against its owner's quotas again. Publishes
   * {@link dev.imagegov.events.ImageRestored}.
   *
   * @param caller who asks: the deleted image's owner or an admin
   * @param id the pending-delete image
   * @return the restored image as the caller sees it
   * @throws GovernanceException in the order of the {@link Action#RESTORE} pipeline, which {@code
   *     access().explain} reports: 404 if nothing the caller may see or restore has this id (a
   *     deleted image of another project is answered like an unknown id); 409 {@code
   *     IMAGE_NOT_PENDING_DELETE} if the image is live, its deletion is finished ({@code
   *     deleted}, after a scrub or without {@code delayed_delete}), or it was deleted before its
   *     catalog kept pending-delete images; 403 if {@code delete_image} denies the caller on the
   *     image as it was deleted; 413 if the image's count or bytes would exceed its owner's
   *     limits (nothing changed)
   */
  public Image restore(Caller caller, ImageId id) {
    return engine.metered("lifecycle.restore", () -> restoreUnmetered(caller, id));
  }

  private Image restoreUnmetered(Caller caller, ImageId id) {
    Objects.requireNonNull(id, "id");
    Image live = engine.lookup(id).orElse(null);
    Tombstone tombstone = checks.checkRestore(caller, id, live,
        live == null ? engine.tombstone(id).orElse(null) : null);
    return engine.viewFor(caller, engine.restore(caller, tombstone));
  }

  /** The lifecycle's own refusal of a deletion (in use and protected are the delete pipeline's). */
  private static @Nullable GovernanceException deletionRefusal(Image current) {
    LifecycleState state = LifecycleInfo.of(current).state();
    return state != LifecycleState.OBSOLETE
        ? transitionRefused(current.id(), state, LifecycleState.DELETED)
        : null;
  }

  /**
   * Moves the image to {@code to} through the kernel: the MODIFY pipeline, the state machine
   * (from {@code expected} if given), the replacement's rules; a no-op if already there.
   */
  private Image move(Caller caller, ImageId id, LifecycleState to,
      @Nullable ImageId replacement, String cause) {
    return viewAfter(caller, id,
        commitMove(caller, id, to, null, replacement, engine.now(), cause));
  }

  /** {@link #move}'s commit; empty for a no-op. */
  private Optional<Engine.Committed> commitMove(Caller caller, ImageId id, LifecycleState to,
      @Nullable LifecycleState expected, @Nullable ImageId replacement, Instant since,
      String cause) {
    Image replacing = replacement == null
        ? null
        : engine.loadVisible(caller, replacement, Engine.noImage(replacement));
    return engine.commit(caller, id, Engine.noImage(id),
        current -> moved(caller, current, to, expected, replacing, since),
        c -> List.of(new LifecycleChanged(caller, id, c.after().updatedAt(),
            LifecycleInfo.of(c.before()).state(), to, cause)));
  }

  /** The committed image as the caller sees it, or for a no-op the current one. */
  private Image viewAfter(Caller caller, ImageId id, Optional<Engine.Committed> done) {
    return engine.viewFor(caller,
        done.map(Engine.Committed::after)
            .orElseGet(() -> engine.loadVisible(caller, id, Engine.noImage(id))));
  }

  /** The image moved to {@code to}, empty for a no-op; throws the refusal. Pure. */
  private Optional<Image> moved(Caller caller, Image current, LifecycleState to,
      @Nullable LifecycleState expected, @Nullable Image replacement, Instant since) {
    checks.check(Action.MODIFY, caller, current.id(), current, ActionArgs.defaults());
    LifecycleInfo info = LifecycleInfo.of(current);
    LifecycleState from = info.state();
    boolean sameReplacement = replacement == null
        || info.replacement().equals(Optional.of(replacement.id()));
    if (from == to && sameReplacement) {
      return Optional.empty();
    }
    if (expected != null && from != expected || from != to && !from.canMoveTo(to)) {
      throw transitionRefused(current.id(), from, to);
    }
    if (replacement != null) {
      GovernanceException refusal = LifecycleRules.replacementRefusal(current, replacement);
      if (refusal != null) {
        throw refusal;
      }
    }
    Map<String, @Nullable String> changes = new HashMap<>();
    changes.put(Keys.STATE, to.wireName());
    if (from != to) {
      changes.put(Keys.SINCE, since.toString());
    }
    if (replacement != null) {
      changes.put(Keys.REPLACEMENT, replacement.id().value());
    } else if (to == LifecycleState.ACTIVE) {
      changes.put(Keys.REPLACEMENT, null);
    }
    return Optional.of(Keys.with(current, changes, engine.now()));
  }

  private static GovernanceException transitionRefused(
      ImageId id, LifecycleState from, LifecycleState to) {
    return GovernanceException.of(RuleCode.INVALID_LIFECYCLE_TRANSITION,
        "Image " + id + " is " + from.wireName() + ": it cannot become " + to.wireName()
            + " (allowed: " + from.successors() + ").");
  }

  /** What a property write computes from the current image. */
  private interface Properties {
    Map<String, @Nullable String> of(Image current);
  }

  /** Writes lifecycle properties through the kernel after the MODIFY pipeline; no-op if equal. */
  private Image write(Caller caller, ImageId id, Properties properties) {
    Optional<Engine.Committed> done = engine.commit(caller, id, Engine.noImage(id), current -> {
      checks.check(Action.MODIFY, caller, id, current, ActionArgs.defaults());
      Image after = Keys.with(current, properties.of(current), current.updatedAt());
      return after.properties().equals(current.properties())
          ? Optional.empty()
          : Optional.of(after.toBuilder().updatedAt(engine.now()).build());
    });
    return viewAfter(caller, id, done);
  }

  // ------------------------------------------------------------------------------ schedules

  /**
   * Applies every planned step that is due at {@code now} (as {@link #SCHEDULER}): deprecate,
   * obsolete, then delete, several steps of one image in one call when several are due. A step
   * into deletion is left for a later call while the image is protected or in use. Idempotent:
   * a second call with the same {@code now} applies nothing; safe from several threads (each
   * step is one compare-and-set, and a step another thread took is not repeated).
   *
   * @param now the instant against which scheduled steps are due
   * @return the transitions applied by this call, in order
   */
  public List<Transition> advance(Instant now) {
    List<ImageId> due = new ArrayList<>();
    engine.forEach(image -> {
      if (dueStep(image, now).isPresent()) {
        due.add(image.id());
      }
    });
    List<Transition> applied = new ArrayList<>();
    for (ImageId id : due) {
      advanceOne(id, now, applied);
    }
    return applied;
  }

  private void advanceOne(ImageId id, Instant now, List<Transition> applied) {
    for (int steps = 0; steps < LifecycleState.values().length; steps++) {
      Image current = engine.lookup(id).orElse(null);
      if (current == null) {
        return;
      }
      Optional<LifecycleState> next = dueStep(current, now);
      if (next.isEmpty()) {
        return;
      }
      LifecycleState from = LifecycleInfo.of(current).state();
      LifecycleState to = next.get();
      String reason = to.wireName() + " planned at "
          + LifecycleInfo.of(current).schedule().dateOf(to).orElseThrow();
      try {
        if (to == LifecycleState.DELETED) {
          if (current.isProtected() || usage.inUse(id)) {
            return; // left for a later call
          }
          delete(SCHEDULER, id, "schedule");
        } else if (commitMove(SCHEDULER, id, to, from, null, now, "schedule").isEmpty()) {
          continue; // another thread took this step: read again
        }
      } catch (GovernanceException e) {
        if (e.code() == StoreErrorCode.IMAGE_NOT_FOUND
            || e.code() == RuleCode.INVALID_LIFECYCLE_TRANSITION) {
          continue; // another thread moved it: read again
        }
        throw e;
      }
      applied.add(new Transition(id, from, to, "schedule", reason));
    }
  }

  /** The step of {@code image}'s schedule due at {@code now}, if any. */
  private static Optional<LifecycleState> dueStep(Image image, Instant now) {
    LifecycleInfo info = LifecycleInfo.of(image);
    for (LifecycleState next : info.state().successors()) {
      Optional<Instant> at = info.schedule().dateOf(next);
      if (at.isPresent() && !at.get().isAfter(now)) {
        return Optional.of(next);
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------------ retention plans

  /**
   * Evaluates {@code policy} on {@code family} at {@code now}: the transitions it causes, with
   * their rule and reason, and the ones it leaves out (protected or in-use versions). Writes
   * nothing. A version deprecated or made obsolete by the plan counts as such from {@code now}.
   *
   * @param caller who asks: must be in the family's owner project or an admin
   * @param family the family to plan for
   * @param policy the retention rules to apply
   * @param now the instant the plan is computed for
   * @return the planned transitions and the versions left out, with reasons
   * @throws GovernanceException 403 unless the caller is in the family's owner project or an
   *     admin (the same answer whether or not the family exists)
   */
  public LifecyclePlan plan(Caller caller, Family family, RetentionPolicy policy, Instant now) {
    return engine.metered("lifecycle.plan", () -> planUnmetered(caller, family, policy, now));
  }

  private LifecyclePlan planUnmetered(
      Caller caller, Family family, RetentionPolicy policy, Instant now) {
    if (!engine.isAdmin(caller) && !caller.isIn(family.owner())) {
      throw GovernanceException.of(RuleCode.POLICY_DENIED,
          "Only the owner of family '" + family.name() + "' or an admin may plan its retention.");
    }
    List<Image> versions = new ArrayList<>(familyImages(family));
    versions.sort(VersionOrder.OLDEST_FIRST.reversed());
    List<Transition> transitions = new ArrayList<>();
    List<Skip> skipped = new ArrayList<>();
    int active = 0;
    for (Image v : versions) {
      LifecycleInfo info = LifecycleInfo.of(v);
      LifecycleState state = info.state();
      Instant since = info.since().orElse(v.updatedAt());
      if (state == LifecycleState.ACTIVE && v.status() == ImageStatus.ACTIVE
          && ++active > policy.keepNewestCount()) {
        String reason = "version " + active + " by age among active versions; the policy keeps "
            + "the newest " + policy.keepNewestCount();
        if (!planned(v, LifecycleState.DEPRECATED, RetentionPolicy.KEEP_NEWEST, reason,
            transitions, skipped)) {
          continue;
        }
        state = LifecycleState.DEPRECATED;
        since = now;
      }
      for (Period p : List.of(
          new Period(LifecycleState.DEPRECATED, LifecycleState.OBSOLETE,
              RetentionPolicy.OBSOLETE_AFTER, policy.obsoleteAfterPeriod()),
          new Period(LifecycleState.OBSOLETE, LifecycleState.DELETED,
              RetentionPolicy.DELETE_AFTER, policy.deleteAfterPeriod()))) {
        if (state != p.from() || p.period().isEmpty()
            || since.plus(p.period().get()).isAfter(now)) {
          continue;
        }
        String reason = p.from().wireName() + " since " + since + ", at least " + p.period().get();
        if (!planned(v, p.to(), p.rule(), reason, transitions, skipped)) {
          break;
        }
        state = p.to();
        since = now;
      }
    }
    return new LifecyclePlan(family, policy, now, transitions, skipped);
  }

  /** A rule that moves a version from {@code from} to {@code to} after {@code period} there. */
  private record Period(
      LifecycleState from, LifecycleState to, String rule, Optional<java.time.Duration> period) {}

  /**
   * Adds the move of {@code image} to {@code to}, or a skip if the image is protected or in use;
   * returns whether it was planned.
   */
  private boolean planned(Image image, LifecycleState to, String rule, String reason,
      List<Transition> transitions, List<Skip> skipped) {
    String left = image.isProtected() ? "protected" : usage.inUse(image.id()) ? "in use" : null;
    if (left != null) {
      skipped.add(new Skip(image.id(), rule, left));
      return false;
    }
    LifecycleState from = transitions.stream()
        .filter(t -> t.image().equals(image.id()))
        .reduce((a, b) -> b)
        .map(Transition::to)
        .orElse(LifecycleInfo.of(image).state());
    transitions.add(new Transition(image.id(), from, to, rule, reason));
    return true;
  }

  /**
   * Performs exactly the plan's transitions, in order, as {@code caller}, and nothing else; with
   * {@code dryRun} it runs every check of every transition on the current images and writes
   * nothing (the dry run and the real run are this one function). A transition whose image is no
   * longer in its {@code from} state, has become protected or in use, or that a check refuses is
   * not applied and is reported with the reason; the others still are. Applied transitions record
   * the plan's instant as their {@code since}.
   *
   * @param caller who applies the plan; every check runs for this caller
   * @param plan the plan from {@link #plan}
   * @param dryRun {@code true} to only check each transition and write nothing
   * @return the transitions applied (or that would be) and those skipped, with reasons
   */
  public LifecycleReport apply(Caller caller, LifecyclePlan plan, boolean dryRun) {
    return engine.metered("lifecycle.apply", () -> applyUnmetered(caller, plan, dryRun));
  }

  private LifecycleReport applyUnmetered(Caller caller, LifecyclePlan plan, boolean dryRun) {
    List<Transition> applied = new ArrayList<>();
    List<Skip> refused = new ArrayList<>();
    Map<ImageId, LifecycleState> dryStates = new HashMap<>();
    for (Transition t : plan.transitions()) {
      try {
        checkStep(caller, engine.lookup(t.image()).orElse(null), t,
            dryStates.get(t.image()));
        if (dryRun) {
          dryStates.put(t.image(), t.to());
        } else if (t.to() == LifecycleState.DELETED) {
          delete(caller, t.image(), "plan:" + t.rule());
        } else {
          commitMove(caller, t.image(), t.to(), t.from(), null, plan.at(), "plan:" + t.rule());
        }
        applied.add(t);
      } catch (GovernanceException e) {
        refused.add(new Skip(t.image(), t.rule(), e.getMessage()));
      }
    }
    return new LifecycleReport(plan, dryRun, applied, refused);
  }

  /**
   * The checks of one planned transition on the current image: not protected, not in use, in
   * the transition's {@code from} state ({@code state}, when given, overrides the stored state: in
   * a dry run earlier steps were not written), the action's check pipeline.
   */
  private void checkStep(Caller caller, @Nullable Image current, Transition t,
      @Nullable LifecycleState state) {
    if (current == null) {
      throw Engine.notFound(Engine.noImage(t.image()));
    }
    if (current.isProtected()) {
      throw GovernanceException.of(RuleCode.IMAGE_PROTECTED,
          "Image " + current.id() + " is protected: no plan acts on it.");
    }
    if (usage.inUse(current.id())) {
      throw GovernanceException.of(RuleCode.IMAGE_IN_USE,
          "Image " + current.id() + " is in use: no plan acts on it.");
    }
    LifecycleState from = state != null ? state : LifecycleInfo.of(current).state();
    if (from != t.from() || !from.canMoveTo(t.to())) {
      throw transitionRefused(current.id(), from, t.to());
    }
    checks.check(t.to() == LifecycleState.DELETED ? Action.DELETE : Action.MODIFY, caller,
        current.id(), current, ActionArgs.defaults());
  }

  private static void checkText(String what, String value) {
    if (value.isEmpty() || value.length() > Attributes.MAX_TEXT
        || Attributes.hasFourByteChars(value)) {
      throw invalid("A " + what + " must have 1 to 255 characters and no 4-byte characters.");
    }
  }

  private static GovernanceException invalid(String message) {
    return GovernanceException.of(RuleCode.INVALID_LIFECYCLE_VALUE, message);
  }
}
