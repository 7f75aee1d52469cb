package dev.imagegov.image;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageList;
import dev.imagegov.NewImage;
import dev.imagegov.access.Action;
import dev.imagegov.access.ActionArgs;
import dev.imagegov.access.Caller;
import dev.imagegov.access.ImageTarget;
import dev.imagegov.access.PolicyTarget;
import dev.imagegov.access.Rules;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.data.Data;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.events.VisibilityChanged;
import dev.imagegov.image.internal.Attributes;
import dev.imagegov.internal.Engine;
import dev.imagegov.lifecycle.LifecycleRules;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ImageStatus;
import dev.imagegov.model.Member;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.StoreId;
import dev.imagegov.model.Visibility;
import dev.imagegov.patch.ImagePatch;
import dev.imagegov.patch.JsonPatchParser;
import dev.imagegov.protection.PropertyOperation;
import dev.imagegov.protection.PropertyProtections;
import dev.imagegov.query.ListQueryParser;
import dev.imagegov.query.ListExplanation;
import dev.imagegov.query.ListRequest;
import dev.imagegov.spi.FieldFilter;
import dev.imagegov.spi.ImageField;
import dev.imagegov.spi.QueryEvaluator;
import dev.imagegov.spi.VisibilityFilter;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.wire.PathIds;
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
  private final GovernanceConfig config;
  private final ListQueryParser listParser;
  private final Updates updates;
  private final ActionChecks checks;
  private final Attributes attributes;
  /** The by-id read's body, held once so that a read allocates no lambda for it. */
  private final java.util.function.BiFunction<Caller, ImageId, Image> getById =
      this::getUnmetered;

  /**
   * Built by {@link dev.imagegov.ImageGovernance}, which hands it out as {@code images()}.
   *
   * @param engine the kernel that reads and writes the catalog
   * @param config the governance configuration (formats, limits, schema)
   */
  public Images(Engine engine, GovernanceConfig config) {
    this.engine = engine;
    this.config = config;
    this.attributes =
        Attributes.of(config.diskFormats(), config.containerFormats());
    this.checks = new ActionChecks(engine, config);
    this.updates = new Updates(engine, config, checks);
    this.listParser =
        new ListQueryParser(config.limitParamDefault(), config.apiLimitMax());
  }

  /**
   * Creates an image in status {@code queued} (Glance's {@code POST /v2/images}).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param request the new image's attributes, properties and tags
   * @return the new image as the caller sees it
   * @throws GovernanceException 400 for a malformed field (id, name, formats, min_disk/min_ram,
   *     tags, property keys and values); 403 for reserved or read-only property names, a foreign
   *     owner named by a non-admin ({@code add_image}), or a visibility the caller may not set
   *     ({@code publicize_image}, {@code communitize_image}) or the exposure guardrail refuses
   *     ({@code EXPOSURE_GUARDRAIL}); 413 over the tag or property quota;
   *     409 for an id that exists or existed; 403 {@code PROPERTY_PROTECTED} for a custom
   *     property that property protections do not let the caller create. A property the caller
   *     may create but not read is stored and, like every property hidden from the caller,
   *     absent from the image returned (Glance accepts it and silently drops it).
   */
  public Image create(Caller caller, NewImage request) {
    return engine.metered("images.create", () -> createUnmetered(caller, request));
  }

  private Image createUnmetered(Caller caller, NewImage request) {
    Instant now = engine.now();
    Image draft = validateNew(caller, request, now);
    config.imageSchema().validate(draft);

    PolicyTarget target = ImageTarget.forNewImage(draft.owner(), draft.visibility());
    if (!engine.allows(Rules.ADD_IMAGE, caller, target)) {
      String message =
          draft.owner().isPresent() && !caller.isIn(draft.owner().get())
              ? "You are not permitted to create images owned by '" + draft.owner().get() + "'."
              : "You are not authorized to complete add_image action.";
      throw GovernanceException.of(RuleCode.POLICY_DENIED, message);
    }
    if (config.legacyOwnershipChecks()
        && !engine.isAdmin(caller)
        && draft.owner().isPresent()
        && !caller.isIn(draft.owner().get())) {
      throw GovernanceException.of(
          RuleCode.POLICY_DENIED,
          "You are not permitted to create images owned by '" + draft.owner().get() + "'.");
    }
    checkCreateProtections(caller, draft.properties());
    checkVisibilityPolicy(caller, draft.visibility(), target);
    GovernanceException exposure =
        ActionChecks.exposureRefusal(engine, caller, draft.visibility());
    if (exposure != null) {
      throw exposure;
    }

    Attributes.checkTagQuota(draft.tags().size(), config.imageTagQuota());
    Attributes.checkPropertyQuota(draft.properties().keySet(), config.imagePropertyQuota());

    Image stored;
    try {
      stored = engine.insert(caller, draft);
    } catch (GovernanceException e) {
      if (e.code() == StoreErrorCode.DUPLICATE_IMAGE_ID) {
        throw GovernanceException.of(
            StoreErrorCode.DUPLICATE_IMAGE_ID, "Image ID " + draft.id() + " already exists!");
      }
      throw e;
    }
    return engine.viewFor(caller, stored);
  }

  /**
   * Glance's protected image factory: every custom property of a new image must pass the {@code
   * create} protection, else 403 {@code PROPERTY_PROTECTED} ({@link PropertyProtections#refusal}).
   */
  private void checkCreateProtections(Caller caller, Map<String, String> properties) {
    PropertyProtections protections = config.propertyProtections();
    if (!protections.enabled()) {
      return;
    }
    for (String key : properties.keySet()) {
      if (!protections.allows(caller, key, PropertyOperation.CREATE)) {
        throw PropertyProtections.refusal(key, PropertyOperation.CREATE);
      }
    }
  }

  /**
   * The new image, every field checked against {@link Attributes} through its create door, in
   * this order: id, tags, custom properties, owner, name, formats, {@code min_*}.
   */
  private Image validateNew(Caller caller, NewImage request, Instant now) {
    Attributes.Via via = Attributes.Via.CREATE;
    ImageStatus queued = ImageStatus.QUEUED;
    ImageId id =
        request.id().isPresent()
            ? Attributes.imageId(request.id().get())
            : ImageId.of(engine.newId());
    attributes.check(via, queued, "tags", request.tags());
    ImmutableMap.Builder<String, String> properties = ImmutableMap.builder();
    for (Map.Entry<String, String> p : request.properties().entrySet()) {
      properties.put(p.getKey(), Attributes.checkProperty(via, p.getKey(), p.getValue()));
    }
    Optional<ProjectId> owner;
    if (request.owner().isPresent()) {
      String raw = request.owner().get();
      attributes.check(via, queued, "owner", raw);
      owner = raw.isEmpty() ? Optional.empty() : Optional.of(ProjectId.of(raw));
    } else {
      owner = caller.project();
    }
    request.name().ifPresent(n -> attributes.check(via, queued, "name", n));
    request.diskFormat().ifPresent(f -> attributes.check(via, queued, "disk_format", f));
    request.containerFormat().ifPresent(f -> attributes.check(via, queued, "container_format", f));
    attributes.check(via, queued, "min_disk", request.minDisk());
    int minDisk = Attributes.checkRange("min_disk", request.minDisk());
    attributes.check(via, queued, "min_ram", request.minRam());
    int minRam = Attributes.checkRange("min_ram", request.minRam());
    return Image.builder()
        .id(id)
        .name(request.name())
        .status(queued)
        .visibility(request.visibility().orElse(config.defaultVisibility()))
        .owner(owner)
        .isProtected(request.isProtected())
        .osHidden(request.osHidden())
        .diskFormat(request.diskFormat())
        .containerFormat(request.containerFormat())
        .minDisk(minDisk)
        .minRam(minRam)
        .tags(ImmutableSet.copyOf(request.tags()))
        .properties(properties.buildOrThrow())
        .createdAt(now)
        .updatedAt(now)
        .build();
  }

  /** The visibility rule for a target value: public and community need their own rule. */
  private void checkVisibilityPolicy(Caller caller, Visibility target, PolicyTarget policyTarget) {
    String rule = ActionChecks.visibilityRuleName(target);
    if (rule != null && !engine.allows(rule, caller, policyTarget)) {
      throw GovernanceException.of(
          RuleCode.POLICY_DENIED, "You are not authorized to complete " + rule + " action.");
    }
  }

  /**
   * The image with this id, as the caller may see it (Glance's {@code GET /v2/images/{id}}).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @return the image with this id, as the caller may see it (Glance's {@code GET /v2/images/{id}})
   * @throws GovernanceException 404 if the image does not exist, was deleted, or is invisible to
   *     the caller (by-id predicate, then {@code get_image})
   */
  public Image get(Caller caller, ImageId id) {
    return engine.metered("images.get", getById, caller, id);
  }

  private Image getUnmetered(Caller caller, ImageId id) {
    Image image = engine.lookup(id).orElse(null);
    return engine.viewFor(
        caller, checks.check(Action.GET, caller, id, image, ActionArgs.defaults()));
  }

  /**
   * The image with this id given as text; a malformed id is answered as not found, as Glance
   * answers a malformed id in a URL ({@link PathIds#image}).
   *
   * @param caller who asks
   * @param id the image id as text, such as a URL path segment
   * @return the image as the caller sees it
   */
  public Image get(Caller caller, String id) {
    return engine.metered("images.get", () -> getUnmetered(caller, id));
  }

  private Image getUnmetered(Caller caller, String id) {
    return getUnmetered(caller, PathIds.image(id));
  }

  /**
   * The ids of the stores holding the data of the image with this id, in location order: what
   * Glance shows as the image's {@code stores} key in a multi-store deployment, to anyone who may
   * see the image, whatever {@code show_multiple_locations} says (the caller's view carries
   * locations only when the configuration shows them). Pass it to {@link
   * dev.imagegov.wire.GlanceWire#image(Image, List)}.
   *
   * @param caller who asks: the same checks as {@link #get(Caller, ImageId)}
   * @param id the image's id
   * @return the store ids of its locations, in order; empty when the image has no data
   * @throws GovernanceException 404 as {@link #get(Caller, ImageId)}
   */
  public List<StoreId> storesOf(Caller caller, ImageId id) {
    return engine.metered("images.storesOf", () -> storesOfUnmetered(caller, id));
  }

  private List<StoreId> storesOfUnmetered(Caller caller, ImageId id) {
    Image image = engine.lookup(id).orElse(null);
    Image seen = checks.check(Action.GET, caller, id, image, ActionArgs.defaults());
    List<StoreId> stores = new ArrayList<>(seen.locations().size());
    seen.locations().forEach(l -> stores.add(l.store()));
    return List.copyOf(stores);
  }

  /**
   * One page of the images the caller may list (Glance's {@code GET /v2/images}): everything in
   * the reference's list section, including {@code visibility}, {@code member_status}, filters,
   * sorting, {@code limit} and {@code marker}. Custom properties the caller may not read are
   * absent from the listed images, and a filter on such a property matches no image (the answer
   * is an empty page, whatever the catalog holds), so a filter cannot reveal a hidden value.
   * Obsolete images ({@code dev.imagegov.lifecycle}) are left out unless the request filters on
   * {@code imagegov_lifecycle_state}; like images {@code get_image} denies, they leave a page
   * shorter than its limit without ending the list.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @return one page of the images the caller may list (Glance's {@code GET /v2/images}):
   *     everything in the reference's list section, including {@code visibility}, {@code
   *     member_status}, filters, sorting, {@code limit} and {@code marker}
   * @throws GovernanceException 403 if {@code get_images} denies the caller; 400 for any malformed
   *     parameter, and for a marker that is unknown or names an image the caller may not see
   *     (the same answer for both)
   */
  public ImageList list(Caller caller, ListRequest request) {
    return engine.metered("images.list", () -> listUnmetered(caller, request));
  }

  private ImageList listUnmetered(Caller caller, ListRequest request) {
    CatalogQuery query = listQuery(caller, request);
    ListRequest withoutMarker = request.without("marker");
    if (filtersOnHiddenProperty(caller, query)) {
      return new ImageList(List.of(), Optional.empty(), link(withoutMarker), Optional.empty());
    }
    List<Image> rows = engine.query(query);
    List<Image> page = new ArrayList<>(rows.size());
    for (Image image : rows) {
      if (postFilter(caller, query, image) == null) {
        page.add(engine.viewFor(caller, image));
      }
    }
    Optional<ImageId> nextMarker =
        rows.size() == query.limit() && !page.isEmpty()
            ? Optional.of(page.get(page.size() - 1).id())
            : Optional.empty();
    String first = link(withoutMarker);
    Optional<String> next =
        nextMarker.map(m -> link(request.with("marker", m.value())));
    return new ImageList(page, nextMarker, first, next);
  }

  /** The list's policy check ({@code get_images}, 403) and its caller-bound query (400s). */
  private CatalogQuery listQuery(Caller caller, ListRequest request) {
    PolicyTarget projectTarget =
        PolicyTarget.of(
            caller.project().map(p -> Map.of("project_id", p.value())).orElse(Map.of()));
    if (!engine.allows(Rules.GET_IMAGES, caller, projectTarget)) {
      throw GovernanceException.of(
          RuleCode.POLICY_DENIED, "You are not authorized to complete get_images action.");
    }
    boolean admin = engine.isAdmin(caller);
    return listParser.parse(request, caller, admin,
        id -> engine.findVisible(caller, id).isPresent(),
        query -> engine.bind(query, caller.project(), admin));
  }

  /**
   * The clause of the list's own filter, after the catalog's answer, that leaves {@code image}
   * out, or {@code null} if it stays: an obsolete image not asked for by state, then {@code
   * get_image}.
   */
  private ListExplanation.@Nullable Clause postFilter(
      Caller caller, CatalogQuery query, Image image) {
    if (!LifecycleRules.listed(image, query.propertyFilters().keySet())) {
      return ListExplanation.Clause.OBSOLETE;
    }
    if (!engine.allows(Rules.GET_IMAGE, caller, ImageTarget.of(image, caller))) {
      return ListExplanation.Clause.GET_IMAGE_POLICY;
    }
    return null;
  }

  /**
   * Why image {@code id} is or is not on the page {@code request} lists for {@code caller} (an
   * imagegov extension): the first clause of the list that leaves it out, or {@link
   * ListExplanation.Clause#LISTED}. It runs the list's own steps (the same policy check and
   * query, {@link QueryEvaluator}'s predicates in the order {@link QueryEvaluator#matches}
   * applies them, the same post-filters, and the page itself), so it agrees with {@link #list}.
   * An image the caller cannot see by id is answered as one that does not exist ({@link
   * ListExplanation.Clause#NOT_VISIBLE}), so nothing leaks. When the caller's project holds its
   * membership of a shared image through a parent project or domain (hierarchical sharing), the
   * explanation names that group ({@link ListExplanation#via()}, and in its detail), as {@code
   * access().explain}'s visibility step and {@code sharing().whoCanUse} do.
   *
   * @param caller who would list
   * @param id the image asked about
   * @param request the list parameters (filters, sort keys, marker, limit)
   * @return whether the image appears, and the clause that decides it
   * @throws GovernanceException exactly what {@link #list} answers for {@code caller} and {@code
   *     request} (403 from {@code get_images}, 400 for a malformed parameter or marker)
   */
  public ListExplanation explainList(Caller caller, ImageId id, ListRequest request) {
    return engine.metered("images.explainList", () -> explainListUnmetered(caller, id, request));
  }

  private ListExplanation explainListUnmetered(Caller caller, ImageId id, ListRequest request) {
    // Bound as the list's own query is (tenancy, expiry), so the clauses judge what list judges.
    CatalogQuery query = engine.bind(listQuery(caller, request));
    Optional<Image> found = engine.findVisible(caller, id);
    if (found.isEmpty()) {
      return absent(id, ListExplanation.Clause.NOT_VISIBLE, "no image " + id
          + " is visible to the caller");
    }
    if (filtersOnHiddenProperty(caller, query)) {
      return absent(id, ListExplanation.Clause.PROTECTED_PROPERTY_FILTER, "the request filters"
          + " on a property the caller may not read, which matches no image");
    }
    Image image = found.get();
    ListExplanation.Clause clause = catalogClause(query, image);
    // The group a membership holds through, once the base set has admitted the image by it (or
    // left it out by its status): named by the deciding clause, whichever it is.
    Optional<ProjectId> via = clause == ListExplanation.Clause.NOT_LISTABLE
        || clause == ListExplanation.Clause.NOT_SHARED_WITH_CALLER
        ? Optional.empty()
        : QueryEvaluator.admittingMembership(query, image).flatMap(Member::via);
    if (clause == null) {
      clause = postFilter(caller, query, image);
    }
    String detail;
    if (clause == null) {
      boolean onPage = engine.query(query).stream().anyMatch(i -> i.id().equals(id));
      clause = onPage ? ListExplanation.Clause.LISTED : ListExplanation.Clause.OUTSIDE_PAGE;
      detail = onPage ? "the image is listed" : "the image matches but is not on this page"
          + " (marker " + query.marker().map(Object::toString).orElse("none") + ", limit "
          + query.limit() + ")";
    } else {
      detail = detail(clause, query, image);
    }
    String through = via.map(g -> "; the caller's project is a member through " + g
        + ", a member of the image above it").orElse("");
    return new ListExplanation(id, clause == ListExplanation.Clause.LISTED, clause,
        detail + through, via);
  }

  private static ListExplanation absent(ImageId id, ListExplanation.Clause clause, String why) {
    return new ListExplanation(id, false, clause, why);
  }

  /**
   * The first of {@link QueryEvaluator#matches}'s predicates that {@code image} fails under
   * {@code query}, or {@code null}. A failed base set or filter is narrowed by asking the same
   * predicate with a narrower query (any member status; one filter at a time).
   */
  private static ListExplanation.@Nullable Clause catalogClause(CatalogQuery query, Image image) {
    if (!QueryEvaluator.isListable(image)) {
      return ListExplanation.Clause.NOT_LISTABLE;
    }
    if (!QueryEvaluator.inBaseSet(query, image)) {
      return QueryEvaluator.inBaseSet(query.toBuilder().memberStatus(Optional.empty()).build(),
              image)
          ? ListExplanation.Clause.MEMBER_STATUS
          : ListExplanation.Clause.NOT_SHARED_WITH_CALLER;
    }
    if (!QueryEvaluator.passesVisibility(query, image)) {
      return query.visibility() == VisibilityFilter.DEFAULT
          ? ListExplanation.Clause.COMMUNITY_NOT_ASKED
          : ListExplanation.Clause.VISIBILITY_FILTER;
    }
    if (!QueryEvaluator.passesFilters(query, image)) {
      Optional<FieldFilter> field = failingFieldFilter(query, image);
      return field.isPresent() && field.get().field() == ImageField.OS_HIDDEN
          ? ListExplanation.Clause.OS_HIDDEN
          : ListExplanation.Clause.FILTER;
    }
    return null;
  }

  /** The first field filter of {@code query} that {@code image} fails, asked one at a time. */
  private static Optional<FieldFilter> failingFieldFilter(CatalogQuery query, Image image) {
    CatalogQuery bare = query.toBuilder().filters(List.of()).propertyFilters(Map.of())
        .tags(List.of()).build();
    for (FieldFilter f : query.filters()) {
      if (!QueryEvaluator.passesFilters(bare.toBuilder().filters(List.of(f)).build(), image)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The sentence naming what the clause looked at. */
  private static String detail(ListExplanation.Clause clause, CatalogQuery query, Image image) {
    switch (clause) {
      case NOT_LISTABLE:
        return "the image is " + image.status().wireName();
      case NOT_SHARED_WITH_CALLER:
        return "the image is " + image.visibility().wireName()
            + " and the caller's project neither owns it nor is a member of it";
      case MEMBER_STATUS:
        return "the caller's membership is "
            + QueryEvaluator.admittingMembership(query, image)
                .map(m -> m.status().wireName()).orElse("")
            + ", the list asks for member_status="
            + query.memberStatus().map(s -> s.wireName()).orElse("all");
      case COMMUNITY_NOT_ASKED:
        return "a community image is listed only with visibility=community or visibility=all";
      case VISIBILITY_FILTER:
        return "the image is " + image.visibility().wireName() + ", the list asks for visibility="
            + query.visibility().name().toLowerCase(java.util.Locale.ROOT);
      case OS_HIDDEN:
        return "the image is hidden (os_hidden) and the list does not ask for os_hidden=true";
      case FILTER:
        return failingFieldFilter(query, image)
            .map(f -> "the filter " + f.field().name().toLowerCase(java.util.Locale.ROOT) + " "
                + f.operator().name().toLowerCase(java.util.Locale.ROOT) + " " + f.operands()
                + " does not hold")
            .orElse("a property or tag filter does not hold");
      case OBSOLETE:
        return "the image is obsolete and the list does not filter on its lifecycle state";
      case GET_IMAGE_POLICY:
        return "get_image denies the caller this image";
      default:
        return clause.name();
    }
  }

  /**
   * Whether the query filters on a custom property the caller may not read. Glance filters in
   * the database without consulting protections, so the presence of matches would reveal a
   * hidden value; imagegov answers as if no image had the property.
   */
  private boolean filtersOnHiddenProperty(Caller caller, CatalogQuery query) {
    PropertyProtections protections = config.propertyProtections();
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
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @throws GovernanceException 404 if the caller cannot see the image; 403 if {@code
   *     delete_image} denies a caller who can see it, or the image is protected (no admin
   *     override)
   */
  public void delete(Caller caller, ImageId id) {
    engine.meteredRun("images.delete", () -> deleteUnmetered(caller, id));
  }

  private void deleteUnmetered(Caller caller, ImageId id) {
    String message = ActionChecks.notFoundMessage(Action.DELETE, id);
    Engine.Removed removed =
        engine.remove(caller, id, message, image -> {
          checks.check(Action.DELETE, caller, id, image, ActionArgs.defaults());
          return config.delayedDelete() && !image.locations().isEmpty()
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
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @return the image as the caller sees it, deactivated
   * @throws GovernanceException 404 if invisible; 403 if {@code deactivate} denies a caller who
   *     can see it, or the status is neither active nor deactivated
   */
  public Image deactivate(Caller caller, ImageId id) {
    return engine.metered("images.deactivate", () -> deactivateUnmetered(caller, id));
  }

  private Image deactivateUnmetered(Caller caller, ImageId id) {
    return changeStatus(caller, id, Action.DEACTIVATE, ImageStatus.ACTIVE, ImageStatus.DEACTIVATED);
  }

  /**
   * Reactivates a deactivated image; a no-op on an active one.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @return the image as the caller sees it, active
   * @throws GovernanceException 404 if invisible; 403 if {@code reactivate} denies a caller who
   *     can see it, or the status is neither deactivated nor active
   */
  public Image reactivate(Caller caller, ImageId id) {
    return engine.metered("images.reactivate", () -> reactivateUnmetered(caller, id));
  }

  private Image reactivateUnmetered(Caller caller, ImageId id) {
    return changeStatus(caller, id, Action.REACTIVATE, ImageStatus.DEACTIVATED, ImageStatus.ACTIVE);
  }

  private Image changeStatus(
      Caller caller, ImageId id, Action action, ImageStatus from, ImageStatus to) {
    String message = ActionChecks.notFoundMessage(action, id);
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            message,
            current -> {
              checks.check(action, caller, id, current, ActionArgs.defaults());
              if (current.status() == to) {
                return Optional.empty();
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
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param visibility the new visibility
   * @return the image as the caller sees it after the change
   * @throws GovernanceException 404 if invisible; 403 if a rule denies a caller who can see it
   */
  public Image setVisibility(Caller caller, ImageId id, Visibility visibility) {
    return engine.metered("images.setVisibility", () ->
        setVisibilityUnmetered(caller, id, visibility));
  }

  private Image setVisibilityUnmetered(Caller caller, ImageId id, Visibility visibility) {
    Action action = ActionChecks.visibilityAction(visibility);
    String message = ActionChecks.notFoundMessage(action, id);
    ActionArgs args = ActionArgs.visibility(visibility);
    Optional<Engine.Committed> done =
        engine.commit(
            caller,
            id,
            message,
            current -> {
              checks.check(action, caller, id, current, args);
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
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param patch the operations, applied in order
   * @return the image as the caller sees it after the patch
   * @throws GovernanceException 404 if the caller cannot see the image; 403 for a refused policy,
   *     owner change by a non-admin, format change after upload, removal of a base attribute or a
   *     protected property; 409 for a missing property to replace or remove; 400 for a bad value;
   *     413 over the property or tag quota. The message names the operation by index.
   */
  public Image update(Caller caller, ImageId id, ImagePatch patch) {
    return engine.metered("images.update", () -> updateUnmetered(caller, id, patch));
  }

  private Image updateUnmetered(Caller caller, ImageId id, ImagePatch patch) {
    return updates.update(caller, id, patch);
  }

  /**
   * Parses a JSON-patch document of media type {@value JsonPatchParser#V2_1} or {@value
   * JsonPatchParser#V2_0} and applies it like {@link #update}. The document is checked before the
   * image is read, as Glance's deserializer does.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param mediaType the request's {@code Content-Type}
   * @param body the patch document, a JSON array of operations
   * @return the image as the caller sees it after the patch
   * @throws GovernanceException 415 for another media type; 400 or 403 for a malformed document or
   *     a read-only or reserved path; then everything {@link #update} throws
   */
  public Image patch(Caller caller, ImageId id, @Nullable String mediaType, @Nullable String body) {
    return engine.metered("images.patch", () -> patchUnmetered(caller, id, mediaType, body));
  }

  private Image patchUnmetered(
      Caller caller, ImageId id, @Nullable String mediaType, @Nullable String body) {
    return updates.patch(caller, id, mediaType, body);
  }

  /**
   * Adds one tag (Glance's {@code PUT /v2/images/{id}/tags/{tag}}); adding a tag the image has is a
   * no-op that saves nothing.
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param tag the tag to add, at most 255 characters
   * @return the image as the caller sees it after the change
   * @throws GovernanceException 400 for a tag over 255 characters or with 4-byte characters; 404
   *     if invisible; 403 "Not allowed to update tags for image X." when {@code modify_image}
   *     denies a caller who can see it; 413 over the tag quota
   */
  public Image addTag(Caller caller, ImageId id, String tag) {
    return engine.metered("images.addTag", () -> addTagUnmetered(caller, id, tag));
  }

  private Image addTagUnmetered(Caller caller, ImageId id, String tag) {
    return updates.addTag(caller, id, tag);
  }

  /**
   * Removes one tag (Glance's {@code DELETE /v2/images/{id}/tags/{tag}}).
   *
   * @param caller who asks: the rules, visibility and policy are checked for this caller
   * @param id the image's id
   * @param tag the tag to remove
   * @return the image as the caller sees it after the change
   * @throws GovernanceException 404 if the tag is not on the image ({@code TAG_NOT_FOUND}) or the
   *     image is invisible; 403 when {@code modify_image} denies a caller who can see it
   */
  public Image removeTag(Caller caller, ImageId id, String tag) {
    return engine.metered("images.removeTag", () -> removeTagUnmetered(caller, id, tag));
  }

  private Image removeTagUnmetered(Caller caller, ImageId id, String tag) {
    return updates.removeTag(caller, id, tag);
  }

  // -------------------------------------------------------------------- ids as text

  /**
   * {@link #storesOf(Caller, ImageId)} with the ids as text, as a request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @return as {@link #storesOf(Caller, ImageId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #storesOf(Caller, ImageId)}, and 404
   *     for a malformed id
   */
  public List<StoreId> storesOf(Caller caller, String id) {
    return engine.metered("images.storesOf", () ->
        storesOf(caller, dev.imagegov.wire.PathIds.image(id)));
  }

  /**
   * {@link #delete(Caller, ImageId)} with the ids as text, as a request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @throws dev.imagegov.error.GovernanceException as {@link #delete(Caller, ImageId)}, and 404 for
   *     a malformed id
   */
  public void delete(Caller caller, String id) {
    engine.meteredRun("images.delete", () -> delete(caller,
        dev.imagegov.wire.PathIds.image(id, ActionChecks.notFoundMessage(Action.DELETE, id))));
  }

  /**
   * {@link #deactivate(Caller, ImageId)} with the ids as text, as a request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @return as {@link #deactivate(Caller, ImageId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #deactivate(Caller, ImageId)}, and 404
   *     for a malformed id
   */
  public Image deactivate(Caller caller, String id) {
    return engine.metered("images.deactivate", () ->
        deactivate(caller, dev.imagegov.wire.PathIds.image(id)));
  }

  /**
   * {@link #reactivate(Caller, ImageId)} with the ids as text, as a request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @return as {@link #reactivate(Caller, ImageId)}
   * @throws dev.imagegov.error.GovernanceException as {@link #reactivate(Caller, ImageId)}, and 404
   *     for a malformed id
   */
  public Image reactivate(Caller caller, String id) {
    return engine.metered("images.reactivate", () ->
        reactivate(caller, dev.imagegov.wire.PathIds.image(id)));
  }

  /**
   * {@link #setVisibility(Caller, ImageId, Visibility)} with the ids as text, as a request path
   * carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param visibility the new visibility
   * @return as {@link #setVisibility(Caller, ImageId, Visibility)}
   * @throws dev.imagegov.error.GovernanceException as {@link #setVisibility(Caller, ImageId,
   *     Visibility)}, and 404 for a malformed id
   */
  public Image setVisibility(Caller caller, String id, Visibility visibility) {
    return engine.metered("images.setVisibility", () ->
        setVisibility(caller, dev.imagegov.wire.PathIds.image(id), visibility));
  }

  /**
   * {@link #update(Caller, ImageId, ImagePatch)} with the ids as text, as a request path carries
   * them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param patch the parsed JSON patch
   * @return as {@link #update(Caller, ImageId, ImagePatch)}
   * @throws dev.imagegov.error.GovernanceException as {@link #update(Caller, ImageId, ImagePatch)},
   *     and 404 for a malformed id
   */
  public Image update(Caller caller, String id, ImagePatch patch) {
    return engine.metered("images.update", () ->
        update(caller, dev.imagegov.wire.PathIds.image(id), patch));
  }

  /**
   * {@link #addTag(Caller, ImageId, String)} with the ids as text, as a request path carries them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param tag the tag
   * @return as {@link #addTag(Caller, ImageId, String)}
   * @throws dev.imagegov.error.GovernanceException as {@link #addTag(Caller, ImageId, String)}, and
   *     404 for a malformed id
   */
  public Image addTag(Caller caller, String id, String tag) {
    return engine.metered("images.addTag", () ->
        addTag(caller, dev.imagegov.wire.PathIds.image(id), tag));
  }

  /**
   * {@link #removeTag(Caller, ImageId, String)} with the ids as text, as a request path carries
   * them.
   *
   * @param caller who asks
   * @param id the image id as text (a path segment); one that is not a UUID is answered 404 {@code
   *     IMAGE_NOT_FOUND}, as Glance answers it and as for an image the caller cannot see
   * @param tag the tag
   * @return as {@link #removeTag(Caller, ImageId, String)}
   * @throws dev.imagegov.error.GovernanceException as {@link #removeTag(Caller, ImageId, String)},
   *     and 404 for a malformed id
   */
  public Image removeTag(Caller caller, String id, String tag) {
    return engine.metered("images.removeTag", () ->
        removeTag(caller, dev.imagegov.wire.PathIds.image(id), tag));
  }
}
