package dev.imagegov.report;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.image.Images;
import dev.imagegov.internal.Engine;
import dev.imagegov.internal.Stores;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.spi.blob.BlobKey;
import dev.imagegov.spi.blob.BlobStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Cleanup plans and their application, in the shape of the lifecycle's retention plans: {@link
 * #plan} turns a report's actionable findings into actions; {@link #apply} runs every check of
 * every action on the current catalog and stores and, unless it is a dry run, performs it (the
 * dry run and the real run are one function). No action touches a protected or in-use image.
 */
final class Cleanup {
  private final Engine engine;
  private final Images images;
  private final Stores stores;
  private final BlobStore staging;
  private final Hygiene hygiene;
  private final ActionChecks checks;

  Cleanup(Engine engine, GovernanceConfig config, Images images, Stores stores,
      BlobStore staging, Hygiene hygiene) {
    this.engine = engine;
    this.images = images;
    this.stores = stores;
    this.staging = staging;
    this.hygiene = hygiene;
    this.checks = new ActionChecks(engine, config);
  }

  CleanupPlan plan(HygieneReport report, Set<FindingKind> kinds) {
    Map<String, CleanupAction> actions = new LinkedHashMap<>();
    List<CleanupSkip> skipped = new ArrayList<>();
    for (Finding f : report.findings()) {
      CleanupStep step = f.kind().cleanup();
      if (step == CleanupStep.NONE || !kinds.contains(f.kind())) {
        continue;
      }
      long version = 0;
      if (f.image().isPresent() && isImageStep(step)) {
        Optional<Image> current = engine.lookup(f.image().get());
        if (current.isEmpty()) {
          skipped.add(new CleanupSkip(f, "the image no longer exists"));
          continue;
        }
        String untouchable = untouchable(current.get());
        if (untouchable != null) {
          skipped.add(new CleanupSkip(f, untouchable));
          continue;
        }
        version = current.get().version();
      }
      String key = step + "/" + f.store().map(Object::toString).orElse("") + "/" + f.subject();
      if (isImageStep(step)) {
        key = "image/" + f.subject();
        CleanupAction earlier = actions.get(key);
        if (earlier != null && (earlier.step() == CleanupStep.DELETE_IMAGE
            || step == CleanupStep.DEACTIVATE_IMAGE)) {
          continue; // one step per image, and a deletion covers a deactivation
        }
      }
      actions.put(key, new CleanupAction(step, f, version));
    }
    return new CleanupPlan(report.at(), List.copyOf(actions.values()), skipped);
  }

  CleanupReport apply(Caller caller, CleanupPlan plan, boolean dryRun) {
    List<CleanupAction> applied = new ArrayList<>();
    List<CleanupSkip> refused = new ArrayList<>();
    for (CleanupAction a : plan.actions()) {
      try {
        perform(caller, a, dryRun);
        applied.add(a);
      } catch (GovernanceException e) {
        refused.add(new CleanupSkip(a.finding(), e.getMessage()));
      }
    }
    return new CleanupReport(plan, dryRun, applied, refused);
  }

  /** Every check of the action, then (unless {@code dryRun}) the action itself. */
  private void perform(Caller caller, CleanupAction a, boolean dryRun) {
    Finding f = a.finding();
    switch (a.step()) {
      case DELETE_IMAGE, DEACTIVATE_IMAGE -> {
        ImageId id = f.image().orElseThrow();
        Image current = engine.lookup(id)
            .orElseThrow(() -> refused("image " + id + " no longer exists"));
        if (current.version() != a.version()) {
          throw refused("image " + id + " changed since the plan");
        }
        String untouchable = untouchable(current);
        if (untouchable != null) {
          throw refused(untouchable);
        }
        Action action = a.step() == CleanupStep.DELETE_IMAGE ? Action.DELETE : Action.DEACTIVATE;
        checks.check(action, caller, id, current, ActionArgs.defaults());
        if (!dryRun && action == Action.DELETE) {
          images.delete(caller, id);
        } else if (!dryRun) {
          images.deactivate(caller, id);
        }
      }
      case DELETE_BLOB -> {
        BlobStore store = f.store().flatMap(stores::find)
            .orElseThrow(() -> refused("store " + f.store().orElseThrow() + " is not enabled"));
        BlobKey key = BlobKey.of(f.subject());
        if (hygiene.blobFinding(store, key, engine.now())
            .filter(now -> now.kind() == FindingKind.UNREFERENCED_BLOB).isEmpty()) {
          throw refused("blob " + key + " in " + store.id() + " is no longer unreferenced");
        }
        delete(store, key, dryRun);
      }
      case DELETE_STAGED -> {
        BlobKey key = BlobKey.of(f.subject());
        if (hygiene.stagedFinding(key).isEmpty()) {
          throw refused("staged data " + key + " is no longer a leftover");
        }
        delete(staging, key, dryRun);
      }
      default -> throw new AssertionError("a plan holds no NONE step");
    }
  }

  private static void delete(BlobStore store, BlobKey key, boolean dryRun) {
    if (dryRun) {
      return;
    }
    try {
      store.delete(key);
    } catch (IOException e) {
      throw refused("store " + store.id() + " failed to delete " + key + ": " + e.getMessage());
    }
  }

  private @Nullable String untouchable(Image image) {
    return Hygiene.untouchable(image, engine.imageUsage());
  }

  private static boolean isImageStep(CleanupStep step) {
    return step == CleanupStep.DELETE_IMAGE || step == CleanupStep.DEACTIVATE_IMAGE;
  }

  private static GovernanceException refused(String message) {
    return GovernanceException.of(RuleCode.CLEANUP_REFUSED, message + ".");
  }
}
