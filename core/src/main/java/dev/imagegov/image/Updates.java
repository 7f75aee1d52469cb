package dev.imagegov.image;

import dev.imagegov.access.Caller;
import dev.imagegov.access.Rules;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.ImageUpdated;
import dev.imagegov.events.VisibilityChanged;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.patch.PatchApplier;
import dev.imagegov.patch.PatchOperation;
import dev.imagegov.patch.UpdateGuard;
import dev.imagegov.protection.PropertyOperation;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The facade's glue for updates: parses documents, runs the {@link PatchApplier} inside the
 * engine's compare-and-set loop, stamps {@code updated_at}, commits once and publishes the events.
 * Implements the applier's {@link UpdateGuard} with the engine's policy and protections.
 */
final class Updates implements UpdateGuard {
  private final Engine engine;
  private final JsonPatchParser parser;
  private final PatchApplier applier;

  Updates(Engine engine) {
    this.engine = engine;
    this.parser = new JsonPatchParser(engine.config.imageSchema(), engine.config.patchLimits());
    this.applier =
        new PatchApplier(
            this,
            engine.config.imageSchema(),
            engine.config.imagePropertyQuota(),
            engine.config.imageTagQuota());
  }

  Image update(Caller caller, ImageId id, ImagePatch patch) {
    String message = "No image found with ID " + id;
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            message,
            current -> stamp(applier.apply(caller, current, patch)),
            updated(caller));
    return finish(caller, id, done);
  }

  Image patch(Caller caller, ImageId id, @Nullable String mediaType, @Nullable String body) {
    return update(caller, id, parser.parse(mediaType, body));
  }

  Image addTag(Caller caller, ImageId id, String tag) {
    if (tag.length() > 255) {
      throw GovernanceException.of(
          ErrorCode.INVALID_VALUE,
          "Tag is too long: " + tag.length() + " characters, at most 255.");
    }
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
                engine.enforce(Rules.MODIFY_IMAGE, caller, current, forbidden);
                return stamp(applier.applyOne(caller, current, op));
              },
              updated(caller));
    } catch (GovernanceException e) {
      if (e.code() == ErrorCode.TAG_QUOTA_EXCEEDED) {
        throw GovernanceException.of(
            e.code(), "Image tag limit exceeded for image " + id + ": " + e.getMessage(), e);
      }
      throw e;
    }
    return finish(caller, id, done);
  }

  private Optional<Image> stamp(Optional<Image> changed) {
    return changed.map(i -> i.toBuilder().updatedAt(engine.now()).build());
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

  @Override
  public boolean isAdmin(Caller caller) {
    return engine.isAdmin(caller);
  }

  @Override
  public void enforce(String rule, Caller caller, Image image, String forbiddenMessage) {
    engine.enforce(rule, caller, image, forbiddenMessage);
  }

  @Override
  public void enforceVisibility(Caller caller, Image image, Visibility target) {
    String rule = Images.visibilityRule(target);
    if (rule != null) {
      engine.enforce(
          rule, caller, image, "You are not authorized to complete " + rule + " action.");
    }
  }

  @Override
  public void checkMutable(Caller caller, Image image) {
    engine.checkMutable(caller, image);
  }

  @Override
  public boolean allows(Caller caller, String key, PropertyOperation operation) {
    return engine.config.propertyProtections().allows(caller, key, operation);
  }
}
