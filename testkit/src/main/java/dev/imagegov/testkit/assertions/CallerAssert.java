package dev.imagegov.testkit.assertions;

import dev.imagegov.ImageGovernance;
import dev.imagegov.ImageList;
import dev.imagegov.access.Action;
import dev.imagegov.access.Caller;
import dev.imagegov.error.GovernanceException;
import dev.imagegov.error.StoreErrorCode;
import dev.imagegov.model.Image;
import dev.imagegov.model.ImageId;
import dev.imagegov.errors.RuleCode;
import dev.imagegov.query.ListExplanation;
import dev.imagegov.query.ListRequest;
import dev.imagegov.testkit.gen.Callers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on what one caller (the actual value) may do with a governance. Every failure message
 * says what was expected, what happened, and why: the governance's own {@code
 * access().explain(...)} for the image concerned and, for a list, {@code images().explainList}'s
 * clause that leaves the image out (member status, visibility, {@code os_hidden}, a filter, a
 * policy). An AssertJ assertion: {@code as}, {@code describedAs} and {@code withFailMessage} apply
 * to its failures, and {@code SoftAssertions.check(() -> ...)} collects them.
 *
 * <p>The negative assertions ({@link #cannotGet}, {@link #cannotSee}, {@link #doesNotList},
 * {@link #cannotDownload}) hold for every caller, whatever its roles: a caller that {@code
 * get_images} refuses lists nothing, so no list shows it the image (a pass, not an error). The
 * positive list assertions ({@link #lists}, {@link #listsExactly}) need the list to answer, and
 * fail naming the refusal when it does not.
 */
public final class CallerAssert extends AbstractAssert<CallerAssert, Caller> {
  /** The list that shows everything a caller may list. */
  public static final ListRequest EVERYTHING =
      ListRequest.parse("visibility=all&member_status=all");

  private final ImageGovernance governance;
  private final Caller caller;

  CallerAssert(ImageGovernance governance, Caller caller) {
    super(caller, CallerAssert.class);
    this.governance = governance;
    this.caller = caller;
  }

  /**
   * {@return the caller gets the image by id}
   *
   * @param id the image's id
   */
  public CallerAssert canGet(ImageId id) {
    Optional<GovernanceException> refusal = attempt(() -> governance.images().get(caller, id));
    if (refusal.isPresent()) {
      throw explainedFailure(
          "Expected "
              + who()
              + " to get image "
              + id
              + ", but get answered "
              + describe(refusal.get()),
          id,
          Action.GET);
    }
    return this;
  }

  /**
   * {@return get by id answers not found (404) for the caller}
   *
   * @param id the image's id
   */
  public CallerAssert cannotGet(ImageId id) {
    Optional<GovernanceException> refusal = attempt(() -> governance.images().get(caller, id));
    if (refusal.isEmpty() || refusal.get().code() != StoreErrorCode.IMAGE_NOT_FOUND) {
      throw explainedFailure(
          "Expected get of image "
              + id
              + " by "
              + who()
              + " to answer IMAGE_NOT_FOUND (404), but it "
              + refusal.map(e -> "answered " + describe(e)).orElse("returned the image"),
          id,
          Action.GET);
    }
    return this;
  }

  /**
   * The image does not exist for the caller: get answers not found, and no list shows it, not even
   * {@code visibility=all&member_status=all}.
   *
   * @param id the image's id
   * @return the image does not exist for the caller: get answers not found, and no list shows it,
   *     not even {@code visibility=all&member_status=all}
   */
  public CallerAssert cannotSee(ImageId id) {
    cannotGet(id);
    for (ListRequest request : List.of(ListRequest.empty(), EVERYTHING)) {
      List<ImageId> listed = listAll(request).orElse(List.of());
      if (listed.contains(id)) {
        throw listFailure(
            "Expected "
                + who()
                + " not to see image "
                + id
                + ", but the list ?"
                + request.toQueryString()
                + " shows it",
            id,
            request);
      }
    }
    return this;
  }

  /**
   * {@return the default list (every page) shows these images, among others}
   *
   * @param ids the ids of the images, in order
   */
  public CallerAssert lists(ImageId... ids) {
    return lists(ListRequest.empty(), ids);
  }

  /**
   * {@return the list {@code request} asks for (every page) shows these images, among others}
   *
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @param ids the ids of the images, in order
   */
  public CallerAssert lists(ListRequest request, ImageId... ids) {
    List<ImageId> listed = answeredList(request);
    for (ImageId id : ids) {
      if (!listed.contains(id)) {
        throw listFailure(
            "Expected the list ?"
                + request.toQueryString()
                + " of "
                + who()
                + " to show image "
                + id
                + ", but it shows only "
                + listed,
            id,
            request);
      }
    }
    return this;
  }

  /**
   * {@return no page of the default list shows these images (a list {@code get_images} refuses
   * shows none)}
   *
   * @param ids the ids of the images, in order
   */
  public CallerAssert doesNotList(ImageId... ids) {
    return doesNotList(ListRequest.empty(), ids);
  }

  /**
   * {@return no page of the list {@code request} asks for shows these images (a list {@code
   * get_images} refuses shows none)}
   *
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @param ids the ids of the images, in order
   */
  public CallerAssert doesNotList(ListRequest request, ImageId... ids) {
    List<ImageId> listed = listAll(request).orElse(List.of());
    for (ImageId id : ids) {
      if (listed.contains(id)) {
        throw listFailure(
            "Expected the list ?"
                + request.toQueryString()
                + " of "
                + who()
                + " not to show image "
                + id
                + ", but it does: "
                + listed,
            id,
            request);
      }
    }
    return this;
  }

  /**
   * {@return the default list (every page) shows exactly these images, in any order}
   *
   * @param ids the ids of the images, in order
   */
  public CallerAssert listsExactly(ImageId... ids) {
    return listsExactly(ListRequest.empty(), ids);
  }

  /**
   * {@return the list {@code request} asks for (every page) shows exactly these images, in any
   * order}
   *
   * @param request Glance's list parameters (filters, sort keys, marker, limit)
   * @param ids the ids of the images, in order
   */
  public CallerAssert listsExactly(ListRequest request, ImageId... ids) {
    Set<ImageId> listed = new LinkedHashSet<>(answeredList(request));
    Set<ImageId> expected = new LinkedHashSet<>(Arrays.asList(ids));
    if (!listed.equals(expected)) {
      Set<ImageId> missing = new LinkedHashSet<>(expected);
      missing.removeAll(listed);
      Set<ImageId> unexpected = new LinkedHashSet<>(listed);
      unexpected.removeAll(expected);
      StringBuilder message =
          new StringBuilder("Expected the list ?")
              .append(request.toQueryString())
              .append(" of ")
              .append(who())
              .append(" to show exactly ")
              .append(expected)
              .append(", but it shows ")
              .append(listed)
              .append(missing.isEmpty() ? "" : "; missing " + missing)
              .append(unexpected.isEmpty() ? "" : "; not expected " + unexpected);
      List<ImageId> concerned = new ArrayList<>(missing);
      concerned.addAll(unexpected);
      for (ImageId id : concerned) {
        message
            .append("\nWhy, for ")
            .append(id)
            .append(":\n")
            .append(explainList(id, request))
            .append(explain(id, Action.GET));
      }
      throw fail(message.toString());
    }
    return this;
  }

  /**
   * {@return the caller may download (boot) the image}
   *
   * @param id the image's id
   */
  public CallerAssert canDownload(ImageId id) {
    Optional<GovernanceException> refusal =
        attempt(() -> governance.access().authorizeDownload(caller, id));
    if (refusal.isPresent()) {
      throw explainedFailure(
          "Expected "
              + who()
              + " to download image "
              + id
              + ", but it was refused with "
              + describe(refusal.get()),
          id,
          Action.DOWNLOAD);
    }
    return this;
  }

  /**
   * The caller may not download (boot) the image: 403 or 404.
   *
   * @param id the image's id
   * @return this assertion, for chaining
   */
  public CallerAssert cannotDownload(ImageId id) {
    Optional<GovernanceException> refusal =
        attempt(() -> governance.access().authorizeDownload(caller, id));
    if (refusal.isEmpty()) {
      throw explainedFailure(
          "Expected " + who() + " not to download image " + id + ", but the download was allowed",
          id,
          Action.DOWNLOAD);
    }
    return this;
  }

  private String who() {
    return Callers.describe(caller) + " " + caller;
  }

  private static Optional<GovernanceException> attempt(Runnable call) {
    try {
      call.run();
      return Optional.empty();
    } catch (GovernanceException e) {
      return Optional.of(e);
    }
  }

  static String describe(GovernanceException e) {
    return e.code() + " (" + e.httpStatus() + "): " + e.getMessage();
  }

  private AssertionError explainedFailure(String message, ImageId id, Action action) {
    return fail(message + "\nWhy:\n" + explain(id, action));
  }

  /** A list assertion's failure: the list's own clause for the image, then explain's steps. */
  private AssertionError listFailure(String message, ImageId id, ListRequest request) {
    return fail(message + "\nWhy:\n" + explainList(id, request) + explain(id, Action.GET));
  }

  /** The failure, with this assertion's description and overriding message (AssertJ's). */
  private AssertionError fail(String message) {
    // AbstractAssert.failure formats its message: a '%' of an id or a query must stay literal.
    return failure(message.replace("%", "%%"));
  }

  /**
   * The line of {@code images().explainList} for {@code id} on the first page of {@code request}:
   * the clause that leaves it out (or {@code LISTED}) and its detail.
   */
  private String explainList(ImageId id, ListRequest request) {
    try {
      ListExplanation e = governance.images().explainList(caller, id, request.without("marker"));
      return "  list ?"
          + request.toQueryString()
          + ": "
          + e.clause()
          + ": "
          + e.detail()
          + "\n";
    } catch (GovernanceException e) {
      return "  list ?" + request.toQueryString() + ": refused with " + describe(e) + "\n";
    }
  }

  private String explain(ImageId id, Action action) {
    try {
      return governance.access().explain(caller, id, action).render();
    } catch (GovernanceException e) {
      return "  no live image has id " + id + " (" + describe(e) + ")\n";
    }
  }

  /**
   * Every page of the list {@code request} asks for, following next markers; empty if {@code
   * get_images} refuses the caller any list (any other refusal, a malformed request say, is the
   * test's mistake and propagates).
   */
  private Optional<List<ImageId>> listAll(ListRequest request) {
    List<ImageId> ids = new ArrayList<>();
    ListRequest page = request.without("marker");
    for (int n = 0; n < 10_000; n++) {
      ImageList list;
      try {
        list = governance.images().list(caller, page);
      } catch (GovernanceException e) {
        if (e.code() == RuleCode.POLICY_DENIED) {
          return Optional.empty();
        }
        throw e;
      }
      list.images().stream().map(Image::id).forEach(ids::add);
      if (list.nextMarker().isEmpty()) {
        return Optional.of(ids);
      }
      page = request.with("marker", list.nextMarker().get().value());
    }
    throw fail("the list ?" + request.toQueryString() + " never ends");
  }

  /** {@link #listAll}, failing this assertion if the caller may not list at all. */
  private List<ImageId> answeredList(ListRequest request) {
    Optional<List<ImageId>> listed = listAll(request);
    if (listed.isEmpty()) {
      String refusal =
          attempt(() -> governance.images().list(caller, request.without("marker")))
              .map(CallerAssert::describe)
              .orElse("a refusal");
      throw fail(
          "Expected "
              + who()
              + " to list ?"
              + request.toQueryString()
              + ", but the list was refused with "
              + refusal);
    }
    return listed.get();
  }
}
