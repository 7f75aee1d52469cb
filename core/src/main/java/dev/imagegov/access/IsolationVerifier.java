package dev.imagegov.access;

import dev.imagegov.GovernanceConfig;
import dev.imagegov.ImageList;
import dev.imagegov.access.internal.ActionChecks;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.image.Images;
import dev.imagegov.internal.Engine;
import dev.imagegov.lifecycle.Use;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.model.ProjectId;
import dev.imagegov.model.Visibility;
import dev.imagegov.query.ListQueryParser;
import dev.imagegov.query.ListRequest;
import dev.imagegov.sharing.TenancyDirectory;
import dev.imagegov.spi.CatalogQuery;
import dev.imagegov.spi.QueryEvaluator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Isolation verification ({@link Access#verifyIsolation}): what each project may do with each
 * image, by the governance's own paths, judged by an independent {@link IsolationOracle}.
 *
 * <p>It never asks about all project × image pairs. One scan of the catalog builds a snapshot and
 * a small index of the images each project is related to (those it owns, those with a membership
 * row for it or for a project above it, and the public, community and unowned ones). Then, per
 * project: one walk of the catalog's listing index with the query a {@code
 * visibility=all&member_status=all} list asks (every image the index would show it, hidden ones
 * included), one walk of its default list through {@link Images#list}, and the action pipelines
 * ({@code ActionChecks}, the ones the operations run) on the union of those walks and the related
 * images. Each private or shared image is also asked about by id for one unrelated project, so a
 * by-id rule that leaks to strangers is caught without asking every stranger. A pair outside all
 * of these is unrelated: no sharing rule can justify it and the index did not offer it.
 *
 * <p>The oracle judges each pair from the snapshot (the images as stored, memberships that have
 * expired included: the oracle judges expiry itself), in the {@link IsolationOracle.Context} of the
 * tenancy the verification was asked for (the groups above each project), the instant of the scan
 * and the governance's setting for unanswered group offers; the governance answers from its by-id
 * read, with its own tenancy directory (so a directory that disagrees with the tenancy the
 * operator states shows up as findings).
 * A pair whose image changed between the two (a concurrent write, or deleted since) is skipped
 * and counted; an image created after the scan is not judged.
 */
final class IsolationVerifier {
  /** The rule recorded for an access the governance grants and the oracle does not justify. */
  static final String NO_RULE = "no sharing rule";
  /** How many projects are tried to find a stranger to an image. */
  private static final int STRANGER_TRIES = 16;
  /** The page size of both walks (a list clamps it to {@code api_limit_max}). */
  private static final int PAGE = 1000;

  private final Engine engine;
  private final ActionChecks checks;
  private final Images images;
  private final ListQueryParser parser;
  private final boolean strictConsent;

  IsolationVerifier(Engine engine, GovernanceConfig config, ActionChecks checks, Images images) {
    this.engine = engine;
    this.checks = checks;
    this.images = images;
    this.parser = new ListQueryParser(config.limitParamDefault(), config.apiLimitMax());
    this.strictConsent = config.strictConsent();
  }

  IsolationReport verify(
      List<ProjectId> requested, TenancyDirectory tenancy, IsolationOracle oracle) {
    List<ProjectId> projects = new ArrayList<>(new LinkedHashSet<>(requested));
    Snapshot snap = new Snapshot();
    IsolationOracle.Context context =
        new IsolationOracle.Context(
            tenancy, engine.now(), engine.unansweredStatus(), strictConsent);
    engine.forEachStored(snap::add);
    Map<ProjectId, List<ProjectId>> lineage = new HashMap<>();
    for (ProjectId p : projects) {
      lineage.put(p, tenancy.lineage(p));
    }
    Map<ProjectId, List<ImageId>> strangers = strangers(snap, projects, lineage);

    List<IsolationReport.Grant> grants = new ArrayList<>();
    List<IsolationReport.Finding> findings = new ArrayList<>();
    List<IsolationReport.OperatorCheck> commands = new ArrayList<>();
    Map<ImageId, Map<ProjectId, String>> seenBy = new HashMap<>();
    long pairs = 0;
    long skipped = 0;
    for (ProjectId project : projects) {
      Caller caller = Caller.member(project.value());
      CatalogQuery walkQuery = walkQuery(caller);
      Set<ImageId> walked = walk(walkQuery);
      Set<ImageId> listed = listWalk(caller);
      Set<ImageId> related = new HashSet<>(walked);
      related.addAll(listed);
      related.addAll(snap.global);
      related.addAll(snap.owned.getOrDefault(project, List.of()));
      related.addAll(snap.rows.getOrDefault(project, List.of()));
      for (ProjectId above : lineage.get(project)) {
        related.addAll(snap.rows.getOrDefault(above, List.of()));
      }
      Set<ImageId> stranger = new HashSet<>(strangers.getOrDefault(project, List.of()));
      related.addAll(stranger);
      List<ImageId> ordered = new ArrayList<>(related);
      ordered.sort(Comparator.comparing(ImageId::value));
      for (ImageId id : ordered) {
        Image stored = snap.images.get(id);
        Image live = engine.lookup(id).orElse(null);
        if (stored == null) {
          continue;
        }
        if (live == null || live.version() != stored.version()) {
          skipped++;
          continue;
        }
        pairs++;
        Pair pair = new Pair(project, caller, stored, live);
        if (walked.contains(id) != QueryEvaluator.matches(walkQuery, stored)) {
          findings.add(new IsolationReport.Finding(IsolationReport.Kind.INDEX_DISAGREES, project,
              id, IsolationAction.GET, walked.contains(id)
                  ? "the catalog's listing index shows it, but the query does not match it"
                  : "the query matches it, but the catalog's listing index does not show it"));
        }
        Map<IsolationAction, String> granted =
            judge(pair, listed.contains(id), oracle, context, findings);
        granted.forEach((action, rule) ->
            grants.add(new IsolationReport.Grant(project, id, action, rule)));
        boolean closed = stored.visibility() == Visibility.PRIVATE
            || stored.visibility() == Visibility.SHARED;
        if (closed) {
          String get = granted.get(IsolationAction.GET);
          if (get != null) {
            seenBy.computeIfAbsent(id, i -> new LinkedHashMap<>()).put(project, get);
          }
          boolean justified =
              oracle.justify(caller, stored, IsolationAction.GET, context).isPresent();
          if (justified || get != null || stranger.contains(id)) {
            commands.add(new IsolationReport.OperatorCheck(project, id, justified));
          }
        }
      }
    }
    List<IsolationReport.PrivateImage> closedImages = new ArrayList<>();
    for (Image image : snap.sorted()) {
      if (image.visibility() == Visibility.PRIVATE || image.visibility() == Visibility.SHARED) {
        closedImages.add(new IsolationReport.PrivateImage(image.id(), image.owner(),
            image.visibility(), seenBy.getOrDefault(image.id(), Map.of())));
      }
    }
    return new IsolationReport(oracle.name(), snap.images.size(), pairs, skipped, projects,
        grants,
        findings, closedImages, commands);
  }

  /** One (project, image) pair: the caller, the image as the oracle and the governance see it. */
  private record Pair(ProjectId project, Caller caller, Image stored, Image live) {}

  /**
   * The governance's answer on each action for the pair, compared with the oracle's; returns the
   * granted actions with their rule and adds a finding for each disagreement.
   */
  private Map<IsolationAction, String> judge(Pair pair, boolean listed, IsolationOracle oracle,
      IsolationOracle.Context context, List<IsolationReport.Finding> findings) {
    Map<IsolationAction, String> granted = new EnumMap<>(IsolationAction.class);
    for (IsolationAction action : IsolationAction.values()) {
      String refusal = action == IsolationAction.LIST
          ? (listed ? null : "not in its default list")
          : refusal(action, pair);
      Optional<String> rule = oracle.justify(pair.caller, pair.stored, action, context);
      if (refusal == null) {
        granted.put(action, rule.orElse(NO_RULE));
        if (rule.isEmpty()) {
          findings.add(new IsolationReport.Finding(IsolationReport.Kind.UNJUSTIFIED_ACCESS,
              pair.project, pair.stored.id(), action, "allowed ("
                  + engine.visibleBecause(pair.caller, pair.live).description()
                  + "), but no sharing rule of " + oracle.name() + " justifies it"));
        }
      } else if (rule.isPresent()) {
        findings.add(new IsolationReport.Finding(IsolationReport.Kind.REFUSED_ACCESS,
            pair.project, pair.stored.id(), action,
            "refused (" + refusal + "), but " + oracle.name() + " justifies it: " + rule.get()));
      }
    }
    return granted;
  }

  /** The refusal the action's pipeline answers the pair, or null if it allows it. */
  private @Nullable String refusal(IsolationAction action, Pair pair) {
    Action checked;
    ActionArgs args = ActionArgs.defaults();
    switch (action) {
      case GET:
        checked = Action.GET;
        break;
      case BOOT:
        checked = Action.DOWNLOAD;
        args = ActionArgs.use(Use.NEW_LAUNCH);
        break;
      case LIST_MEMBERS:
        checked = Action.LIST_MEMBERS;
        break;
      case CHANGE:
        checked = Action.MODIFY;
        break;
      default:
        throw new AssertionError(action);
    }
    try {
      checks.check(checked, pair.caller, pair.live.id(), pair.live, args);
      return null;
    } catch (GovernanceException e) {
      return e.httpStatus() + " " + e.getMessage();
    }
  }

  /**
   * The query of {@code visibility=all&member_status=all} for the caller, bound as the list binds
   * it (to the governance's tenancy: the groups above the caller's project, judged now), without
   * the {@code os_hidden} filter (so hidden images are walked too), at the largest page. The
   * index check judges the stored images with this same bound query.
   */
  private CatalogQuery walkQuery(Caller caller) {
    CatalogQuery parsed = parser.parse(
        ListRequest.parse("visibility=all&member_status=all"), caller, engine.isAdmin(caller),
        id -> false);
    return engine.bind(parsed.toBuilder().filters(List.of()).limit(PAGE).build());
  }

  /** Every id the catalog's index answers {@code query} with, page by page. */
  private Set<ImageId> walk(CatalogQuery query) {
    Set<ImageId> out = new LinkedHashSet<>();
    CatalogQuery page = query;
    while (true) {
      List<Image> rows = engine.query(page);
      for (Image image : rows) {
        out.add(image.id());
      }
      if (rows.size() < PAGE) {
        return out;
      }
      page = page.toBuilder().marker(rows.get(rows.size() - 1).id()).build();
    }
  }

  /**
   * Every id the caller's default list shows, following its {@code next} markers; none when the
   * list is refused ({@code get_images}).
   */
  private Set<ImageId> listWalk(Caller caller) {
    Set<ImageId> out = new HashSet<>();
    ListRequest request = ListRequest.parse("limit=" + PAGE);
    while (true) {
      ImageList page;
      try {
        page = images.list(caller, request);
      } catch (GovernanceException refused) {
        return Set.of();
      }
      for (Image image : page.images()) {
        out.add(image.id());
      }
      if (page.nextMarker().isEmpty()) {
        return out;
      }
      request = request.with("marker", page.nextMarker().get().value());
    }
  }

  /**
   * For each private or shared image, one verified project unrelated to it (not its owner, no
   * membership for it or any project above it), tried from a position its id picks.
   */
  private static Map<ProjectId, List<ImageId>> strangers(
      Snapshot snap, List<ProjectId> projects, Map<ProjectId, List<ProjectId>> lineage) {
    Map<ProjectId, List<ImageId>> out = new HashMap<>();
    if (projects.isEmpty()) {
      return out;
    }
    for (Image image : snap.images.values()) {
      if (image.visibility() != Visibility.PRIVATE && image.visibility() != Visibility.SHARED) {
        continue;
      }
      int start = Math.floorMod(image.id().value().hashCode(), projects.size());
      for (int k = 0; k < Math.min(STRANGER_TRIES, projects.size()); k++) {
        ProjectId p = projects.get((start + k) % projects.size());
        if (unrelated(image, p) && lineage.get(p).stream().allMatch(a -> unrelated(image, a))) {
          out.computeIfAbsent(p, x -> new ArrayList<>()).add(image.id());
          break;
        }
      }
    }
    return out;
  }

  private static boolean unrelated(Image image, ProjectId project) {
    return !image.isOwnedBy(project) && !image.members().containsKey(project);
  }

  /** The catalog as one scan found it, with the images each project is related to. */
  private static final class Snapshot {
    final Map<ImageId, Image> images = new HashMap<>();
    final List<ImageId> global = new ArrayList<>();
    final Map<ProjectId, List<ImageId>> owned = new HashMap<>();
    final Map<ProjectId, List<ImageId>> rows = new HashMap<>();

    void add(Image image) {
      images.put(image.id(), image);
      if (image.owner().isEmpty() || image.visibility() == Visibility.PUBLIC
          || image.visibility() == Visibility.COMMUNITY) {
        global.add(image.id());
      }
      image.owner().ifPresent(o -> owned.computeIfAbsent(o, x -> new ArrayList<>())
          .add(image.id()));
      for (ProjectId member : image.members().keySet()) {
        rows.computeIfAbsent(member, x -> new ArrayList<>()).add(image.id());
      }
    }

    List<Image> sorted() {
      List<Image> out = new ArrayList<>(images.values());
      out.sort(Comparator.comparing(i -> i.id().value()));
      return out;
    }
  }
}
