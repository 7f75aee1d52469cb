package dev.imagegov.image;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.ImageList;
import dev.imagegov.NewImage;
import dev.imagegov.access.Caller;
import dev.imagegov.access.ImageTarget;
import dev.imagegov.access.PolicyTarget;
import dev.imagegov.access.Rules;
import dev.imagegov.data.Data;
import dev.imagegov.error.ErrorCode;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.events.ImageCreated;
import dev.imagegov.events.VisibilityChanged;
import dev.imagegov.internal.Engine;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.protection.PropertyOperation;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.query.ListQueryParser;
import dev.imagegov.query.ListRequest;
import dev.imagegov.quota.QuotaRules;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.ImmutableCatalogQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The image use cases: create, get, list, delete, deactivate, reactivate and change visibility.
 * Every method takes the caller first, checks policy, validates, applies atomically
 * (compare-and-set), emits events after the commit, and returns the image as the caller may see
 * it. A failure is a {@link GovernanceException} and changes nothing; an image the caller may not
 * see is answered as not found.
 */
public final class Images {
  private final Engine engine;
  private final ListQueryParser listParser;
  private final Updates updates;

  /** Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code images()}. */
  public Images(Engine engine) {
    this.engine = engine;
    this.updates = new Updates(engine);
    this.listParser =
        new ListQueryParser(engine.config.limitParamDefault(), engine.config.apiLimitMax());
  }

  /**
   * Creates an image in status {@code queued} (Glance's {@code POST /v2/images}).
   *
   * @throws GovernanceException 400 for a malformed field (id, name, formats, min_disk/min_ram,
   *     tags, property keys and values); 403 for reserved or read-only property names, a foreign
   *     owner named by a non-admin ({@code add_image}), or a visibility the caller may not set
   *     ({@code publicize_image}, {@code communitize_image}); 413 over the tag or property quota;
   *     409 for an id that exists or existed; 403 {@code RESERVED_ATTRIBUTE} for a custom
   *     property that property protections do not let the caller create. A property the caller
   *     may create but not read is stored and, like every property hidden from the caller,
   *     absent from the image returned (Glance accepts it and silently drops it).
   */
  public Image create(Caller caller, NewImage request) {
    Instant now = engine.now();
    Image draft = validateNew(caller, request, now);
    engine.config.imageSchema().validate(draft);

    PolicyTarget target = ImageTarget.forNewImage(draft.owner(), draft.visibility());
    if (!engine.policy.allows(Rules.ADD_IMAGE, caller, target)) {
      String message =
          draft.owner().isPresent() && !caller.isIn(draft.owner().get())
              ? "You are not permitted to create images owned by '" + draft.owner().get() + "'."
              : "You are not authorized to complete add_image action.";
      throw GovernanceException.of(ErrorCode.POLICY_DENIED, message);
    }
    if (engine.config.legacyOwnershipChecks()
        && !engine.isAdmin(caller)
        && draft.owner().isPresent()
        && !caller.isIn(draft.owner().get())) {
      throw GovernanceException.of(
          ErrorCode.POLICY_DENIED,
          "You are not permitted to create images owned by '" + draft.owner().get() + "'.");
    }
    checkCreateProtections(caller, draft.properties());
    checkVisibilityPolicy(caller, draft.visibility(), target);

    Validation.quota(
        ErrorCode.TAG_QUOTA_EXCEEDED, "tags", draft.tags().size(), engine.config.imageTagQuota(),
        draft.id());
    Validation.quota(
        ErrorCode.PROPERTY_QUOTA_EXCEEDED,
        "properties",
        countedProperties(draft.properties()),
        engine.config.imagePropertyQuota(),
        draft.id());

    Image stored;
    // image_count_total (+1), charged to the owner and held until the catalog counts the image.
    try (QuotaRules.Charge charge = engine.quotas.charge(draft.owner())) {
      charge.reserve(dev.imagegov.spi.usage.UsageKind.IMAGES, 1);
      stored = engine.catalog.insert(draft);
      charge.settle(null, stored);
    } catch (GovernanceException e) {
      if (e.code() == ErrorCode.DUPLICATE_IMAGE_ID) {
        throw GovernanceException.of(
            ErrorCode.DUPLICATE_IMAGE_ID, "Image ID " + draft.id() + " already exists!");
      }
      throw e;
    }
    engine.publish(new ImageCreated(caller, stored.id(), now, stored));
    return engine.viewFor(caller, stored);
  }

  /**
   * Glance's protected image factory: every custom property of a new image must pass the {@code
   * create} protection, else 403 "Attribute 'k' is reserved.".
   */
  private void checkCreateProtections(Caller caller, Map<String, String> properties) {
    PropertyProtections protections = engine.config.propertyProtections();
    if (!protections.enabled()) {
      return;
    }
    for (String key : properties.keySet()) {
      if (!protections.allows(caller, key, PropertyOperation.CREATE)) {
        throw GovernanceException.of(
            ErrorCode.RESERVED_ATTRIBUTE, "Attribute '" + key + "' is reserved.");
      }
    }
  }

  /** Custom properties that count against the property quota (Glance's own keys do not). */
  static int countedProperties(Map<String, String> properties) {
    int n = 0;
    for (String key : properties.keySet()) {
      if (!key.startsWith(Validation.RESERVED_NAMESPACE)) {
        n++;
      }
    }
    return n;
  }

  private Image validateNew(Caller caller, NewImage request, Instant now) {
    ImageId id =
        request.id().isPresent()
            ? Validation.imageId(request.id().get())
            : ImageId.of(engine.ids.get());
    ImmutableSet.Builder<String> tags = ImmutableSet.builder();
    for (String tag : request.tags()) {
      tags.add(Validation.text("Tag", tag, Validation.MAX_TAG));
    }
    ImmutableMap.Builder<String, String> properties = ImmutableMap.builder();
    for (Map.Entry<String, String> p : request.properties().entrySet()) {
      properties.put(
          Validation.propertyKey(p.getKey()), Validation.propertyValue(p.getKey(), p.getValue()));
    }
    Optional<ProjectId> owner;
    if (request.owner().isPresent()) {
      String raw = Validation.text("Owner", request.owner().get(), 255);
      owner = raw.isEmpty() ? Optional.empty() : Optional.of(ProjectId.of(raw));
    } else {
      owner = caller.project();
    }
    return Image.builder()
        .id(id)
        .name(request.name().map(n -> Validation.text("Name", n, Validation.MAX_NAME)))
        .status(ImageStatus.QUEUED)
        .visibility(request.visibility().orElse(Visibility.SHARED))
        .owner(owner)
        .isProtected(request.isProtected())
        .osHidden(request.osHidden())
        .diskFormat(
            request.diskFormat().map(f -> Validation.format("disk_format", f, engine.config.diskFormats())))
        .containerFormat(
            request
                .containerFormat()
                .map(f -> Validation.format("container_format", f, engine.config.containerFormats())))
        .minDisk(Validation.nonNegativeInt("min_disk", request.minDisk()))
        .minRam(Validation.nonNegativeInt("min_ram", request.minRam()))
        .tags(tags.build())
        .properties(properties.buildOrThrow())
        .createdAt(now)
        .updatedAt(now)
        .build();
  }

  /** The visibility rule for a target value: public and community need their own rule. */
  private void checkVisibilityPolicy(Caller caller, Visibility target, PolicyTarget policyTarget) {
    String rule = visibilityRule(target);
    if (rule != null && !engine.policy.allows(rule, caller, policyTarget)) {
      throw GovernanceException.of(
          ErrorCode.POLICY_DENIED, "You are not authorized to complete " + rule + " action.");
    }
  }

  static @Nullable String visibilityRule(Visibility target) {
    switch (target) {
      case PUBLIC:
        return Rules.PUBLICIZE_IMAGE;
      case COMMUNITY:
        return Rules.COMMUNITIZE_IMAGE;
      default:
        return null;
    }
  }

  /**
   * The image with this id, as the caller may see it (Glance's {@code GET /v2/images/{id}}).
   *
   * @throws GovernanceException 404 if the image does not exist, was deleted, or is invisible to
   *     the caller (by-id predicate, then {@code get_image})
   */
  public Image get(Caller caller, ImageId id) {
    // Engine.enforce for get_image, without building the message unless it is needed.
    Image image = engine.findVisible(caller, id).orElse(null);
    if (image == null
        || !engine.policy.allows(Rules.GET_IMAGE, caller, ImageTarget.of(image, caller))) {
      throw Engine.notFound(Engine.noImage(id));
    }
    return engine.viewFor(caller, image);
  }

  /**
   * The image with this id given as text; a malformed id is answered as not found, as Glance
   * answers a malformed id in a URL.
   */
  public Image get(Caller caller, String id) {
    return get(caller, parseUrlId(id));
  }

  static ImageId parseUrlId(String id) {
    if (!ImageId.isValid(id)) {
      throw Engine.notFound(Engine.noImage(id));
    }
    return ImageId.of(id);
  }

  /**
   * One page of the images the caller may list (Glance's {@code GET /v2/images}): everything in
   * the reference's list section, including {@code visibility}, {@code member_status}, filters,
   * sorting, {@code limit} and {@code marker}. Custom properties the caller may not read are
   * absent from the listed images, and a filter on such a property matches no image (the answer
   * is an empty page, whatever the catalog holds), so a filter cannot reveal a hidden value.
   *
   * @throws GovernanceException 403 if {@code get_images} denies the caller or the marker names an
   *     image the caller may not see; 400 for any malformed parameter or an unknown marker
   */
  public ImageList list(Caller caller, ListRequest request) {
    PolicyTarget projectTarget =
        PolicyTarget.of(
            caller.project().map(p -> Map.of("project_id", p.value())).orElse(Map.of()));
    if (!engine.policy.allows(Rules.GET_IMAGES, caller, projectTarget)) {
      throw GovernanceException.of(
          ErrorCode.POLICY_DENIED, "You are not authorized to complete get_images action.");
    }
    ImmutableCatalogQuery parsed = listParser.parse(request);
    boolean admin = engine.isAdmin(caller);
    CatalogQuery query = parsed.withSeesAll(admin).withProject(caller.project());
    if (query.marker().isPresent()) {
      ImageId marker = query.marker().get();
      Image markerImage =
          engine
              .catalog
              .find(marker)
              .orElseThrow(
                  () ->
                      GovernanceException.of(
                          ErrorCode.INVALID_MARKER, Engine.noImage(marker)));
      if (!engine.isVisible(caller, markerImage)) {
        throw GovernanceException.of(
            ErrorCode.MARKER_NOT_VISIBLE, "Forbidding request, image " + marker + " not visible");
      }
    }
    ListRequest withoutMarker = request.without("marker");
    if (filtersOnHiddenProperty(caller, query)) {
      return new ImageList(List.of(), Optional.empty(), link(withoutMarker), Optional.empty());
    }
    List<Image> rows = engine.catalog.query(query);
    List<Image> page = new ArrayList<>(rows.size());
    for (Image image : rows) {
      if (engine.policy.allows(Rules.GET_IMAGE, caller, ImageTarget.of(image, caller))) {
        page.add(engine.viewFor(caller, image));
      }
    }
    Optional<ImageId> nextMarker =
        rows.size() == query.limit() && !page.isEmpty()
            ? Optional.of(page.get(page.size() - 1).id())
            : Optional.empty();
    String first = link(withoutMarker);
    Optional<String> next =
        nextMarker.map(m -> link(withoutMarker.with("marker", m.value())));
    return new ImageList(page, nextMarker, first, next);
  }

  /**
   * Whether the query filters on a custom property the caller may not read. Glance filters in
   * the database without consulting protections, so the presence of matches would reveal a
   * hidden value; imagegov answers as if no image had the property.
   */
  private boolean filtersOnHiddenProperty(Caller caller, CatalogQuery query) {
    PropertyProtections protections = engine.config.propertyProtections();
    if (!protections.enabled()) {
      return false;
    }
    for (String key : query.propertyFilters().keySet()) {
      if (!protections.allows(caller, key, PropertyOperation.READ)) {
        return true;
      }
    }
    return false;
  }

  private static String link(ListRequest request) {
    String q = request.toQueryString();
    return q.isEmpty() ? "/v2/images" : "/v2/images?" + q;
  }

  /**
   * Deletes an image (Glance's {@code DELETE /v2/images/{id}}): its status becomes {@code
   * deleted}, or {@code pending_delete} with {@code delayed_delete} when it has data; the id is
   * never reused. Its data is removed from every store at once (for a deactivated image too,
   * unlike Glance), or with {@code delayed_delete} left for {@link Data#scrub}; its storage stops
   * counting against the owner's quota at once.
   *
   * @throws GovernanceException 404 if the caller cannot see the image; 403 if {@code
   *     delete_image} denies a caller who can see it, or the image is protected (no admin
   *     override)
   */
  public void delete(Caller caller, ImageId id) {
    String message = "Failed to find image " + id + " to delete";
    Engine.Removed removed =
        engine.remove(caller, id, message, image -> {
          engine.enforce(Rules.DELETE_IMAGE, caller, image, "You cannot delete image " + id + ".");
          engine.checkMutable(caller, image);
          if (image.isProtected()) {
            throw GovernanceException.of(
                ErrorCode.IMAGE_PROTECTED, "Image " + id + " is protected and cannot be deleted.");
          }
          return engine.config.delayedDelete() && !image.locations().isEmpty()
              ? ImageStatus.PENDING_DELETE
              : ImageStatus.DELETED;
        });
    // Data goes from every store, whatever the status (a deactivated image's too); with
    // delayed_delete it stays for Data.scrub.
    if (removed.tombstone().status() == ImageStatus.DELETED) {
      engine.discardData(caller, removed.image());
    }
  }

  /**
   * Deactivates an active image (Glance's {@code POST .../actions/deactivate}); a no-op on a
   * deactivated one. While deactivated, only admins may download its data.
   *
   * @throws GovernanceException 404 if invisible; 403 if {@code deactivate} denies a caller who
   *     can see it, or the status is neither active nor deactivated
   */
  public Image deactivate(Caller caller, ImageId id) {
    return changeStatus(caller, id, Rules.DEACTIVATE, ImageStatus.ACTIVE, ImageStatus.DEACTIVATED);
  }

  /**
   * Reactivates a deactivated image; a no-op on an active one.
   *
   * @throws GovernanceException 404 if invisible; 403 if {@code reactivate} denies a caller who
   *     can see it, or the status is neither deactivated nor active
   */
  public Image reactivate(Caller caller, ImageId id) {
    return changeStatus(caller, id, Rules.REACTIVATE, ImageStatus.DEACTIVATED, ImageStatus.ACTIVE);
  }

  private Image changeStatus(
      Caller caller, ImageId id, String rule, ImageStatus from, ImageStatus to) {
    String message = Engine.noImage(id);
    String verb = rule;
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            message,
            current -> {
              engine.enforce(rule, caller, current, "You do not own this image " + id + ".");
              if (engine.config.legacyOwnershipChecks()) {
                engine.checkMutable(caller, current);
              }
              if (current.status() == to) {
                return Optional.empty();
              }
              if (current.status() != from) {
                throw GovernanceException.of(
                    ErrorCode.STATUS_FORBIDS,
                    "Not allowed to " + verb + " image in status '" + current.status().wireName() + "'");
              }
              return Optional.of(
                  current.toBuilder().status(to).updatedAt(engine.now()).build());
            },
            Engine.Events.statusOf(caller));
    if (done.isEmpty()) {
      return noOpAnswer(caller, id, message);
    }
    return engine.viewFor(caller, done.get().after());
  }

  /**
   * The answer to a change that turned out to be a no-op: the image as the caller sees it, with no
   * further policy check. Glance answers a no-op like the change (the action's own rule already
   * passed), so a caller who may change but not read the image ({@code member} without {@code
   * reader}) is not told "not found".
   */
  private Image noOpAnswer(Caller caller, ImageId id, String message) {
    return engine.viewFor(caller, engine.loadVisible(caller, id, message));
  }

  /**
   * Changes an image's visibility. The target value's rule runs even when the value does not
   * change ({@code publicize_image} for public, {@code communitize_image} for community), then
   * {@code modify_image}. Members are never touched: they become dormant while the image is not
   * shared and revive with their old status when it is shared again.
   *
   * @throws GovernanceException 404 if invisible; 403 if a rule denies a caller who can see it
   */
  public Image setVisibility(Caller caller, ImageId id, Visibility visibility) {
    String message = Engine.noImage(id);
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            message,
            current -> {
              String rule = visibilityRule(visibility);
              if (rule != null) {
                engine.enforce(
                    rule, caller, current, "You are not authorized to complete " + rule + " action.");
              }
              engine.enforce(
                  Rules.MODIFY_IMAGE, caller, current, "You do not own this image " + id + ".");
              engine.checkMutable(caller, current);
              if (current.visibility() == visibility) {
                return Optional.empty();
              }
              return Optional.of(
                  current.toBuilder().visibility(visibility).updatedAt(engine.now()).build());
            },
            c -> List.of(new VisibilityChanged(
                caller, id, c.after().updatedAt(), c.before().visibility(), visibility)));
    if (done.isEmpty()) {
      return noOpAnswer(caller, id, message);
    }
    return engine.viewFor(caller, done.get().after());
  }

  /**
   * Applies typed operations all-or-nothing (Glance's {@code PATCH /v2/images/{id}} without the
   * document): every operation passes policy and Glance's rules in order, quotas are checked on
   * the result, the image is saved once and one {@code ImageUpdated} event (plus {@code
   * VisibilityChanged} when the visibility changed) follows the commit. A patch that changes
   * nothing saves nothing and emits nothing.
   *
   * @throws GovernanceException 404 if the caller cannot see the image; 403 for a refused policy,
   *     owner change by a non-admin, format change after upload, removal of a base attribute or a
   *     protected property; 409 for a missing property to replace or remove; 400 for a bad value;
   *     413 over the property or tag quota. The message names the operation by index.
   */
  public Image update(Caller caller, ImageId id, ImagePatch patch) {
    return updates.update(caller, id, patch);
  }

  /**
   * Parses a JSON-patch document of media type {@value JsonPatchParser#V2_1} or {@value
   * JsonPatchParser#V2_0} and applies it like {@link #update}. The document is checked before the
   * image is read, as Glance's deserializer does.
   *
   * @throws GovernanceException 415 for another media type; 400 or 403 for a malformed document or
   *     a read-only or reserved path; then everything {@link #update} throws
   */
  public Image patch(Caller caller, ImageId id, @Nullable String mediaType, @Nullable String body) {
    return updates.patch(caller, id, mediaType, body);
  }

  /**
   * Adds one tag (Glance's {@code PUT /v2/images/{id}/tags/{tag}}); adding a tag the image has is a
   * no-op that saves nothing.
   *
   * @throws GovernanceException 400 for a tag over 255 characters or with 4-byte characters; 404
   *     if invisible; 403 "Not allowed to update tags for image X." when {@code modify_image}
   *     denies a caller who can see it; 413 over the tag quota
   */
  public Image addTag(Caller caller, ImageId id, String tag) {
    return updates.addTag(caller, id, tag);
  }

  /**
   * Removes one tag (Glance's {@code DELETE /v2/images/{id}/tags/{tag}}).
   *
   * @throws GovernanceException 404 if the tag is not on the image ({@code TAG_NOT_FOUND}) or the
   *     image is invisible; 403 when {@code modify_image} denies a caller who can see it
   */
  public Image removeTag(Caller caller, ImageId id, String tag) {
    return updates.removeTag(caller, id, tag);
  }
}
