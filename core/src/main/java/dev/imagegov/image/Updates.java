package dev.imagegov.image;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.access.Caller;
import dev.imagegov.access.Rules;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.ImageUpdated;
import dev.imagegov.events.VisibilityChanged;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.patch.PatchApplier;
import dev.imagegov.patch.PatchOperation;
import dev.imagegov.protection.PropertyProtections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The update use case: parses documents, and inside the engine's compare-and-set loop runs, for
 * each operation in order, its policy checks then the pure {@link PatchApplier} (values from
 * {@link Attributes}, semantics, protections), then the hard mutate check; it stamps {@code
 * updated_at}, commits once and publishes the events. The policy and mutate checks are the MODIFY
 * pipeline's ({@link ActionChecks#checkUpdate}, {@link ActionChecks#checkMutable}), so an update
 * and {@code explain(MODIFY)} run the same rules; a tag change is a one-operation update whose
 * {@code modify_image} 403 says it is about tags.
 */
final class Updates {
  /** The 403 of {@code modify_image} on a patch. */
  private static final String MODIFY_FORBIDDEN =
      "You are not authorized to complete " + Rules.MODIFY_IMAGE + " action.";

  private final Engine engine;
  private final GovernanceConfig config;
  private final ActionChecks checks;
  private final JsonPatchParser parser;
  private final PatchApplier applier;

  Updates(Engine engine, GovernanceConfig config, ActionChecks checks) {
    this.engine = engine;
    this.config = config;
    this.checks = checks;
    this.parser = new JsonPatchParser(config.imageSchema(), config.patchLimits());
    this.applier =
        new PatchApplier(
            config.imageSchema(),
            config.imagePropertyQuota(),
            config.imageTagQuota());
  }

  Image update(Caller caller, ImageId id, ImagePatch patch) {
    String message = "No image found with ID " + id;
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            message,
            current -> stamp(change(caller, current, patch.operations())),
            updated(caller));
    return finish(caller, id, done);
  }

  Image patch(Caller caller, ImageId id, @Nullable String mediaType, @Nullable String body) {
    return update(caller, id, parser.parse(mediaType, body));
  }

  Image addTag(Caller caller, ImageId id, String tag) {
    // Glance's tag URL deserializer checks the length before the image is read; the 4-byte
    // rule runs when the tag is written.
    Attributes.checkTagLength(tag);
    return tagChange(
        caller,
        id,
        new PatchOperation.AddTag(tag),
        "Not allowed to update tags for image " + id + ".");
  }

  Image removeTag(Caller caller, ImageId id, String tag) {
    return tagChange(
        caller,
        id,
        new PatchOperation.RemoveTag(tag),
        "Not allowed to delete tags for image " + id + ".");
  }

  private Image tagChange(Caller caller, ImageId id, PatchOperation op, String forbidden) {
    String message = "No image found with ID " + id;
    Optional<Engine.Committed> done;
    try {
      done =
          engine.commit(
              caller,
              id,
              message,
              current -> {
                checks.checkUpdate(caller, current, op, forbidden);
                PatchApplier.Draft draft = applier.start(current, access(caller));
                draft.apply(op);
                Optional<Image> changed = draft.finish();
                checks.checkMutable(caller, current);
                return stamp(changed);
              },
              updated(caller));
    } catch (GovernanceException e) {
      if (e.code() == RuleCode.TAG_QUOTA_EXCEEDED) {
        throw GovernanceException.of(
            e.code(), "Image tag limit exceeded for image " + id + ": " + e.getMessage(), e);
      }
      throw e;
    }
    return finish(caller, id, done);
  }

  private Optional<Image> stamp(Optional<Image> changed) {
    return changed.map(i -> i.replacingUpdatedAt(engine.now()));
  }

  private Image finish(Caller caller, ImageId id, Optional<Engine.Committed> done) {
    if (done.isEmpty()) {
      Image image = engine.loadVisible(caller, id, "No image found with ID " + id);
      engine.enforce(Rules.GET_IMAGE, caller, image, "No image found with ID " + id);
      return engine.viewFor(caller, image);
    }
    return engine.viewFor(caller, done.get().after());
  }

  /** An update's events: {@code ImageUpdated}, and {@code VisibilityChanged} if it changed. */
  private static Engine.Events updated(Caller caller) {
    return c -> {
      ImageId id = c.after().id();
      ImageUpdated updated = new ImageUpdated(caller, id, c.after().updatedAt(), c.before(),
          c.after());
      if (c.before().visibility() == c.after().visibility()) {
        return List.of(updated);
      }
      return List.of(updated, new VisibilityChanged(
          caller, id, c.after().updatedAt(), c.before().visibility(), c.after().visibility()));
    };
  }

  /** The operations applied in order, each after its policy; a refusal names the operation. */
  private Optional<Image> change(Caller caller, Image current, List<PatchOperation> operations) {
    if (operations.isEmpty()) {
      return Optional.empty();
    }
    PatchApplier.Draft draft = applier.start(current, access(caller));
    for (int i = 0; i < operations.size(); i++) {
      try {
        checks.checkUpdate(caller, current, operations.get(i), MODIFY_FORBIDDEN);
        draft.apply(operations.get(i));
      } catch (GovernanceException e) {
        throw PatchApplier.naming(e, i);
      }
    }
    Optional<Image> changed = draft.finish();
    checks.checkMutable(caller, current);
    return changed;
  }

  /** What property protections let {@code caller} do. */
  private PatchApplier.PropertyAccess access(Caller caller) {
    PropertyProtections protections = config.propertyProtections();
    return (key, operation) -> protections.allows(caller, key, operation);
  }
}
